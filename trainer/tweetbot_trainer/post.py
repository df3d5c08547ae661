"""The normalized post record every source produces."""

from __future__ import annotations

from dataclasses import dataclass


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
