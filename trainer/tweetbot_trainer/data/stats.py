"""The per-user counts table of the model card (huggingtweets' "Training data" table)."""

from __future__ import annotations

from collections.abc import Mapping

ROWS: tuple[tuple[str, str], ...] = (
    ("downloaded", "Tweets downloaded"),
    ("retweets", "Retweets"),
    ("short", "Short tweets"),
    ("kept", "Tweets kept"),
)


def stats_table(stats: Mapping[str, Mapping[str, int]]) -> str:
    """A markdown table: one row per count, one column per user (a "Skipped records" row when any)."""
    users = list(stats)
    rows = list(ROWS)
    if any(counts.get("skipped") for counts in stats.values()):
        rows.append(("skipped", "Skipped records"))
    lines = [
        "| Data | " + " | ".join(f"@{u}" for u in users) + " |",
        "|---|" + "---|" * len(users),
    ]
    for key, label in rows:
        lines.append(f"| {label} | " + " | ".join(str(stats[u].get(key, 0)) for u in users) + " |")
    return "\n".join(lines)
