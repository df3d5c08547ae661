"""The official X/Twitter archive: data/tweets.js (or legacy data/tweet.js), split partN files, a whole .zip.

Beside the posts: data/note-tweet.js (the whole text of long posts, see long_posts.py) and the files that name
the account (account.js `username`, manifest.js `userInfo.userName`) and its profile (display name, avatar).
Archives carry no `retweeted_status`, so a repost is a post whose text starts with `RT @`.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from tweetbot_trainer.data import fetch
from tweetbot_trainer.data.post import Post, field_str
from tweetbot_trainer.data.sources import ytd
from tweetbot_trainer.data.sources.base import SourceResult, clean_profile
from tweetbot_trainer.data.sources.long_posts import attach_notes
from tweetbot_trainer.errors import TweetBotInputError

_STATUS_LINK = re.compile(r"^https?://(?:mobile\.)?(?:twitter|x)\.com/\w+/status(?:es)?/\d+")
_DATE_FORMAT = "%a %b %d %H:%M:%S %z %Y"
# The small files that name the account and its profile, wherever the archive keeps them.
_ACCOUNT_FILES = ("account.js", "profile.js", "manifest.js")
# The tweets files we decompress from one zip, all parts together: far above a real archive's (a few hundred MB
# for 100k posts), and low enough that a zip bomb is refused instead of filling the pod's memory.
MAX_TWEETS_BYTES = 1 << 30
_ZIP_READ_ERRORS = (zipfile.BadZipFile, EOFError, zlib.error, ValueError, OSError, NotImplementedError, RuntimeError)
# What each of them means, in words: their own messages may quote member names.
_ZIP_PROBLEMS: tuple[tuple[type[Exception], str], ...] = (
    (zipfile.BadZipFile, "damaged, or not a zip"),
    (EOFError, "it ends early"),
    (zlib.error, "damaged compressed data"),
    (NotImplementedError, "a compression method not supported"),
    (RuntimeError, "encrypted"),
)
_UNBOUNDED = (zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
_CHUNK_BYTES = 1 << 20


def parse_tweets_js(raw: bytes, name: str) -> list[Any]:
    """The JSON array of one tweets.js/tweet.js file; `name` only goes into error messages."""
    return ytd.parse_ytd_js(raw, name, ytd.TWEETS)


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


def records_to_result(records: Iterable[Any], where: str = "the archive") -> SourceResult:
    result = SourceResult(posts=[], where=where)
    for record in records:
        result.add(record_to_post(record))
    return result


def tweet_file_order(names: Iterable[str]) -> list[str]:
    """The tweets files among `names`, part0 first; the current `tweets` family wins over legacy `tweet`."""
    names = list(names)
    return ytd.family_files(names, ytd.TWEETS) or ytd.family_files(names, ytd.LEGACY_TWEETS)


def archive_files(names: Iterable[str]) -> list[str]:
    """Every file of `names` the reader uses: tweets, notes, and the account's files."""
    names = list(names)
    extras = [n for n in names if n.rsplit("/", 1)[-1] in _ACCOUNT_FILES and "/__MACOSX/" not in f"/{n}"]
    return [*tweet_file_order(names), *ytd.family_files(names, ytd.NOTES), *extras]


def _account_record(files: dict[str, bytes], file_name: str, key: str) -> dict[str, Any]:
    """The `key` object of the first record of `file_name` (account.js, profile.js), {} when absent or damaged."""
    for name, raw in files.items():
        if name.rsplit("/", 1)[-1] == file_name:
            records = ytd.first_object(raw)
            first = records[0] if isinstance(records, list) and records and isinstance(records[0], dict) else {}
            return first[key] if isinstance(first.get(key), dict) else {}
    return {}


def _account_handle(files: dict[str, bytes]) -> str | None:
    """The handle the archive names as its owner: account.js `username`, else manifest.js `userInfo.userName`."""
    handle = field_str(_account_record(files, "account.js", "account").get("username"))
    if handle is None:
        manifest = next(
            (ytd.first_object(raw, "{") for n, raw in files.items() if n.rsplit("/", 1)[-1] == "manifest.js"), None
        )
        info = manifest.get("userInfo") if isinstance(manifest, dict) else None
        handle = field_str(info.get("userName")) if isinstance(info, dict) else None
    handle = (handle or "").strip().lstrip("@")
    return handle or None


def _read_files(files: dict[str, bytes], where: str) -> SourceResult:
    order = tweet_file_order(files)
    if not order:
        raise TweetBotInputError(
            "ArchiveMissingTweets", f"{where}: no data/tweets.js (or data/tweet.js) in the archive"
        )
    result = SourceResult(posts=[], where=where)
    for name in order:  # record by record: a Post is far smaller than its parsed dict
        for record in ytd.iter_ytd_js(files.pop(name), f"{where}: {name}", ytd.TWEETS):
            result.add(record_to_post(record))
    note_files = ytd.family_files(files, ytd.NOTES)
    notes = [r for name in note_files for r in ytd.parse_ytd_js(files[name], f"{where}: {name}", ytd.NOTES)]
    if note_files:
        result.posts, joined, unmatched = attach_notes(result.posts, notes)
        result.notes.append(
            f"{where}: {joined} long posts read whole from note-tweet.js"
            + (f"; {unmatched} note(s) match no post and are left out" if unmatched else "")
        )
    account = _account_record(files, "account.js", "account")
    profile = _account_record(files, "profile.js", "profile")
    result.profile = clean_profile(account.get("accountDisplayName"), profile.get("avatarMediaUrl"))
    result.account = _account_handle(files)
    return result


def _declared_size(archive: zipfile.ZipFile, names: Iterable[str]) -> int:
    return sum(archive.getinfo(name).file_size for name in set(names))


def _too_large(where: str, size: str) -> TweetBotInputError:
    return TweetBotInputError(
        "ArchiveTooLarge", f"{where}: the tweets files unpack to {size} bytes (at most {MAX_TWEETS_BYTES:,} are read)"
    )


def _unpack(archive: zipfile.ZipFile, name: str, budget: int, where: str) -> bytes:
    """One member, inflated chunk by chunk (ZipExtFile.read() with no size inflates all that follows at once,
    whatever size the zip declares) and refused once the running total passes `budget`."""
    info = archive.getinfo(name)
    if info.compress_type in _UNBOUNDED:  # zipfile inflates these without a bound on each read
        raise TweetBotInputError(
            "ArchiveCorrupt", f"{where}: {name} is compressed with method {info.compress_type}; X archives deflate"
        )
    out = io.BytesIO()
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK_BYTES):
            out.write(chunk)
            if out.tell() > budget:
                raise _too_large(where, f"more than {MAX_TWEETS_BYTES:,}")
    return out.getvalue()


def read_zip(source: bytes | IO[bytes], where: str) -> SourceResult:
    """The tweets files of a zip (bytes, or a seekable file: a whole archive with media can be gigabytes)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        wanted = archive_files(archive.namelist())
        declared = _declared_size(archive, wanted)
        if declared > MAX_TWEETS_BYTES:
            raise _too_large(where, f"{declared:,}")
        files: dict[str, bytes] = {}
        for name in wanted:
            files[name] = _unpack(archive, name, MAX_TWEETS_BYTES - sum(map(len, files.values())), where)
    except _ZIP_READ_ERRORS as exc:
        what = next((words for kind, words in _ZIP_PROBLEMS if isinstance(exc, kind)), "unreadable")
        message = f"{where}: not a complete zip file ({what}); upload it again"
        raise TweetBotInputError("ArchiveTruncated", message) from exc
    return _read_files(files, where)


def _read_tweet_file(uri: str | Path, s3_endpoint: str | None = None) -> bytes:
    return fetch.read_bytes(str(uri), s3_endpoint, limit=MAX_TWEETS_BYTES)


def _read_all(names: Iterable[str], read: Callable[[str, int], bytes], where: str) -> dict[str, bytes]:
    """`read(name, limit)` of each name, all of them together within MAX_TWEETS_BYTES (as for a zip)."""
    files: dict[str, bytes] = {}
    left = MAX_TWEETS_BYTES
    for name in names:
        files[name] = read(name, left)
        left -= len(files[name])
    return files


def _read_local_dir(folder: Path) -> SourceResult:
    paths = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*.js")}
    files = _read_all(archive_files(paths), lambda n, left: fetch.read_bytes(str(paths[n]), limit=left), str(folder))
    return _read_files(files, str(folder))


def _with_neighbours(name: str, beside: Iterable[str]) -> list[str]:
    """What is read for a bare tweets file `name`: the parts of its family, and the note and account files that
    lie beside it (`beside`: the names in its folder)."""
    family = ytd.TWEETS if ytd.TWEETS.part(name) is not None else ytd.LEGACY_TWEETS
    return [n for n in archive_files(beside) if family.part(n) is not None or not tweet_file_order([n])]


def _read_local_file(path: Path) -> SourceResult:
    """A tweets.js with what lies beside it (its partN files, note-tweet.js, account.js), or any single file."""
    if not tweet_file_order([path.name]):
        return records_to_result(ytd.iter_ytd_js(_read_tweet_file(path), str(path), ytd.TWEETS), str(path))
    names = _with_neighbours(path.name, [p.name for p in path.parent.glob("*.js")])
    files = _read_all(names, lambda n, left: fetch.read_bytes(str(path.parent / n), limit=left), str(path.parent))
    return _read_files(files, str(path.parent))


def _read_s3_file(uri: str, s3_endpoint: str | None) -> SourceResult | None:
    """An s3:// tweets.js with what lies beside it in its folder, as for a local file; None for other names."""
    folder, name = uri.rsplit("/", 1)
    if not tweet_file_order([name]):
        return None
    beside = [u for u in fetch.list_s3(folder + "/", s3_endpoint) if u.rsplit("/", 1)[0] == folder]
    names = _with_neighbours(uri, beside)
    files = _read_all(names, lambda n, left: fetch.read_bytes(n, s3_endpoint, limit=left), folder)
    return _read_files(files, folder + "/")


def _is_zip(head: bytes, uri: str) -> bool:
    return head == b"PK\x03\x04" or uri.lower().endswith(".zip")


def read_archive(uri: str, s3_endpoint: str | None = None) -> SourceResult:
    """Every post of the archive at `uri`: a tweets.js file, a .zip, or a folder (local or s3:// ending in /)."""
    if uri.startswith("s3://") and uri.endswith("/"):
        names = archive_files(fetch.list_s3(uri, s3_endpoint))
        return _read_files(_read_all(names, lambda n, left: fetch.read_bytes(n, s3_endpoint, limit=left), uri), uri)
    if not fetch.is_remote(uri) and Path(uri.removeprefix("file://")).is_dir():
        return _read_local_dir(Path(uri.removeprefix("file://")))
    beside = _read_s3_file(uri, s3_endpoint) if uri.startswith("s3://") else None
    if beside is not None:
        return beside
    with fetch.open_binary(uri, s3_endpoint) as handle:
        head = handle.read(4)
        handle.seek(0)
        if _is_zip(head, uri):
            return read_zip(handle, uri)
        if not fetch.is_remote(uri):
            return _read_local_file(Path(uri.removeprefix("file://")))
        # A single remote file: parse it whatever its name (it may be saved as <user>-tweets.js).
        raw = fetch.read_capped(handle, uri, MAX_TWEETS_BYTES)
        return records_to_result(ytd.iter_ytd_js(raw, uri, ytd.TWEETS), uri)
