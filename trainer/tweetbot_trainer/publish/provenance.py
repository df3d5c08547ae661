"""The card's "Where the data came from" lines: the source kind (archive or API), the posts' date range, and
which run the model continued from. What a takedown request is checked against (docs/guide/scheduling.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_trainer.publish.card import escape_text


def provenance_lines(data: Mapping[str, Any]) -> str:
    """Markdown lines for stats.json's `data` section; "" when the run has none (an older prepare)."""
    if not data:
        return ""
    kind = escape_text(data.get("sourceKind") or "unknown")
    origin = "an archive or file" if data.get("origin") == "archive" else "the service's API"
    lines = [f"- Source: {kind} ({origin})"]
    oldest, newest = data.get("oldestPost"), data.get("newestPost")
    if oldest or newest:
        lines.append(f"- Posts from {escape_text(oldest or 'unknown')} to {escape_text(newest or 'unknown')}")
    lines.append(f"- {int(data.get('posts') or 0)} posts, {int(data.get('newPosts') or 0)} new since the previous "
                 f"run, {int(data.get('deletedPosts') or 0)} removed as deleted upstream")
    start = data.get("warmStartFrom")
    if start:
        lines.append(f"- Continued from run {escape_text(start)}")
    elif data.get("warmStartReason"):
        lines.append(f"- Trained from the base model ({escape_text(data['warmStartReason'])})")
    return "\n".join(lines)
