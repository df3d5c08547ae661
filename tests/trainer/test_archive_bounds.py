"""Hostile archives stay bounded: a zip whose member inflates far past the size it declares is read only up to
that size, chunk by chunk (never whole), and refused with one line, exit 2."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from tweetbot_trainer import cli
from tweetbot_trainer.data.sources import SourceSpec, archive, load_posts
from tweetbot_trainer.errors import TweetBotInputError

WRAPPER = b"window.YTD.tweets.part0 = ["


def lying_zip(inflated_mib: int = 800, declared: int = 100) -> bytes:
    """A zip (about 1 KB per inflated MiB) whose data/tweets.js says `declared` bytes in both headers and
    inflates to `inflated_mib` MiB of JSON whitespace after the wrapper. The deflate stream is one flushed block
    repeated, so building it costs nothing."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = deflate.compress(WRAPPER) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(b" " * (1 << 20)) + deflate.flush(zlib.Z_FULL_FLUSH)
    data = start + block * inflated_mib + deflate.flush(zlib.Z_FINISH)
    name = b"data/tweets.js"
    crc = zlib.crc32((WRAPPER + b" " * declared)[:declared])
    fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, crc, len(data), declared, len(name), 0)
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields) + name
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0) + name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    return local + data + central + end


def test_the_lying_zip_is_what_it_claims() -> None:
    raw = lying_zip(inflated_mib=3)
    assert len(raw) < 10_000
    inflated = zlib.decompressobj(-15).decompress(raw[44 : raw.index(b"PK\x01\x02")])
    assert len(inflated) == len(WRAPPER) + (3 << 20) and inflated.startswith(WRAPPER)
    assert zipfile.ZipFile(io.BytesIO(raw)).getinfo("data/tweets.js").file_size == 100


def test_a_zip_that_lies_about_its_size_is_read_in_bounded_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "archive.zip"
    path.write_bytes(lying_zip())
    assert path.stat().st_size < 1_100_000
    tracemalloc.start()
    try:
        with pytest.raises(TweetBotInputError):
            load_posts("someone", SourceSpec(kind="archive", uri=str(path)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20, f"peak {peak:,} bytes"  # before: the whole 800 MiB inflated at once
    argv = ["prepare", "--user", "someone", "--source", "archive", "--source-uri", str(path), "--out", str(tmp_path)]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(path) in err


def test_the_tweets_files_of_a_zip_share_one_running_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for part in range(3):
            zipped.writestr(f"data/tweets-part{part}.js", WRAPPER + b" " * 40_000 + b"]")
    monkeypatch.setattr(archive, "MAX_TWEETS_BYTES", 100_000)
    monkeypatch.setattr(archive, "_declared_size", lambda zipped, names: 0)  # as if each declared nothing
    with pytest.raises(TweetBotInputError) as caught:
        archive.read_zip(buffer.getvalue(), "three.zip")
    assert caught.value.reason == "ArchiveTooLarge" and "three.zip" in caught.value.message


def test_a_member_compressed_with_bzip2_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as zipped:
        zipped.writestr("data/tweets.js", WRAPPER + b"]")
    with pytest.raises(TweetBotInputError) as caught:
        archive.read_zip(buffer.getvalue(), "bz.zip")
    assert "bz.zip" in caught.value.message and "compress" in caught.value.message
