"""An HTTP proxy on loopback that breaks the Kubernetes API on purpose.

The operator is pointed at the proxy instead of the API; a test flips the proxy's mode to make the API answer
500 or 429 (with Retry-After), or to cut every connection (watch streams included) and refuse new ones for a
while, then flips it back. Streaming responses (watches) are relayed chunk by chunk.

`lose_response` lets the request through to the API (which acts on it) and then cuts the connection before the
answer comes back: the client cannot tell whether its write happened, as after a timeout or a lost apiserver.
`only` narrows any fault to the requests it accepts (method, path), e.g. only status writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import aiohttp
from aiohttp import web

Mode = Literal["pass", "error500", "error429", "drop", "lose_response"]
Match = Callable[[str, str], bool]  # (method, path) -> whether the fault applies
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"}


@dataclass
class FaultProxy:
    upstream: str
    mode: Mode = "pass"
    only: Match | None = None  # None: every request
    faulted_requests: int = 0
    relayed_requests: int = 0
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)
    _runner: web.AppRunner | None = field(default=None, init=False)
    _session: aiohttp.ClientSession | None = field(default=None, init=False)
    _requests: dict[int, web.BaseRequest] = field(default_factory=dict, init=False)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(self._start())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="fault-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fault proxy did not start")
        return self

    async def _start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_connect=5))
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # Relayed watches outlive their clients until the upstream sends more: do not wait a minute for them.
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]

    def stop(self) -> None:
        if self._loop is None:
            return

        async def shutdown() -> None:
            for request in list(self._requests.values()):
                if request.transport is not None:
                    request.transport.abort()
            if self._runner is not None:
                await self._runner.cleanup()
            if self._session is not None:
                await self._session.close()
            # Relays still waiting on their upstream: end them here rather than leave them to a stopped loop.
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(15)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def set_mode(self, mode: Mode, only: Match | None = None) -> None:
        """Switch the fault (for the requests `only` accepts); `drop` also cuts the matching connections open
        now, watch streams included."""
        self.mode, self.only = mode, only
        if mode == "drop" and self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._drop_all(), self._loop).result(10)

    @contextlib.contextmanager
    def fault(self, mode: Mode, only: Match | None = None) -> Iterator[None]:
        self.set_mode(mode, only)
        try:
            yield
        finally:
            self.set_mode("pass")

    def _applies(self, request: web.BaseRequest) -> bool:
        return self.mode != "pass" and (self.only is None or self.only(request.method, request.path))

    async def _drop_all(self) -> None:
        for request in list(self._requests.values()):
            if request.transport is not None and self._applies(request):
                request.transport.abort()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if not self._applies(request):
            return await self._relay_tracked(request)
        if self.mode == "drop":
            self.faulted_requests += 1
            if request.transport is not None:
                request.transport.abort()
            raise ConnectionResetError("dropped by fault proxy")
        if self.mode in ("error500", "error429"):
            self.faulted_requests += 1
            code = 500 if self.mode == "error500" else 429
            body = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": code,
                    "reason": "InternalError" if code == 500 else "TooManyRequests",
                    "message": "injected by the fault proxy"}
            headers = {"Retry-After": "1"} if code == 429 else {}
            return web.Response(status=code, text=json.dumps(body), content_type="application/json",
                                headers=headers)
        # lose_response: the API gets the request and acts on it; its answer is thrown away with the connection.
        self.faulted_requests += 1
        await self._relay(request, answer=False)
        if request.transport is not None:
            request.transport.abort()
        raise ConnectionResetError("response lost by fault proxy")

    async def _relay_tracked(self, request: web.Request) -> web.StreamResponse:
        self.relayed_requests += 1
        self._requests[id(request)] = request
        try:
            return await self._relay(request)
        finally:
            self._requests.pop(id(request), None)

    async def _relay(self, request: web.Request, answer: bool = True) -> web.StreamResponse:
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        body = await request.read()
        async with self._session.request(request.method, self.upstream.rstrip("/") + request.rel_url.path_qs,
                                         headers=headers, data=body or None,
                                         allow_redirects=False) as upstream:
            if not answer:
                await upstream.read()
                return web.Response(status=upstream.status)
            response = web.StreamResponse(status=upstream.status, headers={
                k: v for k, v in upstream.headers.items() if k.lower() not in HOP_HEADERS})
            await response.prepare(request)
            async for chunk in upstream.content.iter_any():
                await response.write(chunk)
            await response.write_eof()
            return response

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
