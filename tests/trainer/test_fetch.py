"""Reading sources behind URIs: streamed (a whole X archive with media can be gigabytes), capped, and every
failure mapped to an input error (exit 2) or a transient one (exit 1, the Job retries)."""

from __future__ import annotations

import io
import os
import socket
import threading
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer.data import fetch
from tweetbot_trainer.data.sources.archive import read_archive
from tweetbot_trainer.errors import TweetBotInputError, TweetBotTransientError

from tests.support.http_replay import ReplayServer

EXCERPT = "trainer/archives/andreruffert-excerpt-tweets.js"
MEDIA_BYTES = 24 << 20


def archive_with_media(local_fixtures: Path, media_bytes: int) -> bytes:
    """An archive .zip as X exports it: the tweets file next to (incompressible) media, stored uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("data/tweets_media/1-video.mp4", os.urandom(media_bytes))
        archive.writestr("data/tweets.js", (local_fixtures / EXCERPT).read_bytes())
    return buffer.getvalue()


def peak_allocation(call: Any) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.usefixtures("s3_env")
def test_a_big_archive_is_streamed_to_disk_not_held_in_memory(
    local_fixtures: Path, s3_client: Any, s3_bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "SPOOL_IN_MEMORY_BYTES", 1 << 20)  # spill early: a small test stands in for GBs
    with ReplayServer() as server:
        peaks: dict[str, int] = {}
        for size in ("small", "big"):
            data = archive_with_media(local_fixtures, MEDIA_BYTES if size == "big" else 1024)
            s3_client.put_object(Bucket=s3_bucket, Key=f"{size}.zip", Body=data)
            server.add(f"/{size}.zip", data)
            for where, uri in (("s3", f"s3://{s3_bucket}/{size}.zip"), ("https", f"{server.url}/{size}.zip")):
                result, peaks[f"{where} {size}"] = peak_allocation(lambda u=uri: read_archive(u))
                assert len(result.posts) == 50, uri
    # What the media adds to the peak (a boto3 client alone takes ~12 MB): a few MiB of buffers, not the media.
    for where in ("s3", "https"):
        added = peaks[f"{where} big"] - peaks[f"{where} small"]
        assert added < MEDIA_BYTES // 4, f"{where}: the media added {added:,} bytes to the peak; {peaks}"


def test_read_bytes_refuses_more_than_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_bytes(b"x" * 101)
    assert fetch.read_bytes(str(path), limit=101) == b"x" * 101
    with pytest.raises(TweetBotInputError) as err:
        fetch.read_bytes(str(path), limit=100)
    assert err.value.reason == "SourceTooLarge" and str(path) in err.value.message


def test_http_errors_map_to_what_a_user_can_do() -> None:
    with ReplayServer() as server:
        for status, kind, reason in ((401, TweetBotInputError, "BadCredentials"),
                                     (404, TweetBotInputError, "SourceNotFound"),
                                     (400, TweetBotInputError, "SourceError"),
                                     (429, TweetBotTransientError, "SourceTemporaryError"),
                                     (502, TweetBotTransientError, "SourceTemporaryError")):
            server.add(f"/{status}.js", {"error": "no"}, status=status)
            with pytest.raises(kind) as err:
                fetch.read_bytes(f"{server.url}/{status}.js", limit=1 << 20)
            assert err.value.reason == reason and f"HTTP {status}" in err.value.message


@pytest.fixture
def cut_short_server() -> Iterator[str]:
    """Announces 1 MB, sends 10 bytes, hangs up: a connection cut mid-download."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n0123456789")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/tweets.js"
    thread.join(timeout=5)
    listener.close()


def test_a_download_cut_short_is_transient(cut_short_server: str) -> None:
    with pytest.raises(TweetBotTransientError) as err:
        fetch.read_bytes(cut_short_server, limit=1 << 30)
    assert err.value.reason == "SourceUnreachable" and "cut short" in err.value.message


def test_s3_errors_read_the_same_as_on_the_output_side(s3_env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                                       s3_client: Any, s3_bucket: str) -> None:
    with pytest.raises(TweetBotInputError) as missing:
        fetch.list_s3("s3://no-such-bucket-tweetbot/archive/")
    assert missing.value.reason == "MissingBucket"
    s3_client.put_object(Bucket=s3_bucket, Key="tweets.js", Body=b"[]")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "nobody")
    with pytest.raises(TweetBotInputError) as denied:
        fetch.read_bytes(f"s3://{s3_bucket}/tweets.js", limit=100)
    assert denied.value.reason == "BadCredentials" and "InvalidAccessKeyId" in denied.value.message
