"""The per-user counts table (huggingtweets' "Training data" table): one renderer for `prepare` and the card."""

from __future__ import annotations

from collections.abc import Mapping

ROWS: tuple[tuple[str, str], ...] = (
    ("downloaded", "Tweets downloaded"),
    ("retweets", "Retweets"),
    ("short", "Short tweets"),
    ("kept", "Tweets kept"),
)


def stats_table(stats: Mapping[str, Mapping[str, int]], headings: Mapping[str, str] | None = None) -> str:
    """A markdown table: one row per count, one column per user (a "Skipped records" row when any).

    `headings` gives each user's column heading, already escaped for where the table goes (the card shows
    display names); a user without one is headed `@handle`.
    """
    users = list(stats)
    rows = list(ROWS)
    if any(counts.get("skipped") for counts in stats.values()):
        rows.append(("skipped", "Skipped records"))
    columns = [(headings or {}).get(u) or f"@{u}" for u in users]
    lines = ["| Data | " + " | ".join(columns) + " |", "| --- |" + " --- |" * len(users)]
    for key, label in rows:
        lines.append(f"| {label} | " + " | ".join(str(int(stats[u].get(key, 0))) for u in users) + " |")
    return "\n".join(lines)
