"""The files of an X archive: `window.YTD.<kind>.partN = [...]` JSON behind a JavaScript assignment.

We cut to the first `[` and parse JSON, never eval. A family (tweets, note-tweet, ...) may be split into
`<family>-partN.js` files; they are read part0 first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tweetbot_trainer.errors import TweetBotInputError

_WRAPPER = re.compile(r"window\.YTD\.(?P<kind>\w+)\.part\d+\s*=\s*$")
# Shown from a file that is not what it should be: enough to recognise it, escaped so bytes stay readable.
EXCERPT_CHARS = 40


@dataclass(frozen=True)
class Family:
    """One kind of archive file: its file names and the wrapper kinds its content may carry."""

    pattern: re.Pattern[str]  # group "part" holds N of -partN
    kinds: tuple[str, ...]  # window.YTD.<kind>: the first is the one named in errors

    def part(self, name: str) -> int | None:
        """The part number of `name` if it belongs to this family (anywhere in an archive, not in __MACOSX)."""
        match = self.pattern.search(name)
        if match is None or "/__MACOSX/" in f"/{name}":
            return None
        return int(match.group("part") or 0)


TWEETS = Family(re.compile(r"(?:^|/)tweets(?:-part(?P<part>\d+))?\.js$"), ("tweets", "tweet"))
LEGACY_TWEETS = Family(re.compile(r"(?:^|/)tweet(?:-part(?P<part>\d+))?\.js$"), ("tweet", "tweets"))
NOTES = Family(re.compile(r"(?:^|/)note-tweet(?:-part(?P<part>\d+))?\.js$"), ("note_tweet",))


def family_files(names: Iterable[str], family: Family) -> list[str]:
    """The files of `family` among `names`, part0 first."""
    found = [(part, name) for name in names if (part := family.part(name)) is not None]
    return [name for _, name in sorted(found)]


def excerpt(raw: bytes, limit: int = EXCERPT_CHARS) -> str:
    """The start of `raw` as a short printable excerpt: bytes that are not UTF-8 as \\xNN, control characters
    escaped, so a binary file given by mistake never puts raw bytes into a message."""
    body = raw.removeprefix(b"\xef\xbb\xbf").strip()
    text = body[: limit * 4].decode("utf-8", errors="backslashreplace")[:limit]
    shown = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return shown + ("..." if len(text.encode("utf-8")) < len(body) else "")


def parse_ytd_js(raw: bytes, name: str, family: Family) -> list[Any]:
    """The JSON array of one archive file of `family`; `name` only goes into error messages."""
    text = raw.decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise TweetBotInputError("ArchiveTruncated", f"{name}: the file is empty")
    start = text.find("[")
    prefix = text[:start] if start >= 0 else text
    wrapper = _WRAPPER.search(prefix.strip() + " ") if start >= 0 else None
    if start < 0 or (prefix.strip() and (wrapper is None or wrapper.group("kind") not in family.kinds)):
        found = f"'{excerpt(raw)}'" if prefix.strip() else "no JSON array"
        raise TweetBotInputError(
            "ArchiveWrongWrapper",
            f"{name}: expected 'window.YTD.{family.kinds[0]}.part0 = [', found {found}"
            f" - is this the {family.kinds[0]} file of an X archive?",
        )
    try:
        records, _ = json.JSONDecoder().raw_decode(text, start)
    except RecursionError as exc:
        raise TweetBotInputError("ArchiveCorrupt", f"{name}: JSON nested too deeply to be an archive") from exc
    except json.JSONDecodeError as exc:
        if not text[exc.pos :].strip() or exc.msg.startswith("Unterminated string"):
            raise TweetBotInputError(
                "ArchiveTruncated",
                f"{name}: the file is truncated (its JSON ends early at line {exc.lineno}); upload it again",
            ) from exc
        raise TweetBotInputError(
            "ArchiveCorrupt", f"{name}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except ValueError as exc:  # an integer literal over Python's 4,300-digit limit
        raise TweetBotInputError("ArchiveCorrupt", f"{name}: not valid JSON ({exc})") from exc
    if not isinstance(records, list):
        raise TweetBotInputError("ArchiveWrongWrapper", f"{name}: expected a JSON array of {family.kinds[0]}")
    return records


def first_object(raw: bytes, start_char: str = "[") -> Any:
    """The first JSON value from `start_char` on, or None: for the small optional files (account, profile,
    manifest), whose damage costs only what they add, never the run."""
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        return json.JSONDecoder().raw_decode(text, text.index(start_char))[0]
    except (ValueError, RecursionError):
        return None
