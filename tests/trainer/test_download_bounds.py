"""Downloads are bounded: bytes counted while copying and cut at the cap, one total deadline per download and per
API page (a server dripping one byte at a time included), redirects only to http(s). Loopback servers only."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import pytest
from tweetbot_trainer.data import fetch
from tweetbot_trainer.data.sources.http import JsonHttpClient
from tweetbot_trainer.errors import TweetBotInputError, TweetBotTransientError

from tests.support.http_replay import ReplayServer


class RawServer:
    """A loopback server that answers every connection with `respond(conn)`; counts the bytes it sent."""

    def __init__(self, respond: Any) -> None:
        self.respond = respond
        self.sent = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by close()
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            with suppress(OSError):  # the client hung up: what a cap or a deadline does
                self.respond(self, conn)

    def send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        self.sent += len(data)

    def close(self) -> None:
        self._stop.set()
        self._listener.close()


@pytest.fixture
def raw_server() -> Iterator[Any]:
    servers: list[RawServer] = []

    def make(respond: Any) -> RawServer:
        servers.append(RawServer(respond))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def drip_body(server: RawServer, conn: socket.socket) -> None:
    """Headers at once, then the announced 100 bytes one every 0.25 s (each read well within any socket
    timeout), for at most 8 s."""
    server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: application/json\r\n\r\n")
    for _ in range(32):
        server.send(conn, b" ")
        time.sleep(0.25)


def drip_headers(server: RawServer, conn: socket.socket) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 40:
        server.send(conn, bytes([byte]))
        time.sleep(0.25)


def endless_body(server: RawServer, conn: socket.socket) -> None:
    """A chunked body that never ends (up to 64 MiB): only the reader's cap stops it."""
    server.send(conn, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"x" * 65536
    for _ in range(1024):
        server.send(conn, b"%x\r\n%s\r\n" % (len(chunk), chunk))


@pytest.mark.parametrize("respond", [drip_body, drip_headers])
def test_a_dripping_download_fails_at_its_deadline(
    raw_server: Any, monkeypatch: pytest.MonkeyPatch, respond: Any
) -> None:
    monkeypatch.setenv(fetch.DEADLINE_ENV, "1.5")
    server = raw_server(respond)
    started = time.monotonic()
    with pytest.raises(TweetBotTransientError) as caught:
        fetch.read_bytes(f"{server.url}/tweets.js", limit=1 << 20)
    assert time.monotonic() - started < 5  # the drip lasts 8 s or more: only the total deadline ends it sooner
    assert "within 1.5 s" in caught.value.message and server.url in caught.value.message


@pytest.mark.parametrize("respond", [drip_body, drip_headers])
def test_a_dripping_api_page_fails_at_its_deadline(raw_server: Any, respond: Any) -> None:
    server = raw_server(respond)
    client = JsonHttpClient(server.url, attempts=1, timeout_s=1.5, sleep=lambda _: None)
    started = time.monotonic()
    with pytest.raises(TweetBotTransientError) as caught:
        client.get("/2/users/1/tweets")
    assert time.monotonic() - started < 5
    assert "within 1.5 s" in caught.value.message


def test_a_download_stops_at_its_cap(raw_server: Any) -> None:
    server = raw_server(endless_body)
    with pytest.raises(TweetBotInputError) as caught:
        fetch.read_bytes(f"{server.url}/posts.jsonl", limit=1 << 20)
    assert caught.value.reason == "SourceTooLarge" and "1,048,576" in caught.value.message
    time.sleep(0.2)
    assert server.sent < 16 << 20  # not the 64 MiB it offered: the reader hung up at the cap


def test_an_announced_length_over_the_cap_is_refused_before_reading() -> None:
    with ReplayServer() as server:
        server.add("/big.jsonl", b"x" * (3 << 20))
        with pytest.raises(TweetBotInputError) as caught:
            fetch.read_bytes(f"{server.url}/big.jsonl", limit=1 << 20)
    assert caught.value.reason == "SourceTooLarge"


class FakeS3Body:
    """An S3 object body of `size` bytes, read in slices, each after `delay` seconds."""

    def __init__(self, size: int, delay: float = 0.0) -> None:
        self.left, self.delay, self.read_bytes = size, delay, 0

    def read(self, amount: int) -> bytes:
        time.sleep(self.delay)
        data = b"x" * min(amount, self.left, 65536)
        self.left -= len(data)
        self.read_bytes += len(data)
        return data


def fake_s3(monkeypatch: pytest.MonkeyPatch, body: FakeS3Body, announced: int | None) -> None:
    answer = {"Body": body} | ({"ContentLength": announced} if announced is not None else {})

    class Client:
        def get_object(self, **_: Any) -> dict[str, Any]:
            return answer

    monkeypatch.setattr(fetch, "make_client", lambda endpoint=None: Client())


@pytest.mark.parametrize("announced", [None, 64 << 20])
def test_an_s3_download_stops_at_its_cap(monkeypatch: pytest.MonkeyPatch, announced: int | None) -> None:
    body = FakeS3Body(64 << 20)
    fake_s3(monkeypatch, body, announced)
    with pytest.raises(TweetBotInputError) as caught:
        fetch.copy_s3("s3://bucket/posts.jsonl", io.BytesIO(), limit=1 << 20)
    assert caught.value.reason == "SourceTooLarge"
    assert body.read_bytes <= (1 << 20) + 65536


def test_an_s3_download_fails_at_its_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fetch.DEADLINE_ENV, "1")
    fake_s3(monkeypatch, FakeS3Body(1 << 20, delay=0.2), None)
    with pytest.raises(TweetBotTransientError) as caught:
        fetch.copy_s3("s3://bucket/posts.jsonl", io.BytesIO())
    assert "within 1 s" in caught.value.message


@pytest.mark.parametrize("target", ["ftp://127.0.0.1:9/tweets.js", "file:///etc/passwd", "gopher://x/"])
def test_redirects_are_followed_only_to_http(target: str) -> None:
    with ReplayServer() as server:
        server.add("/tweets.js", b"", status=302, headers={"Location": target})
        server.add("/api", b"", status=301, headers={"Location": target})
        with pytest.raises(TweetBotInputError) as caught:
            fetch.read_bytes(f"{server.url}/tweets.js", limit=1 << 20)
        with pytest.raises(TweetBotInputError) as api:
            JsonHttpClient(server.url, attempts=1).get("/api")
    scheme = target.split(":", maxsplit=1)[0]
    for err in (caught.value, api.value):
        assert err.reason == "BadRedirect" and f"a {scheme} URL" in err.message, err.message


def test_a_redirect_to_http_is_still_followed() -> None:
    with ReplayServer() as server:
        server.add("/old.jsonl", b"", status=302, headers={"Location": "/new.jsonl"})
        server.add("/new.jsonl", b'{"text": "moved"}\n')
        assert fetch.read_bytes(f"{server.url}/old.jsonl", limit=1 << 20) == b'{"text": "moved"}\n'
