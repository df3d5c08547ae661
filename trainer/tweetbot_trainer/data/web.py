"""Bounded downloads for the sources: one total deadline per request, bodies counted while they are read.

A socket timeout bounds each read, not a request: a server that sends one byte a second never trips it. Here a
watchdog shuts the request's sockets down when its deadline passes (connect, TLS, headers, body and redirects
all count), so a blocked read returns at once and the request fails with `DeadlineExceededError`. A body is read in
chunks and refused with `BodyTooLargeError` as soon as it passes its cap (or when its Content-Length says it will).
Redirects are followed only to http:// and https:// (urllib also follows ftp://).
"""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from tweetbot_trainer.errors import TweetBotInputError

CHUNK_BYTES = 1 << 20


class DeadlineExceededError(TimeoutError):
    """No complete answer within the request's deadline (an OSError: retried like any timeout)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no complete answer within {seconds:g} s")


class BodyTooLargeError(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit:,} bytes")
        self.limit = limit


class Watchdog:
    """Shuts down every socket registered with it once `seconds` have passed (from another thread: a blocked
    recv then returns). `expired` says whether it fired."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def register(self, sock: Any) -> Any:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)
        return sock

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _shut(sock: Any) -> None:
    # socket.socket's own shutdown, also for an SSLSocket: the fd, not the TLS state another thread uses.
    with suppress(OSError, TypeError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watched(cls: type[http.client.HTTPConnection], watchdog: Watchdog) -> Callable[..., Any]:
    def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        connection = cls(host, **kwargs)
        create = connection._create_connection  # type: ignore[attr-defined]
        connection._create_connection = lambda *a, **k: watchdog.register(create(*a, **k))  # type: ignore[attr-defined]
        return connection

    return make


class _HttpHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: Watchdog) -> None:
        super().__init__()
        self.watchdog = watchdog

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_watched(http.client.HTTPConnection, self.watchdog), req)


class _HttpsHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: Watchdog) -> None:
        super().__init__()
        self.watchdog = watchdog

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_watched(http.client.HTTPSConnection, self.watchdog), req, context=self._context)  # type: ignore[attr-defined]


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only, with a message naming the scheme for any other."""

    def http_error_302(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any) -> Any:
        target = headers.get("location") or headers.get("uri") or ""
        scheme = urlsplit(urljoin(req.full_url, target)).scheme.lower()
        if scheme not in ("http", "https"):
            raise TweetBotInputError(
                "BadRedirect", f"{req.full_url}: redirected to a {scheme or 'schemeless'} URL; only http(s) is followed"
            )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


@contextmanager
def opened(url: str, headers: Mapping[str, str], deadline_s: float) -> Iterator[tuple[Any, Watchdog]]:
    """GET `url`: the response (4xx and 5xx too: urllib's HTTPError, whose `code` is the status) and the
    request's watchdog. Any failure after the deadline passed is `DeadlineExceededError`."""
    with Watchdog(deadline_s) as watchdog:
        opener = urllib.request.build_opener(_HttpHandler(watchdog), _HttpsHandler(watchdog), _RedirectHandler())
        request = urllib.request.Request(url, headers=dict(headers))
        try:
            try:
                response = opener.open(request, timeout=deadline_s)
            except urllib.error.HTTPError as exc:
                response = exc
            with response:
                yield response, watchdog
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if watchdog.expired:
                raise DeadlineExceededError(deadline_s) from exc
            raise
        if watchdog.expired:  # a body cut by the watchdog can read as a quiet end
            raise DeadlineExceededError(deadline_s)


def copy_body(response: Any, out: IO[bytes], limit: int, watchdog: Watchdog, announced: int | None = None) -> int:
    """Copies `response`'s body into `out`, at most `limit` bytes (else BodyTooLargeError, before reading on when the
    Content-Length announces more). Returns the bytes copied."""
    announced = getattr(response, "length", None) if announced is None else announced
    if announced is not None and announced > limit:
        raise BodyTooLargeError(limit)
    copied = 0
    while not watchdog.expired:
        chunk = response.read(min(CHUNK_BYTES, limit + 1 - copied))
        if not chunk:
            break
        copied += len(chunk)
        if copied > limit:
            raise BodyTooLargeError(limit)
        out.write(chunk)
    if watchdog.expired:
        raise DeadlineExceededError(watchdog.seconds)
    return copied
