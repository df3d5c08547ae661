"""Fuzzed X archives (tweets.js, note-tweet.js, account files, whole zips) never crash the trainer's data side:
each record is used or counted, or the archive is refused with a one-line error naming it."""

from __future__ import annotations

import io
import json
import struct
import tempfile
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tweetbot_trainer.data.post import MAX_POST_CHARS, Post
from tweetbot_trainer.data.prepare import SourceSpec, prepare_dataset
from tweetbot_trainer.data.sources import archive, long_posts
from tweetbot_trainer.errors import TweetBotInputError

from tests.reliability.fuzz_inputs import (
    FEW,
    FUZZ,
    HOSTILE_STRINGS,
    USER,
    VALID_ARCHIVE,
    WRAPPER,
    archive_records,
    assert_input_error,
    check_error,
    counted,
    json_values,
    outcome,
    prepare_bytes,
    prepare_one,
    records_of,
    relaxed,  # noqa: F401 - the module's autouse fixture
    texts,
    tweet,
)


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
