"""Long posts: X keeps the first ~280 characters in a post's text and the whole text elsewhere.

The X API sends it as `note_tweet.text`; an archive keeps it in data/note-tweet.js, whose records carry no id of
their post (`noteTweetId` is the note's own id). X creates the note a few milliseconds before its post, so
both ids are snowflakes of nearly the same instant, and the post's text is the note's text cut short (ending in
`…`, sometimes followed by a media link; a reply's text also starts with the @handles it answers). A note
belongs to a post when
- their times agree: the snowflake times of the ids (else `createdAt` / `created_at`) within MAX_SKEW_MS, and
- their texts agree: the post's text, compared without links, leading @handles, the `…` and the case, is the
  start of the note's text.
Among several notes that agree with posts (a thread posted in one second), the nearest in time wins, each
note and each post used once. A note that agrees with no post (its post deleted, or a different post written
at the same second) is left out: it is never a post of its own, so the stats stay huggingtweets' counts.
Without usable times (an edited or damaged file) a note still matches on text alone when the post's visible
text is long (MIN_TEXT_ONLY_CHARS) and starts exactly one note.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tweetbot_trainer.data.markup import unescape
from tweetbot_trainer.data.post import Post, field_str, usable_text

SNOWFLAKE_EPOCH_MS = 1288834974657
# Ids below this many ms after the epoch are the sequential ids of 2006-2010, not snowflakes.
_MIN_SNOWFLAKE_MS = 86_400_000
MAX_SKEW_MS = 3_000  # created_at has whole seconds; a note is written milliseconds before its post
MIN_TEXT_ONLY_CHARS = 80
_LEADING_MENTIONS = re.compile(r"^(?:\s*@\w+)+\s*")
_LINK = re.compile(r"https?://\S*")
ELLIPSIS = "…"  # X's mark of a text cut short


@dataclass(frozen=True)
class Note:
    """The whole text of one long post, and when it was written (ms since 1970, None when unknown)."""

    text: str
    at_ms: int | None


def snowflake_ms(value: str | None) -> int | None:
    """The creation time inside an X snowflake id, or None for anything that is not one."""
    if not value or not value.isdigit() or len(value) > 20:
        return None
    offset = int(value) >> 22
    return SNOWFLAKE_EPOCH_MS + offset if offset >= _MIN_SNOWFLAKE_MS else None


def iso_ms(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
    except (ValueError, OverflowError, OSError):
        return None


def note_from_record(record: Any) -> Note | None:
    """One note-tweet.js record ({"noteTweet": {"noteTweetId", "createdAt", "core": {"text"}}}); None if unusable."""
    note = record.get("noteTweet", record) if isinstance(record, dict) else None
    core = note.get("core") if isinstance(note, dict) else None
    text = usable_text(core.get("text")) if isinstance(core, dict) else None
    if not isinstance(note, dict) or not text or not text.strip():
        return None
    at_ms = snowflake_ms(field_str(note.get("noteTweetId"))) or iso_ms(field_str(note.get("createdAt")))
    return Note(text=text, at_ms=at_ms)


def long_text(short: str, whole: Any) -> str:
    """The text to train on: `whole` (the long post's text) when there is one, with the leading @handles of
    `short` that X leaves out of it for replies; else `short`. The rule for the X API and for archives."""
    if not isinstance(whole, str) or not whole.strip():
        return short
    mentions = _LEADING_MENTIONS.match(short)
    if mentions and not whole.lstrip().startswith(mentions.group().strip()):
        return mentions.group() + whole.lstrip()
    return whole


def comparable(text: str) -> str:
    """`text` as the two sides are compared: entities decoded, links, leading @handles, the ellipsis and
    invisible format characters dropped, whitespace collapsed, case folded."""
    text = _LINK.sub(" ", unescape(text))
    text = _LEADING_MENTIONS.sub("", text).replace(ELLIPSIS, " ")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split()).casefold()


def _agrees(post: Post, visible: str, whole: str) -> bool:
    """The note's text (`whole`, comparable) is the whole of `post`'s (`visible`, comparable)."""
    if not visible or visible == whole:
        return bool(visible)
    if ELLIPSIS not in post.text:  # not cut short: a post whose words merely start a note is another post
        return False
    if whole.startswith(visible):
        return True
    # The cut may fall inside a link or a word that normalises differently: compare without the last word.
    head = visible.rsplit(" ", 1)[0]
    return len(head) >= MIN_TEXT_ONLY_CHARS // 4 and head != visible and whole.startswith(head)


def _post_ms(post: Post) -> int | None:
    return snowflake_ms(post.id) or iso_ms(post.created_at)


def _pairs(posts: Sequence[Post], notes: Sequence[Note]) -> list[tuple[int, int, int]]:
    """(time distance, note index, post index) of every note and post that agree; text-only pairs last."""
    cache: dict[int, str] = {}

    def visible(p: int) -> str:  # only posts near a note are compared, so only they are normalised
        if p not in cache:
            cache[p] = "" if posts[p].is_repost else comparable(posts[p].text)
        return cache[p]

    whole = [comparable(note.text) for note in notes]
    post_ms = [_post_ms(post) for post in posts]
    timed = sorted((ms, p) for p, ms in enumerate(post_ms) if ms is not None)
    times = [ms for ms, _ in timed]
    pairs: list[tuple[int, int, int]] = []
    for n, note in enumerate(notes):
        if note.at_ms is None:
            continue
        low, high = bisect_left(times, note.at_ms - MAX_SKEW_MS), bisect_right(times, note.at_ms + MAX_SKEW_MS)
        pairs += [(abs(ms - note.at_ms), n, p) for ms, p in timed[low:high] if _agrees(posts[p], visible(p), whole[n])]
    if any(note.at_ms is None for note in notes) or len(timed) < len(posts):
        pairs += _text_only_pairs(posts, notes, whole, visible, post_ms)
    return sorted(pairs)


def _text_only_pairs(
    posts: Sequence[Post],
    notes: Sequence[Note],
    whole: Sequence[str],
    visible: Callable[[int], str],
    post_ms: Sequence[int | None],
) -> list[tuple[int, int, int]]:
    """For a note or a post without a usable time: a long visible text that was cut and starts exactly one note."""
    by_start: dict[str, list[int]] = {}
    for n, text in enumerate(whole):
        by_start.setdefault(text[:MIN_TEXT_ONLY_CHARS], []).append(n)
    pairs = []
    for p, post in enumerate(posts):
        text = visible(p)
        found = [n for n in by_start.get(text[:MIN_TEXT_ONLY_CHARS], []) if whole[n].startswith(text)]
        if len(text) < MIN_TEXT_ONLY_CHARS or len(found) != 1 or not _agrees(post, text, whole[found[0]]):
            continue
        if notes[found[0]].at_ms is None or post_ms[p] is None:
            pairs.append((MAX_SKEW_MS + 1, found[0], p))
    return pairs


def attach_notes(posts: Sequence[Post], records: Iterable[Any]) -> tuple[list[Post], int, int]:
    """`posts` with each long post's whole text; also how many were joined and how many notes matched none."""
    notes = [note for record in records if (note := note_from_record(record)) is not None]
    result = list(posts)
    used_notes: set[int] = set()
    used_posts: set[int] = set()
    for _, n, p in _pairs(posts, notes) if notes else []:
        if n in used_notes or p in used_posts:
            continue
        used_notes.add(n)
        used_posts.add(p)
        result[p] = replace(posts[p], text=long_text(posts[p].text, notes[n].text))
    return result, len(used_notes), len(notes) - len(used_notes)
