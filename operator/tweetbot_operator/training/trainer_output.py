"""Reading what the trainer says (docs/design.md): its termination message and its JSON log lines."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

# The per-user counts the status schema holds (status.stats); anything else a trainer adds is left out, so the
# status the operator computes is the status the API server stores (it prunes unknown fields).
STAT_KEYS = ("downloaded", "retweets", "short", "kept", "skipped")
MAX_BASE_MODEL = 1024  # characters of a reported baseModel (a hub id or an s3:// URI)


def loads_finite(text: str) -> Any:
    """JSON as the trainer writes it, with NaN and Infinity (Python's json writes them) read as null: the API
    server accepts only RFC 8259 JSON, so a non-finite number must never get into a status."""
    return json.loads(text, parse_constant=lambda _: None)


def parse_termination_message(text: str | None) -> dict[str, Any] | None:
    """The trainer's JSON termination message, or None for anything else (e.g. a log tail, with
    FallbackToLogsOnError, when the trainer died before writing one). "skipped": too few new posts for a
    scheduled run (training/incremental.py)."""
    if not text:
        return None
    try:
        data = loads_finite(text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and data.get("status") in ("succeeded", "failed", "skipped") else None


def published_fields(result: Mapping[str, Any]) -> dict[str, Any]:
    """What a run published to serve (status.lastSuccessfulRun): `published` model or adapter, the `baseModel` it
    fine-tuned and its `loraRank`; only well-formed values (older trainers send none)."""
    fields: dict[str, Any] = {}
    if result.get("published") in ("model", "adapter"):
        fields["published"] = result["published"]
    if isinstance(result.get("baseModel"), str) and 0 < len(result["baseModel"]) <= MAX_BASE_MODEL:
        fields["baseModel"] = result["baseModel"]
    if type(result.get("loraRank")) is int and result["loraRank"] > 0:
        fields["loraRank"] = result["loraRank"]
    return fields


def parse_progress(log_tail: str) -> dict[str, Any] | None:
    """status.progress from the last `"event": "progress"` object of a log tail, or None when there is none.

    A pod's log interleaves stdout with stderr: tqdm's `\r` updates carry no newline, so a JSON line may start
    in the middle of a log line, after them."""
    for raw in reversed(log_tail.splitlines()):
        for event in reversed(list(_json_objects(raw))):
            if event.get("event") == "progress":
                return progress_status(event)
    return None


_DECODER = json.JSONDecoder(parse_constant=lambda _: None)


def _json_objects(line: str) -> Iterator[dict[str, Any]]:
    """The JSON objects in one log line that start with `{"event"`, in order."""
    start = line.find('{"event"')
    while start != -1:
        try:
            value, end = _DECODER.raw_decode(line, start)
        except (ValueError, RecursionError):
            end = start + 1
        else:
            if isinstance(value, dict):
                yield value
        start = line.find('{"event"', end)


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
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
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


def stats_fields(stats: Any) -> dict[str, Any]:
    """status.stats and status.keptPosts from a run's stats: only the counts the status schema has (the API server
    prunes others)."""
    clean = clean_stats(stats)
    return {} if clean is None else {"stats": clean, "keptPosts": kept_posts(clean)}


def clean_stats(stats: Any) -> dict[str, dict[str, int]] | None:
    """status.stats: per user, the counts the schema knows (whole numbers only)."""
    if not isinstance(stats, Mapping):
        return None
    out = {}
    for user, counts in stats.items():
        if isinstance(counts, Mapping):
            out[str(user)] = {k: v for k in STAT_KEYS if isinstance(v := counts.get(k), int)
                              and not isinstance(v, bool)}
    return out
