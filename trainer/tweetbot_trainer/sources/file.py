"""A JSONL (or JSON array) or CSV file of posts, for any other service.

Each record needs `text` (or `full_text`/`content`); optional: `id`, `created_at`, `is_repost`, `is_reply`,
`is_quote`, `lang`. Without an `is_repost` field, text starting `RT @` marks a repost, as in archives.
Records without text, and lines that are not JSON, are counted as skipped.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tweetbot_trainer import fetch
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.post import Post
from tweetbot_trainer.sources.base import SourceResult

_TEXT_FIELDS = ("text", "full_text", "content")
_TRUE = {"1", "true", "yes", "y", "t"}


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value)


def record_to_post(record: Any, index: int) -> Post | None:
    if not isinstance(record, dict):
        return None
    text = next((record[f] for f in _TEXT_FIELDS if isinstance(record.get(f), str)), None)
    if text is None:
        return None
    repost = record.get("is_repost")
    return Post(
        id=str(record.get("id") or index),
        text=text,
        created_at=str(record["created_at"]) if record.get("created_at") else None,
        is_repost=text.startswith("RT @") if repost in (None, "") else _flag(repost),
        is_reply=_flag(record.get("is_reply")),
        is_quote=_flag(record.get("is_quote")),
        lang=str(record["lang"]) if record.get("lang") else None,
        source="file",
    )


def parse_records(raw: bytes, name: str) -> tuple[list[Any], int]:
    """(records, unreadable lines) of a JSONL, JSON-array or CSV file, told apart by name and first byte."""
    text = raw.decode("utf-8-sig", errors="replace")
    head = text.lstrip()[:1]
    if name.lower().endswith(".csv") or head not in ("{", "["):
        if not text.strip():
            return [], 0
        return list(csv.DictReader(io.StringIO(text))), 0
    if head == "[":
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TweetBotInputError("FileCorrupt", f"{name}: not valid JSON at line {exc.lineno}: {exc.msg}") from exc
        return (records if isinstance(records, list) else [records]), 0
    records, bad = [], 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            bad += 1
    return records, bad


def read_file(uri: str, s3_endpoint: str | None = None) -> SourceResult:
    records, bad = parse_records(fetch.read_bytes(uri, s3_endpoint), uri)
    result = SourceResult(posts=[], skipped=bad)
    for index, record in enumerate(records):
        post = record_to_post(record, index)
        if post is None:
            result.skipped += 1
        else:
            result.posts.append(post)
    return result
