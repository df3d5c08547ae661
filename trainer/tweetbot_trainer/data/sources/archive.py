"""The official X/Twitter archive: data/tweets.js (or legacy data/tweet.js), split partN files, a whole .zip.

The .js files are `window.YTD.tweets.part0 = [...]`: we cut to the first `[` and parse JSON, never eval.
Archives carry no `retweeted_status`, so a repost is a post whose text starts with `RT @`.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from tweetbot_trainer.data import fetch
from tweetbot_trainer.data.post import Post, field_str
from tweetbot_trainer.data.sources.base import SourceResult, clean_profile
from tweetbot_trainer.errors import TweetBotInputError

# tweets.js, tweet.js, tweets-part1.js ... anywhere in an archive (normally under data/).
_TWEET_FILE = re.compile(r"(?:^|/)(?P<family>tweets?)(?:-part(?P<part>\d+))?\.js$")
_WRAPPER = re.compile(r"window\.YTD\.(?P<kind>\w+)\.part\d+\s*=\s*$")
_STATUS_LINK = re.compile(r"^https?://(?:mobile\.)?(?:twitter|x)\.com/\w+/status(?:es)?/\d+")
_DATE_FORMAT = "%a %b %d %H:%M:%S %z %Y"
# The tweets files we decompress from one zip, all parts together: far above a real archive's (a few hundred MB
# for 100k posts), and low enough that a zip bomb is refused instead of filling the pod's memory.
MAX_TWEETS_BYTES = 1 << 30
_ZIP_READ_ERRORS = (zipfile.BadZipFile, EOFError, zlib.error, ValueError, OSError, NotImplementedError, RuntimeError)


def parse_tweets_js(raw: bytes, name: str) -> list[Any]:
    """The JSON array of one tweets.js/tweet.js file; `name` only goes into error messages."""
    text = raw.decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise TweetBotInputError("ArchiveTruncated", f"{name}: the file is empty")
    start = text.find("[")
    prefix = text[:start] if start >= 0 else text[:80]
    wrapper = _WRAPPER.search(prefix.strip() + " ") if start >= 0 else None
    if start < 0 or (prefix.strip() and (wrapper is None or wrapper.group("kind") not in ("tweets", "tweet"))):
        found = prefix.strip().splitlines()[0][:60] if prefix.strip() else "no JSON array"
        raise TweetBotInputError(
            "ArchiveWrongWrapper",
            f"{name}: expected 'window.YTD.tweets.part0 = [' (or window.YTD.tweet.part0), found '{found}'"
            " - is this the tweets file of an X archive?",
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
        raise TweetBotInputError("ArchiveWrongWrapper", f"{name}: expected a JSON array of tweets")
    return records


def _iso_date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, _DATE_FORMAT).isoformat()
    except ValueError:
        return value


def _is_quote(tweet: dict[str, Any]) -> bool:
    if tweet.get("quoted_status_id_str") or tweet.get("is_quote_status") is True:
        return True
    entities = tweet.get("entities")
    urls = entities.get("urls") if isinstance(entities, dict) else None
    if not isinstance(urls, list):
        return False
    return any(
        isinstance(u, dict) and isinstance(u.get("expanded_url"), str) and _STATUS_LINK.match(u["expanded_url"])
        for u in urls
    )


def record_to_post(record: Any) -> Post | None:
    """One archive record ({"tweet": {...}}, or the bare tweet of 2019 archives); None when unusable."""
    tweet = record.get("tweet", record) if isinstance(record, dict) else None
    if not isinstance(tweet, dict):
        return None
    text = tweet.get("full_text", tweet.get("text"))
    if not isinstance(text, str):
        return None
    return Post(
        id=field_str(tweet.get("id_str")) or field_str(tweet.get("id")) or "",
        text=text,
        created_at=_iso_date(field_str(tweet.get("created_at"))),
        is_repost=text.startswith("RT @"),
        is_reply=bool(tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id")),
        is_quote=_is_quote(tweet),
        lang=field_str(tweet.get("lang")),
        source="archive",
    )


def records_to_result(records: Iterable[Any]) -> SourceResult:
    result = SourceResult(posts=[])
    for record in records:
        result.add(record_to_post(record))
    return result


def tweet_file_order(names: Iterable[str]) -> list[str]:
    """The tweets files among `names`, part0 first; the current `tweets` family wins over legacy `tweet`."""
    found: dict[str, list[tuple[int, str]]] = {}
    for name in names:
        match = _TWEET_FILE.search(name)
        if match and "/__MACOSX/" not in f"/{name}":
            found.setdefault(match.group("family"), []).append((int(match.group("part") or 0), name))
    family = found.get("tweets") or found.get("tweet") or []
    return [name for _, name in sorted(family)]


def _profile_from_files(read: dict[str, bytes]) -> dict[str, str]:
    """display_name/avatar_url from account.js and profile.js when a whole archive has them."""
    display: Any = None
    avatar: Any = None
    for name, raw in read.items():
        text = raw.decode("utf-8-sig", errors="replace")
        try:
            records = json.JSONDecoder().raw_decode(text, text.index("["))[0]
        except (ValueError, RecursionError):  # a broken extra file only costs the profile, never the run
            continue
        first = records[0] if isinstance(records, list) and records and isinstance(records[0], dict) else {}
        if name.endswith("account.js") and isinstance(first.get("account"), dict):
            display = first["account"].get("accountDisplayName")
        elif name.endswith("profile.js") and isinstance(first.get("profile"), dict):
            avatar = first["profile"].get("avatarMediaUrl")
    return clean_profile(display, avatar)


def _read_files(files: dict[str, bytes], where: str) -> SourceResult:
    order = tweet_file_order(files)
    if not order:
        raise TweetBotInputError(
            "ArchiveMissingTweets", f"{where}: no data/tweets.js (or data/tweet.js) in the archive"
        )
    records: list[Any] = []
    for name in order:
        records.extend(parse_tweets_js(files[name], f"{where}: {name}"))
    result = records_to_result(records)
    extras = {n: files[n] for n in files if n.endswith(("data/account.js", "data/profile.js"))}
    result.profile = _profile_from_files(extras)
    return result


def read_zip(source: bytes | IO[bytes], where: str) -> SourceResult:
    """The tweets files of a zip (bytes, or a seekable file: a whole archive with media can be gigabytes)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        names = archive.namelist()
        wanted = [*tweet_file_order(names), *(n for n in names if n.endswith(("account.js", "profile.js")))]
        # ZipExtFile never returns more than the declared size, so checking it bounds what we decompress.
        declared = sum(archive.getinfo(name).file_size for name in set(wanted))
        if declared > MAX_TWEETS_BYTES:
            raise TweetBotInputError(
                "ArchiveTooLarge",
                f"{where}: the tweets files unpack to {declared:,} bytes (at most {MAX_TWEETS_BYTES:,} are read)",
            )
        files = {name: archive.read(name) for name in wanted}
    except _ZIP_READ_ERRORS as exc:
        raise TweetBotInputError(
            "ArchiveTruncated", f"{where}: not a complete zip file ({exc}); upload it again"
        ) from exc
    return _read_files(files, where)


def _read_tweet_file(uri: str | Path, s3_endpoint: str | None = None) -> bytes:
    return fetch.read_bytes(str(uri), s3_endpoint, limit=MAX_TWEETS_BYTES)


def _read_local_dir(folder: Path) -> SourceResult:
    candidates = [p for p in folder.rglob("*.js") if _TWEET_FILE.search(p.as_posix())]
    candidates += [p for p in folder.rglob("*.js") if p.name in ("account.js", "profile.js")]
    files = {p.relative_to(folder).as_posix(): _read_tweet_file(p) for p in candidates}
    return _read_files(files, str(folder))


def _read_local_file(path: Path) -> SourceResult:
    """A tweets.js with its tweets-partN.js neighbours (split files), or any single file of tweets."""
    match = _TWEET_FILE.search(path.name)
    if match is None:
        return records_to_result(parse_tweets_js(_read_tweet_file(path), str(path)))
    files = {p.name: _read_tweet_file(p) for p in [path, *path.parent.glob(f"{match.group('family')}-part*.js")]}
    return _read_files(files, str(path.parent))


def _is_zip(head: bytes, uri: str) -> bool:
    return head == b"PK\x03\x04" or uri.lower().endswith(".zip")


def read_archive(uri: str, s3_endpoint: str | None = None) -> SourceResult:
    """Every post of the archive at `uri`: a tweets.js file, a .zip, or a folder (local or s3:// ending in /)."""
    if uri.startswith("s3://") and uri.endswith("/"):
        names = [u for u in fetch.list_s3(uri, s3_endpoint) if _TWEET_FILE.search(u)]
        return _read_files({name: _read_tweet_file(name, s3_endpoint) for name in names}, uri)
    if not fetch.is_remote(uri) and Path(uri.removeprefix("file://")).is_dir():
        return _read_local_dir(Path(uri.removeprefix("file://")))
    with fetch.open_binary(uri, s3_endpoint) as handle:
        head = handle.read(4)
        handle.seek(0)
        if _is_zip(head, uri):
            return read_zip(handle, uri)
        if not fetch.is_remote(uri):
            return _read_local_file(Path(uri.removeprefix("file://")))
        # A single remote file: parse it whatever its name (it may be saved as <user>-tweets.js).
        return records_to_result(parse_tweets_js(fetch.read_capped(handle, uri, MAX_TWEETS_BYTES), uri))
