"""A local HTTP server on 127.0.0.1 that replays canned API responses, for source tests.

Routes match on path and (a subset of) query parameters, in the order they were added; a route with `times`
answers that many requests and then gives way to the next match, which is how a test scripts "429, then 200"
or a page that fails once. Every request is recorded (path, query, headers) for assertions.

    with ReplayServer() as server:
        server.add("/2/users/by/username/jack", {"data": {...}})
        server.add("/2/users/12/tweets", status=429, headers={"x-rate-limit-reset": "0"}, times=1)
        server.add("/2/users/12/tweets", page1, query={"pagination_token": None})
        ... server.url ...
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

# A query value of ABSENT means "this parameter must not be in the request" (the first page has no cursor).
ABSENT = None


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class Route:
    path: str
    body: Any = None  # bytes/str are sent as they are, anything else as JSON; a callable gets the request
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    query: Mapping[str, str | None] = field(default_factory=dict)
    times: int | None = None  # None: forever
    method: str = "GET"

    def matches(self, request: RecordedRequest) -> bool:
        if request.method != self.method or request.path != self.path or self.times == 0:
            return False
        for key, wanted in self.query.items():
            if wanted is ABSENT:
                if key in request.query:
                    return False
            elif request.query.get(key) != wanted:
                return False
        return True


def _encode(body: Any) -> tuple[bytes, str]:
    if isinstance(body, bytes):
        return body, "application/octet-stream"
    if isinstance(body, str):
        return body.encode("utf-8"), "text/plain; charset=utf-8"
    return json.dumps(body).encode("utf-8"), "application/json; charset=utf-8"


class ReplayServer:
    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- routes -----------------------------------------------------------------------------------------
    def add(
        self,
        path: str,
        body: Any = None,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str | None] | None = None,
        times: int | None = None,
        method: str = "GET",
    ) -> Route:
        route = Route(path, body, status, dict(headers or {}), dict(query or {}), times, method)
        with self._lock:
            self.routes.append(route)
        return route

    def add_json_file(self, path: str, file: Path, **kwargs: Any) -> Route:
        return self.add(path, json.loads(file.read_text(encoding="utf-8")), **kwargs)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    # -- serving ----------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    def _answer(self, request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            self.requests.append(request)
            route = next((r for r in self.routes if r.matches(request)), None)
            if route is not None and route.times is not None:
                route.times -= 1
        if route is None:
            body, ctype = _encode({"error": "NoRoute", "message": f"no replay route for {request.path}"})
            return 404, {"Content-Type": ctype}, body
        payload: Any = route.body(request) if callable(route.body) else route.body
        body, ctype = _encode(payload)
        return route.status, {"Content-Type": ctype, **route.headers}, body

    def start(self) -> ReplayServer:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                request = RecordedRequest(method, parts.path, query, {k.lower(): v for k, v in self.headers.items()})
                status, headers, body = replay._answer(request)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


Responder = Callable[[RecordedRequest], Any]
