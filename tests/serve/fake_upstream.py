"""A broken OpenAI-style completions server on loopback, for what a real vLLM never sends: garbage events, a huge
line, a stream without end, a stream cut mid-way, errors that echo the prompt. The request's max_tokens picks the
misbehaviour (MODES); any other max_tokens gets a well-formed stream of "hi" tokens. Runs on its own thread."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from typing import Any

from aiohttp import web

GARBAGE, HUGE_LINE, ENDLESS, CUT, ECHO_500, ERROR_EVENT, HUGE_TEXT, NOT_SSE = range(11, 19)
SECRET = "secret-prompt-words"  # what an echoing upstream puts in its errors; the front door must not pass it on


def _chunk(text: str, ids: list[int], reason: str | None = None) -> bytes:
    choice = {"index": 0, "text": text, "token_ids": ids, "finish_reason": reason}
    return b"data: " + json.dumps({"object": "text_completion", "choices": [choice]}).encode() + b"\n\n"


class FakeUpstream:
    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.bodies: list[dict[str, Any]] = []
        self.models: object = {"object": "list", "data": [
            {"id": "base", "object": "model", "max_model_len": 64, "root": "/models/base"},
            {"id": "served-name", "object": "model", "root": "/models/run/adapter", "parent": "base"}]}
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        threading.Thread(target=self._loop.run_forever, name="fake-upstream", daemon=True).start()

    def start(self) -> FakeUpstream:
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
            self._runner = None

    def close(self) -> None:
        self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/health", self._health)
        app.router.add_get("/v1/models", self._models)
        app.router.add_post("/v1/completions", self._complete)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def _health(self, _request: web.Request) -> web.Response:
        return web.Response(text="")

    async def _models(self, _request: web.Request) -> web.Response:
        """vLLM's list: the base model with its max_model_len, a LoRA module without one (vllm 0.32
        entrypoints/openai/models/serving.py, show_available_models)."""
        return web.json_response(self.models)

    async def _complete(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.bodies.append(body)
        mode = int(body["max_tokens"])
        if mode == ECHO_500:
            error = {"message": f"cannot do {SECRET}", "type": f"Bad {SECRET}", "param": None, "code": 500}
            return web.json_response({"error": error}, status=500)
        if mode == NOT_SSE:
            return web.Response(text="a whole answer", content_type="text/plain")
        if not body.get("stream"):
            return await self._whole(request, mode)
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        if mode == GARBAGE:
            await response.write(b": a comment\n\nevent: x\ndata: {not json at all\n\n")
        elif mode == HUGE_LINE:
            await response.write(b"data: " + b"A" * (4 << 20) + b"\n\n")
        elif mode == ENDLESS:
            for _ in range(100_000):
                await response.write(_chunk("hi", [1]))
        elif mode == CUT:
            await response.write(_chunk("hi", [1]))
            assert request.transport is not None
            request.transport.close()
            return response
        elif mode == ERROR_EVENT:
            await response.write(_chunk("hi", [1]))
            error = {"message": f"failed on {SECRET}", "type": "InternalServerError", "code": 500}
            await response.write(b"data: " + json.dumps({"error": error}).encode() + b"\n\n")
        elif mode == HUGE_TEXT:
            for _ in range(mode):
                await response.write(_chunk("x" * 60_000, []))
        else:
            for i in range(mode):
                await response.write(_chunk("hi", [1], "length" if i == mode - 1 else None))
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response

    async def _whole(self, request: web.Request, mode: int) -> web.StreamResponse:
        """The same misbehaviours in a non-streamed answer."""
        if mode == CUT:
            response = web.StreamResponse(headers={"Content-Type": "application/json", "Content-Length": "1000"})
            await response.prepare(request)
            await response.write(b'{"choices": [')
            assert request.transport is not None
            request.transport.close()
            return response
        choice: dict[str, Any] = {"index": 0, "text": "hi" * mode, "token_ids": [1] * mode, "finish_reason": "length"}
        answer: Any = {"object": "text_completion", "choices": [choice]}
        if mode == GARBAGE:
            return web.Response(text="{not json at all", content_type="application/json")
        if mode in (HUGE_LINE, HUGE_TEXT):
            choice["text"] = "A" * (4 << 20)
        elif mode == ENDLESS:
            choice["token_ids"] = [1] * 100_000
        elif mode == ERROR_EVENT:
            answer = {"error": {"message": f"failed on {SECRET}", "type": "InternalServerError", "code": 500}}
        return web.json_response(answer)
