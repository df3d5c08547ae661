"""Reading what the trainer says (docs/design.md): its termination message and its JSON log lines."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def parse_termination_message(text: str | None) -> dict[str, Any] | None:
    """The trainer's JSON termination message, or None for anything else (e.g. a log tail, with
    FallbackToLogsOnError, when the trainer died before writing one)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) and data.get("status") in ("succeeded", "failed") else None


def parse_progress(log_tail: str) -> dict[str, Any] | None:
    """status.progress from the last `"event": "progress"` line of a log tail, or None when there is none."""
    for raw in reversed(log_tail.splitlines()):
        line = raw.strip()
        if not line.startswith("{") or '"progress"' not in line:
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("event") == "progress":
            return progress_status(event)
    return None


def progress_status(event: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for src, dst, kind in (
        ("percent", "percent", float),
        ("step", "step", int),
        ("total_steps", "totalSteps", int),
        ("eta_s", "etaSeconds", float),
        ("loss", "loss", float),
    ):
        value = event.get(src)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[dst] = round(kind(value), 4) if kind is float else kind(value)
    return out


def kept_posts(stats: Any) -> int | None:
    """All users' kept posts together, for the Kept posts printer column."""
    if not isinstance(stats, Mapping):
        return None
    total = 0
    for counts in stats.values():
        if isinstance(counts, Mapping) and isinstance(counts.get("kept"), int):
            total += counts["kept"]
    return total
