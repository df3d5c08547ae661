"""The files of an X archive: `window.YTD.<kind>.partN = [...]` JSON behind a JavaScript assignment.

We cut to the first `[` and parse JSON, never eval. A family (tweets, note-tweet, ...) may be split into
`<family>-partN.js` files; they are read part0 first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from tweetbot_trainer.data.json_items import array_items
from tweetbot_trainer.errors import TweetBotInputError

_WRAPPER = re.compile(r"window\.YTD\.(?P<kind>\w+)\.part\d+\s*=\s*$")
# The files of an X archive, named in an error when another one is given in place of the tweets: any other
# text before the array is described, never quoted (the file may be a mounted Secret).
ARCHIVE_KINDS = frozenset(
    {
        "account",
        "account_creation_ip",
        "account_timezone",
        "ad_engagements",
        "ad_impressions",
        "ageinfo",
        "block",
        "community_tweet",
        "connected_application",
        "contact",
        "deleted_note_tweet",
        "deleted_tweets",
        "device_token",
        "direct_messages",
        "direct_messages_group",
        "email_address_change",
        "follower",
        "following",
        "ip_audit",
        "like",
        "lists_created",
        "lists_member",
        "lists_subscribed",
        "moment",
        "mute",
        "note_tweet",
        "personalization",
        "phone_number",
        "profile",
        "protected_history",
        "saved_search",
        "screen_name_change",
        "tweet",
        "tweetdeck",
        "tweets",
        "verified",
    }
)


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


def _describe(prefix: str, wrapper: re.Match[str] | None) -> str:
    """What stands before the first `[` of a file that is not the expected one, without quoting it."""
    if wrapper is not None and wrapper.group("kind") in ARCHIVE_KINDS:
        return f"window.YTD.{wrapper.group('kind')}.part0 (another file of the archive)"
    if wrapper is not None:
        return "the wrapper of a file an X archive does not have"
    if "\ufffd" in prefix or "\0" in prefix:
        return f"{len(prefix.encode('utf-8')):,} bytes of binary data"
    return f"{len(prefix.strip()):,} characters of other text"


def parse_ytd_js(raw: bytes, name: str, family: Family) -> list[Any]:
    """The JSON array of one archive file of `family`; `name` only goes into error messages."""
    return list(iter_ytd_js(raw, name, family))


def iter_ytd_js(raw: bytes, name: str, family: Family) -> Iterator[Any]:
    """The records of one archive file of `family`, one at a time (never the whole array of dicts at once)."""
    text = raw.decode("utf-8-sig", errors="replace")
    del raw  # the generator's own reference: with the caller's gone, the bytes are freed while posts are made
    if not text.strip():
        raise TweetBotInputError("ArchiveTruncated", f"{name}: the file is empty")
    start = text.find("[")
    prefix = text[:start] if start >= 0 else text
    wrapper = _WRAPPER.search(prefix.strip() + " ") if start >= 0 else None
    if start < 0 or (prefix.strip() and (wrapper is None or wrapper.group("kind") not in family.kinds)):
        found = _describe(prefix, wrapper) if start >= 0 else "no JSON array"
        raise TweetBotInputError(
            "ArchiveWrongWrapper",
            f"{name}: expected 'window.YTD.{family.kinds[0]}.part0 = [', found {found}"
            f" - is this the {family.kinds[0]} file of an X archive?",
        )
    try:
        yield from array_items(text, start)
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


def first_object(raw: bytes, start_char: str = "[") -> Any:
    """The first JSON value from `start_char` on, or None: for the small optional files (account, profile,
    manifest), whose damage costs only what they add, never the run."""
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        return json.JSONDecoder().raw_decode(text, text.index(start_char))[0]
    except (ValueError, RecursionError):
        return None
