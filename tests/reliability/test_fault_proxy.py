"""The fault proxy itself: relays plain and streaming responses, injects 500/429, cuts live streams."""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from aiohttp import web

from tests.support.fault_proxy import FaultProxy


@pytest.fixture
def upstream() -> Iterator[str]:
    """A tiny HTTP server: /plain answers JSON, /stream sends one line every 50 ms for 10 s, POST /count counts
    (GET /count reads the count)."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, object] = {}

    async def plain(request: web.Request) -> web.Response:
        return web.json_response({"path": request.path, "q": request.query_string})

    async def count(request: web.Request) -> web.Response:
        if request.method == "POST":
            holder["count"] = int(holder.get("count", 0)) + 1  # type: ignore[call-overload]
        return web.json_response({"count": holder.get("count", 0)})

    async def stream(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for i in range(200):
            await response.write(json.dumps({"n": i}).encode() + b"\n")
            await asyncio.sleep(0.05)
        return response

    async def start() -> None:
        app = web.Application()
        app.router.add_get("/plain", plain)
        app.router.add_get("/stream", stream)
        app.router.add_route("*", "/count", count)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        holder["runner"] = runner
        holder["port"] = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def run() -> None:
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    yield f"http://127.0.0.1:{holder['port']}"
    asyncio.run_coroutine_threadsafe(holder["runner"].cleanup(), loop).result(10)  # type: ignore[attr-defined]
    loop.call_soon_threadsafe(loop.stop)


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_relays_and_injects_errors(upstream: str) -> None:
    with FaultProxy(upstream) as proxy:
        status, body = _get(proxy.url + "/plain?a=1")
        assert status == 200 and json.loads(body) == {"path": "/plain", "q": "a=1"}
        with proxy.fault("error500"):
            status, body = _get(proxy.url + "/plain")
            assert status == 500 and json.loads(body)["reason"] == "InternalError"
        with proxy.fault("error429"):
            status, _ = _get(proxy.url + "/plain")
            assert status == 429
        assert _get(proxy.url + "/plain")[0] == 200
        assert proxy.faulted_requests == 2


def test_drop_cuts_a_live_stream_and_refuses_new_requests(upstream: str) -> None:
    with FaultProxy(upstream) as proxy:
        resp = urllib.request.urlopen(proxy.url + "/stream", timeout=5)
        assert json.loads(resp.readline()) == {"n": 0}
        proxy.set_mode("drop")
        with pytest.raises(Exception):  # noqa: B017 - any cut: reset, incomplete read, empty line parse
            for _ in range(100):
                line = resp.readline()
                json.loads(line)
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(proxy.url + "/plain", timeout=5)
        proxy.set_mode("pass")
        assert _get(proxy.url + "/plain")[0] == 200


def test_lose_response_acts_upstream_but_never_answers(upstream: str) -> None:
    with FaultProxy(upstream) as proxy:
        with proxy.fault("lose_response", only=lambda method, _path: method == "POST"):
            with pytest.raises((urllib.error.URLError, ConnectionError, http.client.HTTPException)):
                urllib.request.urlopen(urllib.request.Request(proxy.url + "/count", data=b"{}"), timeout=5)
            # only POSTs are faulted: a GET still passes, and shows the POST reached the server
            status, body = _get(proxy.url + "/count")
            assert status == 200 and json.loads(body) == {"count": 1}
        assert proxy.faulted_requests == 1


def test_only_narrows_a_fault_to_matching_requests(upstream: str) -> None:
    with FaultProxy(upstream) as proxy:
        resp = urllib.request.urlopen(proxy.url + "/stream", timeout=5)
        with proxy.fault("drop", only=lambda _method, path: path == "/plain"):
            assert json.loads(resp.readline())["n"] >= 0  # the stream was not cut
            with pytest.raises((urllib.error.URLError, ConnectionError)):
                urllib.request.urlopen(proxy.url + "/plain", timeout=5)
        with proxy.fault("error500", only=lambda _method, path: path == "/count"):
            assert _get(proxy.url + "/plain")[0] == 200
            assert _get(proxy.url + "/count")[0] == 500
        resp.close()
