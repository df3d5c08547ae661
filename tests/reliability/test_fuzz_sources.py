"""Fuzzed archives, post files and API pages never crash the trainer's data side.

Every input ends one of two ways: a clean dataset, with each record either used or counted as "skipped" in the
stats, or a TweetBotInputError (TweetBotTransientError for services that keep failing) whose message is one line,
names the file or handle, and carries no traceback. Any other exception is a bug.
"""

from __future__ import annotations

import csv
import io
import json
import socket
import struct
import tempfile
import threading
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tweetbot_trainer.data import prepare
from tweetbot_trainer.data.post import MAX_POST_CHARS, Post
from tweetbot_trainer.data.prepare import PreparedDataset, SourceSpec, prepare_dataset
from tweetbot_trainer.data.sources import archive, bluesky, file, http, long_posts, mastodon, x_api
from tweetbot_trainer.data.sources.base import SourceResult
from tweetbot_trainer.data.sources.http import JsonHttpClient
from tweetbot_trainer.errors import TweetBotInputError, TweetBotTransientError

from tests.support.fuzz_scale import examples
from tests.support.http_replay import ReplayServer

T = TypeVar("T")
USER = "someone"
TOKEN_ENV = "FUZZ_X_TOKEN"
FUZZ = settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
HTML_ERROR = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"

# Strings that broke, or could break, something downstream: lone surrogates (no UTF-8 form), a post over the
# size cap, NUL and line separators, markup (`<![0` broke the stdlib's HTMLParser), entities, bidi controls, a
# repost and a status link.
HOSTILE_STRINGS = [
    "",
    " ",
    "\ud800",
    "ok words here \udfff then more",
    "x" * (MAX_POST_CHARS + 1),
    "\x00\x01\x1b[31m",
    "line one\u2028line two\u2029para\x85next\r\n",
    "<script>alert(1)</script><!-- c --><![CDATA[x",
    "<p>a status with <![0 in it</p>",
    "&amp;&#0;&#x110000;&#99999999999;&",
    "words before a reference of 5,000 digits &#" + "9" * 5000 + ";",  # html.unescape raised on it
    "\u202eevil\u202c",
    "RT @other: their words, not mine at all",
    "https://x.com/a/status/1 look at this thing",
    "a perfectly normal post with enough words in it",
    "日本語のテキストです、今日は晴れ",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(HOSTILE_STRINGS),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def records_of(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects with any subset of `fields`: a missing key is as likely as a wrong value."""
    return st.fixed_dictionaries({}, optional=fields)


texts = st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=80), json_values)


def check_error(err: BaseException, names: str) -> None:
    """The error a user sees: one printable line that names the file/handle, no traceback."""
    assert isinstance(err, TweetBotInputError | TweetBotTransientError), repr(err)
    message = str(err)
    assert message.strip(), "empty error message"
    assert "\n" not in message and "\r" not in message, message
    assert "Traceback" not in message and 'File "' not in message, message
    assert len(message) <= 1000
    message.encode("utf-8")  # goes to status conditions and the termination log
    # The file (or API base URL) for a problem with its content; the handle for too little text or a bad account.
    assert names in message or f"@{USER}" in message, f"neither {names!r} nor @{USER} in {message!r}"


def outcome(call: Callable[[], T], names: str) -> T | None:
    """`call()`'s result, or None after checking the error it raised; any other exception fails the test."""
    try:
        return call()
    except (TweetBotInputError, TweetBotTransientError) as err:
        check_error(err, names)
        return None


@pytest.fixture(scope="module", autouse=True)
def relaxed() -> Iterator[None]:
    """No minimum amount of text (so fuzzed data reaches the writing of train.txt), no rate-limit sleeps."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(prepare, "MIN_KEPT_CHARS", 1)
        mp.setenv(http.MAX_WAIT_ENV, "0")
        mp.setenv(TOKEN_ENV, "fuzz-token")
        yield


def prepare_one(source: SourceSpec, out: Path, names: str) -> PreparedDataset | None:
    """prepare_dataset for USER, and when it succeeds, check what it wrote can be read back."""
    prepared = outcome(lambda: prepare_dataset([USER], source, out), names)
    if prepared is not None:
        saved = json.loads((out / "stats.json").read_text(encoding="utf-8"))
        assert saved["users"] == prepared.stats
        prepared.train_path.read_text(encoding="utf-8")
    return prepared


def prepare_bytes(raw: bytes, filename: str, kind: str = "archive") -> PreparedDataset | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_bytes(raw)
        return prepare_one(SourceSpec(kind, uri=str(path)), Path(tmp) / "out", path.name)


def assert_input_error(raw: bytes, filename: str, reason: str) -> None:
    """Preparing `raw` saved as `filename` fails with `reason` and a clean message."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_bytes(raw)
        with pytest.raises(TweetBotInputError) as caught:
            prepare_dataset([USER], SourceSpec("archive", uri=str(path)), Path(tmp) / "out")
        assert caught.value.reason == reason
        check_error(caught.value, filename)


def counted(prepared: PreparedDataset) -> int:
    """Records the stats account for: every record is downloaded (then kept or dropped) or skipped."""
    counts = prepared.stats[USER]
    return counts["downloaded"] + counts.get("skipped", 0)


# -- X archives: tweets.js ------------------------------------------------------------------------------------

WRAPPER = b"window.YTD.tweets.part0 = "


def tweet(n: int, text: str) -> dict[str, Any]:
    return {
        "tweet": {
            "id_str": str(1000 + n),
            "full_text": text,
            "created_at": "Wed Oct 10 20:19:24 +0000 2018",
            "lang": "en",
            "entities": {"urls": []},
        }
    }


VALID_ARCHIVE = (
    WRAPPER
    + json.dumps(
        [tweet(1, "first post with a few words"), tweet(2, "RT @x: a repost of theirs"), tweet(3, "ok")], indent=1
    ).encode()
)

tweet_fields = records_of(
    full_text=texts,
    text=texts,
    id_str=json_values,
    id=json_values,
    created_at=st.one_of(json_values, st.just("Wed Oct 10 20:19:24 +0000 2018")),
    lang=json_values,
    entities=st.one_of(
        json_values, st.fixed_dictionaries({"urls": st.lists(st.fixed_dictionaries({"expanded_url": texts}))})
    ),
    in_reply_to_status_id_str=json_values,
    quoted_status_id_str=json_values,
    is_quote_status=json_values,
)
archive_records = st.one_of(tweet_fields, st.builds(lambda t: {"tweet": t}, tweet_fields), json_values)


@FUZZ
@given(records=st.lists(archive_records, max_size=8), indent=st.none() | st.just(1))
def test_archive_records_of_any_shape_are_used_or_counted(records: list[Any], indent: int | None) -> None:
    raw = WRAPPER + json.dumps(records, indent=indent).encode()
    direct = archive.records_to_result(records)
    assert len(direct.posts) + direct.skipped == len(records)
    prepared = prepare_bytes(raw, "tweets.js")
    if prepared is not None:
        assert counted(prepared) == len(records)


@FUZZ
@given(raw=st.binary(max_size=600))
def test_archive_random_bytes(raw: bytes) -> None:
    prepare_bytes(raw, "tweets.js")


@FUZZ
@given(tail=st.binary(max_size=300))
def test_archive_right_wrapper_then_random_bytes(tail: bytes) -> None:
    prepare_bytes(WRAPPER + b"[" + tail, "tweets.js")


@FUZZ
@given(prefix=st.text(max_size=60), body=json_values)
def test_archive_wrong_wrapper_or_wrong_shape(prefix: str, body: Any) -> None:
    prepare_bytes(prefix.encode("utf-8", "surrogatepass") + json.dumps(body).encode(), "tweets.js")


def test_archive_truncated_at_every_position() -> None:
    for cut in range(len(VALID_ARCHIVE)):
        prepared = prepare_bytes(VALID_ARCHIVE[:cut], "tweets.js")
        # Only a cut after the closing bracket leaves a whole archive.
        assert prepared is None or VALID_ARCHIVE[cut:].strip() == b"", cut


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (WRAPPER + b"[" * 100_000, "ArchiveCorrupt"),
        (WRAPPER + b"[" * 100_000 + b"]" * 100_000, "ArchiveCorrupt"),
        (WRAPPER + b'[{"tweet": {"id": ' + b"9" * 5000 + b', "full_text": "a b c d"}}]', "ArchiveCorrupt"),
        (WRAPPER + b'{"tweet": {}}', "ArchiveWrongWrapper"),
        (b"window.YTD.like.part0 = []", "ArchiveWrongWrapper"),
        (b"\xff\xfe\x00w\x00i\x00n", "ArchiveWrongWrapper"),
        (WRAPPER + b"[]", "EmptyFeed"),
        (WRAPPER + b'[null, 1, "x", [], {"tweet": null}, {"tweet": {"full_text": 5}}]', "EmptyFeed"),
    ],
)
def test_archive_nasty_documents(raw: bytes, reason: str) -> None:
    assert_input_error(raw, "tweets.js", reason)


def test_bad_records_are_counted_and_good_ones_kept(tmp_path: Path) -> None:
    """Surrogates, huge text, wrong types and nulls: skipped and counted, the good post still trains."""
    good = "a perfectly normal post with enough words in it"
    records = [
        tweet(1, good),
        tweet(2, "half an emoji \ud83d here and more words"),
        tweet(3, "y" * (MAX_POST_CHARS + 1)),
        {"tweet": {"full_text": None}},
        {"tweet": {"full_text": ["a"], "lang": {"x": 1}}},
        {"tweet": {"full_text": good, "lang": ["en"], "id": {"a": 1}, "created_at": 7, "entities": "x"}},
        None,
    ]
    (tmp_path / "tweets.js").write_bytes(WRAPPER + json.dumps(records).encode())
    prepared = prepare_one(SourceSpec("archive", uri=str(tmp_path / "tweets.js")), tmp_path / "out", "tweets.js")
    assert prepared is not None
    assert prepared.stats[USER] == {"downloaded": 2, "retweets": 0, "short": 0, "kept": 2, "skipped": 5}
    assert good in prepared.train_path.read_text(encoding="utf-8") + prepared.eval_path.read_text(encoding="utf-8")


# -- X archives: zip ------------------------------------------------------------------------------------------


def make_zip(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


ACCOUNT_JS = b'window.YTD.account.part0 = [{"account": {"accountDisplayName": "Some One"}}]'
VALID_ZIP = make_zip({"data/tweets.js": VALID_ARCHIVE, "data/account.js": ACCOUNT_JS})


def test_zip_truncated_at_every_position() -> None:
    for cut in range(len(VALID_ZIP)):
        result = outcome(lambda cut=cut: archive.read_zip(VALID_ZIP[:cut], "a.zip"), "a.zip")  # type: ignore[misc]
        assert result is None, cut  # the central directory is at the end: any cut breaks the zip


@FUZZ
@given(position=st.integers(min_value=0, max_value=len(VALID_ZIP) - 1), value=st.integers(0, 255))
def test_zip_with_a_corrupted_byte(position: int, value: int) -> None:
    raw = bytearray(VALID_ZIP)
    raw[position] = value
    prepare_bytes(bytes(raw), "archive.zip")


@FEW
@given(tail=st.binary(max_size=400))
def test_zip_random_bytes(tail: bytes) -> None:
    prepare_bytes(b"PK\x03\x04" + tail, "archive.zip")


@FEW
@given(
    account=json_values,
    profile=st.fixed_dictionaries({"profile": st.fixed_dictionaries({"avatarMediaUrl": texts})}) | json_values,
)
def test_zip_profile_files_of_any_shape(account: Any, profile: Any) -> None:
    raw = make_zip(
        {
            "data/tweets.js": VALID_ARCHIVE,
            "data/account.js": b"window.YTD.account.part0 = " + json.dumps([account]).encode(),
            "data/profile.js": b"window.YTD.profile.part0 = " + json.dumps([profile]).encode(),
        }
    )
    prepared = prepare_bytes(raw, "archive.zip")
    assert prepared is not None
    for value in prepared.profiles[USER].values():
        value.encode("utf-8")
    assert prepared.profiles[USER].get("avatar_url", "https://").startswith(("https://", "http://"))


note_records = st.one_of(
    st.builds(
        lambda note: {"noteTweet": note},
        records_of(
            noteTweetId=st.one_of(json_values, st.sampled_from(["1000", "1782058730885980160"])),
            createdAt=st.one_of(json_values, st.just("2018-10-10T20:19:24.000Z")),
            core=st.one_of(json_values, records_of(text=texts)),
        ),
    ),
    json_values,
)


@FUZZ
@given(notes=st.lists(note_records, max_size=6), records=st.lists(archive_records, max_size=6))
def test_zip_note_files_of_any_shape(notes: list[Any], records: list[Any]) -> None:
    """Notes of any shape beside posts of any shape: each post is still one post (a note never adds one)."""
    raw = make_zip(
        {
            "data/tweets.js": WRAPPER + json.dumps([tweet(1, "first post with a few words"), *records]).encode(),
            "data/note-tweet.js": b"window.YTD.note_tweet.part0 = " + json.dumps(notes).encode(),
        }
    )
    prepared = prepare_bytes(raw, "archive.zip")
    if prepared is not None:
        assert counted(prepared) == len(records) + 1


post_records = st.builds(
    Post,
    id=st.sampled_from(["1", "1782058730978148778", "x", ""]),
    text=st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=80)),
    created_at=st.none() | st.sampled_from(["2018-10-10T20:19:24+00:00", "2024-04-21T14:48:05+00:00", "x"]),
    is_repost=st.booleans(),
)


@FUZZ
@given(posts=st.lists(post_records, max_size=5), notes=st.lists(note_records, max_size=5))
def test_note_matching_keeps_every_post(posts: list[Post], notes: list[Any]) -> None:
    joined, count, unmatched = long_posts.attach_notes(posts, notes)
    assert len(joined) == len(posts) and count + unmatched <= len(notes) and count <= len(posts)
    assert [p.id for p in joined] == [p.id for p in posts]


@FEW
@given(username=texts, manifest=json_values)
def test_zip_account_names_of_any_shape(username: Any, manifest: Any) -> None:
    """Whatever account.js and manifest.js name, the archive is read as @someone's or refused, cleanly."""
    raw = make_zip(
        {
            "data/tweets.js": VALID_ARCHIVE,
            "data/account.js": b"window.YTD.account.part0 = "
            + json.dumps([{"account": {"username": username}}]).encode(),
            "data/manifest.js": b"window.__THAR_CONFIG = " + json.dumps(manifest).encode(),
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "archive.zip").write_bytes(raw)
        try:
            prepare_dataset([USER], SourceSpec("archive", uri=str(Path(tmp) / "archive.zip")), Path(tmp) / "out")
        except TweetBotInputError as err:
            check_error(err, "archive.zip")
            assert err.reason == "ArchiveUserMismatch" and f"@{USER}" in err.message


def _patch_central(raw: bytes, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite a field of the first central directory entry (what zipfile trusts)."""
    at = raw.index(b"PK\x01\x02") + offset
    return raw[:at] + struct.pack(fmt, value) + raw[at + struct.calcsize(fmt) :]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (make_zip({"data/like.js": b"window.YTD.like.part0 = []"}), "ArchiveMissingTweets"),
        (make_zip({"__MACOSX/data/tweets.js": VALID_ARCHIVE}), "ArchiveMissingTweets"),
        (make_zip({}), "ArchiveMissingTweets"),
        (b"PK\x03\x04", "ArchiveTruncated"),
        (b"PK\x05\x06" + b"\x00" * 18, "ArchiveMissingTweets"),
        # A central directory declaring 3 GiB: refused before anything is decompressed.
        (_patch_central(make_zip({"data/tweets.js": VALID_ARCHIVE}), 24, "<I", 3 << 30), "ArchiveTooLarge"),
        # Encrypted entry (flag bit 0) and an unknown compression method.
        (_patch_central(make_zip({"data/tweets.js": VALID_ARCHIVE}), 8, "<H", 1), "ArchiveTruncated"),
        (_patch_central(make_zip({"data/tweets.js": VALID_ARCHIVE}), 10, "<H", 99), "ArchiveTruncated"),
        (make_zip({"data/tweets.js": b"\x00" * 1000}), "ArchiveWrongWrapper"),
    ],
)
def test_zip_nasty_archives(raw: bytes, reason: str) -> None:
    assert_input_error(raw, "archive.zip", reason)


def test_zip_bomb_is_refused_without_filling_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """64 MiB of zeros in a ~64 KiB zip, against a 4 MiB cap: refused, with memory use far below 64 MiB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("data/tweets.js", "w") as entry:
        chunk = b"\x00" * (1 << 20)
        for _ in range(64):
            entry.write(chunk)
    bomb = buffer.getvalue()
    assert len(bomb) < 1 << 20
    monkeypatch.setattr(archive, "MAX_TWEETS_BYTES", 4 << 20)
    tracemalloc.start()
    try:
        with pytest.raises(TweetBotInputError) as caught:
            archive.read_zip(bomb, "bomb.zip")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.reason == "ArchiveTooLarge"
    check_error(caught.value, "bomb.zip")
    assert peak < 16 << 20


# -- JSONL, JSON and CSV files ----------------------------------------------------------------------------------

file_records = st.one_of(
    records_of(
        text=texts,
        full_text=texts,
        content=texts,
        id=json_values,
        created_at=json_values,
        lang=json_values,
        is_repost=json_values,
        is_reply=json_values,
        is_quote=json_values,
    ),
    json_values,
)


@FUZZ
@given(records=st.lists(file_records, min_size=1, max_size=8), ascii_only=st.booleans())
def test_jsonl_records_of_any_shape_are_used_or_counted(records: list[Any], ascii_only: bool) -> None:
    lines = [json.dumps(r, ensure_ascii=ascii_only) for r in records]
    raw = "\n".join(lines).encode("utf-8", "surrogatepass")
    prepared = prepare_bytes(raw, "posts.jsonl", "file")
    if prepared is not None:
        assert counted(prepared) == len(records)


@FUZZ
@given(raw=st.binary(max_size=600), name=st.sampled_from(["posts.jsonl", "posts.json", "posts.csv"]))
def test_post_file_random_bytes(raw: bytes, name: str) -> None:
    prepare_bytes(raw, name, "file")


@FUZZ
@given(lines=st.lists(st.one_of(st.text(max_size=40), st.sampled_from(["{", "[", "{}", "null", "[1,"])), max_size=8))
def test_jsonl_broken_lines_are_counted(lines: list[str]) -> None:
    raw = "\n".join(["{", *lines]).encode("utf-8", "surrogatepass")  # "{" first: read as JSONL
    prepared = prepare_bytes(raw, "posts.jsonl", "file")
    if prepared is not None:
        assert counted(prepared) == sum(1 for line in ["{", *lines] if line.strip())


@FUZZ
@given(
    header=st.sampled_from([["text", "id"], ["content", "lang", "is_repost"], ["id"], ["text", "text"]]),
    rows=st.lists(st.lists(st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE_STRINGS)), max_size=4), max_size=6),
)
def test_csv_rows_of_any_shape_are_used_or_counted(header: list[str], rows: list[list[str]]) -> None:
    rows = [row for row in rows if row]  # an empty row is a blank line: no record at all
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    prepared = prepare_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"), "posts.csv", "file")
    if prepared is not None:
        assert counted(prepared) == len(rows)


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000,
        b'[{"text": "a b c d", "id": ' + b"9" * 5000 + b"}]",
        b'{"text": "a b c d e"}\n' + b"[" * 100_000 + b"\n" + b'{"id": ' + b"9" * 5000 + b"}",
    ],
)
def test_post_file_nasty_json(raw: bytes) -> None:
    prepared = prepare_bytes(raw, "posts.jsonl", "file")
    if prepared is not None:  # JSONL: the bad lines are counted
        assert prepared.stats[USER] == {"downloaded": 1, "retweets": 0, "short": 0, "kept": 1, "skipped": 2}


def test_jsonl_line_separator_inside_a_post_is_not_a_new_line() -> None:
    raw = json.dumps({"text": "one line\u2028same post with words"}, ensure_ascii=False).encode()
    prepared = prepare_bytes(raw, "posts.jsonl", "file")
    assert prepared is not None
    assert prepared.stats[USER] == {"downloaded": 1, "retweets": 0, "short": 0, "kept": 1}


def test_csv_huge_field_is_one_skipped_record() -> None:
    huge = "z" * (MAX_POST_CHARS + 200_000)  # over both our cap and the csv module's 128 KiB field limit
    raw = f'text\n"{huge}"\nan ordinary post with words\n'.encode()
    prepared = prepare_bytes(raw, "posts.csv", "file")
    assert prepared is not None
    assert prepared.stats[USER] == {"downloaded": 1, "retweets": 0, "short": 0, "kept": 1, "skipped": 1}


# -- API pages on the replay server --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def replay() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        yield server


def serve(server: ReplayServer, routes: list[tuple[str, Any, int]]) -> None:
    """Replace the server's routes (one hypothesis example at a time)."""
    server.routes.clear()
    server.requests.clear()
    for path, body, status in routes:
        server.add(path, body, status=status)


# A body: JSON of any shape, raw bytes (invalid JSON, invalid UTF-8), an HTML error page, or empty.
junk_bodies = st.one_of(json_values, st.binary(max_size=100), st.just(HTML_ERROR), st.just(b""))
statuses = st.sampled_from([200, 200, 200, 200, 400, 401, 403, 404, 410, 418, 429, 500, 502, 503])


def api_prepare(kind: str, url: str) -> PreparedDataset | None:
    with tempfile.TemporaryDirectory() as tmp:
        return prepare_one(SourceSpec(kind, url=url, token_env=TOKEN_ENV), Path(tmp) / "out", url)


x_tweets = records_of(
    id=json_values,
    text=texts,
    note_tweet=st.one_of(json_values, st.fixed_dictionaries({"text": texts})),
    created_at=json_values,
    lang=json_values,
    in_reply_to_user_id=json_values,
    referenced_tweets=st.one_of(
        json_values, st.lists(st.fixed_dictionaries({"type": json_values, "id": json_values}), max_size=3)
    ),
)
X_LOOKUP = {"data": {"id": "12", "name": "Some One", "username": USER}}


@FUZZ
@given(tweets=st.lists(st.one_of(x_tweets, json_values), max_size=10), meta=json_values)
def test_x_api_page_records_are_used_or_counted(replay: ReplayServer, tweets: list[Any], meta: Any) -> None:
    serve(replay, [(f"/2/users/by/username/{USER}", X_LOOKUP, 200), ("/2/users/12/tweets", {"data": tweets}, 200)])
    prepared = api_prepare("x-api", replay.url)
    if prepared is not None:
        assert counted(prepared) == len(tweets)
    serve(
        replay,
        [(f"/2/users/by/username/{USER}", X_LOOKUP, 200), ("/2/users/12/tweets", {"data": tweets, "meta": meta}, 200)],
    )
    api_prepare("x-api", replay.url)  # the same page forever behind a fuzzed next_token: must still end


mastodon_statuses = records_of(
    id=json_values,
    content=st.one_of(texts, st.text(alphabet="<>&;#!-/[]ab =\"'p", max_size=40)),
    created_at=json_values,
    language=json_values,
    in_reply_to_id=json_values,
    quote=json_values,
    reblog=st.one_of(json_values, st.fixed_dictionaries({"content": texts, "language": json_values})),
)
M_LOOKUP = {"id": "109", "username": USER, "display_name": "Some One", "avatar": "https://example.social/a.png"}


@FUZZ
@given(statuses_page=st.lists(st.one_of(mastodon_statuses, json_values), max_size=10))
def test_mastodon_page_records_are_used_or_counted(replay: ReplayServer, statuses_page: list[Any]) -> None:
    # The same page answers every max_id: paging must notice and stop.
    serve(replay, [("/api/v1/accounts/lookup", M_LOOKUP, 200), ("/api/v1/accounts/109/statuses", statuses_page, 200)])
    prepared = api_prepare("mastodon", replay.url)
    if prepared is not None and all(isinstance(s, dict) and "id" in s for s in statuses_page[-1:]):
        assert counted(prepared) >= len(statuses_page)


facets = st.one_of(
    json_values,
    st.lists(
        st.fixed_dictionaries(
            {
                "index": st.one_of(
                    json_values,
                    st.fixed_dictionaries(
                        {"byteStart": st.integers(-5, 80) | json_values, "byteEnd": st.integers(-5, 80) | json_values}
                    ),
                ),
                "features": st.one_of(
                    json_values,
                    st.lists(
                        st.one_of(json_values, st.fixed_dictionaries({"$type": st.just(bluesky.LINK), "uri": texts})),
                        max_size=2,
                    ),
                ),
            }
        ),
        max_size=3,
    ),
)
bluesky_records = records_of(
    text=texts,
    facets=facets,
    langs=json_values,
    createdAt=json_values,
    reply=json_values,
    embed=json_values,
)
bluesky_items = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"post": st.one_of(json_values, st.fixed_dictionaries({"uri": json_values, "record": bluesky_records}))},
        optional={"reason": json_values},
    ),
)
B_PROFILE = {"did": "did:plc:abc", "handle": USER, "displayName": "Some One", "avatar": "https://cdn.bsky.app/a.jpg"}


@FUZZ
@given(items=st.lists(bluesky_items, max_size=10), cursor=json_values)
def test_bluesky_page_records_are_used_or_counted(replay: ReplayServer, items: list[Any], cursor: Any) -> None:
    serve(
        replay,
        [
            ("/xrpc/app.bsky.actor.getProfile", B_PROFILE, 200),
            ("/xrpc/app.bsky.feed.getAuthorFeed", {"feed": items}, 200),
        ],
    )
    prepared = api_prepare("bluesky", replay.url)
    if prepared is not None:
        assert counted(prepared) == len(items)
    replay.routes[-1].body = {"feed": items, "cursor": cursor}  # the same page behind any cursor: must still end
    api_prepare("bluesky", replay.url)


# kind -> (account path, its answers, posts path, its answers); junk_bodies are mixed into both.
HOSTILE_SERVICES: dict[str, tuple[str, st.SearchStrategy[Any], str, st.SearchStrategy[Any]]] = {
    "x-api": (
        f"/2/users/by/username/{USER}",
        st.fixed_dictionaries({"data": json_values | st.just(X_LOOKUP["data"])}),
        "/2/users/12/tweets",
        st.fixed_dictionaries({}, optional={"data": json_values, "errors": json_values, "meta": json_values}),
    ),
    "mastodon": (
        "/api/v1/accounts/lookup",
        st.just(M_LOOKUP) | st.builds(lambda v: {**M_LOOKUP, "id": v}, json_values),
        "/api/v1/accounts/109/statuses",
        st.lists(json_values, max_size=3),
    ),
    "bluesky": (
        "/xrpc/app.bsky.actor.getProfile",
        st.builds(lambda labels: {**B_PROFILE, "labels": labels}, json_values),
        "/xrpc/app.bsky.feed.getAuthorFeed",
        st.fixed_dictionaries({}, optional={"feed": json_values, "cursor": json_values}),
    ),
}


@pytest.mark.parametrize("kind", list(HOSTILE_SERVICES))
@FEW
@given(data=st.data(), account_status=statuses, page_status=statuses)
def test_hostile_answers(
    replay: ReplayServer, kind: str, data: st.DataObject, account_status: int, page_status: int
) -> None:
    """Wrong shapes, HTML error pages, invalid JSON and error statuses, for the account and the posts."""
    account_path, accounts, page_path, pages = HOSTILE_SERVICES[kind]
    account = data.draw(junk_bodies | accounts, label="account")
    page = data.draw(junk_bodies | pages, label="page")
    serve(replay, [(account_path, account, account_status), (page_path, page, page_status)])
    api_prepare(kind, replay.url)


# The record parsers alone, without HTTP: cheap, so many more examples reach the deeply nested fields.
RECORD_PARSERS: dict[str, tuple[Callable[[Any], Post | None], st.SearchStrategy[Any]]] = {
    "archive": (archive.record_to_post, archive_records),
    "file": (lambda record: file.record_to_post(record, 0), file_records),
    "x-api": (x_api.tweet_to_post, x_tweets),
    "mastodon": (mastodon.status_to_post, mastodon_statuses),
    "bluesky": (bluesky.item_to_post, bluesky_items),
}


@pytest.mark.parametrize("kind", list(RECORD_PARSERS))
@settings(max_examples=examples(150), deadline=None)
@given(data=st.data())
def test_record_parsers_take_any_record(kind: str, data: st.DataObject) -> None:
    parse, records = RECORD_PARSERS[kind]
    record = data.draw(records | json_values, label="record")
    post = parse(record) if isinstance(record, dict) or kind in ("archive", "file") else None
    result = SourceResult(posts=[])
    result.add(post)
    assert len(result.posts) + result.skipped == 1
    for kept in result.posts:  # what reaches cleaning and train.txt: strings that can be written as UTF-8
        for value in (kept.id, kept.text, kept.created_at, kept.lang):
            assert value is None or isinstance(value, str)
            (value or "").encode("utf-8")


def test_huge_page_is_refused_not_read(replay: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "MAX_BODY_BYTES", 64 << 10)
    page = [{"id": str(n), "content": "<p>" + "words " * 100 + "</p>"} for n in range(200)]  # ~130 KiB
    serve(replay, [("/api/v1/accounts/lookup", M_LOOKUP, 200), ("/api/v1/accounts/109/statuses", page, 200)])
    with pytest.raises(TweetBotInputError) as caught:
        prepare_dataset([USER], SourceSpec("mastodon", url=replay.url), Path(tempfile.gettempdir()) / "never")
    assert caught.value.reason == "SourceError"
    check_error(caught.value, replay.url)


def test_ids_from_the_service_cannot_steer_the_request_path(replay: ReplayServer) -> None:
    """An account id with '/', '?', spaces or non-ASCII is one quoted path segment, not a crash or a new path."""
    hostile = "../../admin?x=1 \u00e9\n"
    serve(replay, [("/api/v1/accounts/lookup", {**M_LOOKUP, "id": hostile}, 200)])
    assert api_prepare("mastodon", replay.url) is None
    assert [r.path for r in replay.requests][-1].startswith("/api/v1/accounts/")
    assert "admin" not in replay.requests[-1].path.split("/")


# -- broken HTTP on a raw socket ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n[{",  # body cut short
        b"HELLO THERE\r\n\r\n",  # not HTTP
        b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",  # header line over http.client's limit
        b"",  # connection closed at once
    ],
)
def test_broken_http_answers(answer: bytes) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.05)  # lets the thread see `stop` soon
        stop = threading.Event()

        def serve_raw() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                with conn:
                    conn.recv(65536)
                    conn.sendall(answer)

        thread = threading.Thread(target=serve_raw, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        client = JsonHttpClient(url, sleep=lambda _: None, attempts=2, timeout_s=5)
        try:
            assert outcome(lambda: bluesky.fetch_posts(USER, url, client=client), url) is None
        finally:
            stop.set()
            thread.join(timeout=5)
