"""A JSONL (or JSON array) or CSV file of posts, for any other service.

Each record needs `text` (or `full_text`/`content`); optional: `id`, `created_at`, `is_repost`, `is_reply`,
`is_quote`, `lang`. Without an `is_repost` field, text starting `RT @` marks a repost, as in archives.
Records without usable text (missing, not a string, over MAX_POST_CHARS, lone surrogates) and lines that are
not JSON are counted as skipped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from tweetbot_trainer.data import fetch
from tweetbot_trainer.data.json_items import array_items
from tweetbot_trainer.data.post import Post, field_str
from tweetbot_trainer.data.sources.base import SourceResult
from tweetbot_trainer.errors import TweetBotInputError

_TEXT_FIELDS = ("text", "full_text", "content")
# Far above any one person's posts (100k posts of 280 characters are ~50 MB): a bigger file is the wrong file.
MAX_FILE_BYTES = 1 << 30
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
        id=field_str(record.get("id")) or str(index),
        text=text,
        created_at=field_str(record.get("created_at")),
        is_repost=text.startswith("RT @") if repost in (None, "") else _flag(repost),
        is_reply=_flag(record.get("is_reply")),
        is_quote=_flag(record.get("is_quote")),
        lang=field_str(record.get("lang")),
        source="file",
    )


def iter_records(text: str, name: str, result: SourceResult) -> Iterator[Any]:
    """The records of a JSONL, JSON-array or CSV file, told apart by name and first character, one at a time;
    lines that are not JSON or CSV rows the csv module rejects are counted in `result.skipped`."""
    head = text.lstrip()[:1]
    if name.lower().endswith(".csv") or head not in ("{", "["):
        if text.strip():
            yield from _csv_rows(text, result)
        return
    if head == "[":
        try:
            yield from array_items(text, text.index("["))
        except json.JSONDecodeError as exc:
            raise TweetBotInputError("FileCorrupt", f"{name}: not valid JSON at line {exc.lineno}: {exc.msg}") from exc
        except (ValueError, RecursionError) as exc:  # a 4,300+ digit integer, or absurd nesting
            raise TweetBotInputError("FileCorrupt", f"{name}: not valid JSON ({type(exc).__name__})") from exc
        return
    # JSONL lines end at "\n" only: str.splitlines() would also cut at U+2028 and friends inside a post's text.
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        start = end + 1
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except (ValueError, RecursionError):  # one bad line is one skipped record
            result.skipped += 1


def _csv_rows(text: str, result: SourceResult) -> Iterator[Any]:
    """The rows of a CSV file with a header line; a row the csv module rejects is counted, and reading goes on."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    # The default 128 KiB field limit would split a huge field into junk rows; the whole file is in memory
    # anyway, and a post that long is skipped later (MAX_POST_CHARS).
    limit = csv.field_size_limit(len(text) + 1)
    try:
        while True:
            try:
                yield next(reader)
            except StopIteration:
                return
            except csv.Error:
                result.skipped += 1
    finally:
        csv.field_size_limit(limit)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8-sig", errors="replace")


def read_file(uri: str, s3_endpoint: str | None = None) -> SourceResult:
    # Decoded in a call of its own: the bytes are freed before the posts are made.
    text = _text(fetch.read_bytes(uri, s3_endpoint, limit=MAX_FILE_BYTES))
    result = SourceResult(posts=[], where=uri)
    for index, record in enumerate(iter_records(text, uri, result)):
        result.add(record_to_post(record, index))
    return result
