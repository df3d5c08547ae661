"""The normalized post record every source produces, and the checks a record passes to become one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Longer than any service allows (X long posts: 25,000); a bigger "post" is junk, and would dominate training.
MAX_POST_CHARS = 100_000
# Display names, ids, dates and language codes are short; a longer value is junk, cut rather than carried.
MAX_FIELD_CHARS = 512
# Lone UTF-16 surrogates: JSON's "\ud800" decodes to them, and they cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Post:
    """One post as the cleaning step needs it, whatever service it came from.

    `created_at` is ISO 8601 (UTC) when the source gives a date; `lang` an ISO 639-1 code or None.
    """

    id: str
    text: str
    created_at: str | None = None
    is_repost: bool = False
    is_reply: bool = False
    is_quote: bool = False
    lang: str | None = None
    source: str = ""


def has_surrogates(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def field_str(value: Any, limit: int = MAX_FIELD_CHARS) -> str | None:
    """A short string field (id, date, language, display name) from untrusted JSON; None unless str/int.

    Lone surrogates become U+FFFD so the value can always be written as UTF-8.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    if isinstance(value, int):
        # str() of an int over 4,300 digits raises ValueError; no real id is anywhere near that.
        value = str(value) if value.bit_length() < 4000 else None
    if not value:
        return None
    return _SURROGATE.sub("\ufffd", value[:limit])


def usable_text(text: Any) -> str | None:
    """The post text if it can be trained on: a str, not huge, valid Unicode; else None (the record is skipped)."""
    if not isinstance(text, str) or len(text) > MAX_POST_CHARS or has_surrogates(text):
        return None
    return text
