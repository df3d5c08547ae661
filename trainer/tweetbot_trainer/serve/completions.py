"""POST /v1/completions: a checked request becomes one GenerationRequest of the engine; its events come back as one
JSON answer or as server-sent events (OpenAI's text_completion chunks, then `data: [DONE]`)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tweetbot_trainer.serve.bot_info import BotInfo
from tweetbot_trainer.serve.generation import ChoiceEvent, GenerationEngine, GenerationRequest, Sampling
from tweetbot_trainer.serve.metrics import ServeMetrics
from tweetbot_trainer.serve.params import ApiError, CompletionRequest, Limits, completion_budget, parse_request


@dataclass
class Server:
    """Everything a handler needs, built once by the CLI (or a test)."""

    engine: GenerationEngine
    tokenizer: Any
    bot: BotInfo
    limits: Limits
    metrics: ServeMetrics
    in_flight: int = field(default=0)
    health: Callable[[], Awaitable[bool]] | None = None  # /healthz asks it too (the upstream engine's /health)


SERVER = web.AppKey("server", Server)
log = logging.getLogger(__name__)


def _tokenize(server: Server, request: CompletionRequest) -> tuple[list[list[int]], int]:
    prefix = server.bot.defaults.prefix
    prompts = [list(server.tokenizer(prefix + text)["input_ids"]) for text in request.prompts]
    if not all(prompts):
        raise ApiError(400, "the prompt is empty (and the model has no prefix to start from)", "prompt")
    longest = max(len(p) for p in prompts)
    return prompts, completion_budget(request, longest, server.limits, server.bot.defaults)


def _chunk(cid: str, created: int, model: str, choices: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": cid, "object": "text_completion", "created": created, "model": model, "choices": choices}


async def _events(server: Server, generation_args: dict[str, Any], rows: int) -> AsyncGenerator[ChoiceEvent, None]:
    """Submits the request and yields its events until every choice has finished; cancels it if the caller leaves."""
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[ChoiceEvent] = asyncio.Queue()

    def emit(event: ChoiceEvent) -> None:
        try:
            loop.call_soon_threadsafe(inbox.put_nowait, event)
        except RuntimeError:  # the loop has closed (shutting down): nobody is waiting for this any more
            generation.cancelled = True

    generation = GenerationRequest(emit=emit, **generation_args)
    server.engine.submit(generation)
    finished = 0
    try:
        while finished < rows:
            event = await inbox.get()
            if event.error:
                raise ApiError(event.status, event.error, kind="server_error")
            finished += event.finish_reason is not None
            yield event
    finally:
        if finished < rows:
            generation.cancel()


async def handle(request: web.Request) -> web.StreamResponse:
    server: Server = request.app[SERVER]
    try:  # bytes: JSON is UTF-8 whatever charset the Content-Type claims
        body = json.loads(await request.read())
    except (ValueError, RecursionError):
        raise ApiError(400, "the request body is not valid JSON (or nested too deeply)") from None
    parsed = parse_request(body, server.limits, server.bot.defaults)
    model = body.get("model")
    if model not in (None, server.bot.model_id):
        raise ApiError(404, f"the model {model!r} does not exist; this server serves {server.bot.model_id!r}",
                       "model", code="model_not_found")
    prompts, budget = _tokenize(server, parsed)
    if server.in_flight >= server.limits.max_concurrency:
        raise ApiError(429, f"too many requests in flight (limit {server.limits.max_concurrency}); retry shortly",
                       kind="rate_limit_error", code="rate_limit_exceeded")
    server.in_flight += 1
    started = time.monotonic()
    try:
        sampling = Sampling(budget, parsed.temperature, parsed.top_p, parsed.stop, parsed.seed,
                            server.bot.defaults.no_repeat_ngram_size)
        events = _events(server, {"prompts": prompts, "n": parsed.n, "sampling": sampling, "stream": parsed.stream},
                         len(prompts) * parsed.n)
        meta = (f"cmpl-{uuid.uuid4().hex}", int(time.time()), server.bot.model_id)
        async with contextlib.aclosing(events):  # a client that leaves cancels its rows now, not at GC time
            if parsed.stream:
                return await _stream(request, events, meta)
            return await _collect(events, meta, sum(map(len, prompts)), len(prompts) * parsed.n)
    except asyncio.CancelledError:  # the client closed the connection (the server cancels its handler)
        log.info("client closed the connection: %d sequences cancelled", len(prompts) * parsed.n)
        raise
    finally:
        server.in_flight -= 1
        server.metrics.latency.observe(time.monotonic() - started)


async def _collect(events: AsyncIterator[ChoiceEvent], meta: tuple[str, int, str], prompt_tokens: int,
                   rows: int) -> web.Response:
    texts, reasons, tokens = [""] * rows, ["length"] * rows, [0] * rows
    async for event in events:
        texts[event.index] += event.text
        tokens[event.index] = event.tokens
        if event.finish_reason:
            reasons[event.index] = event.finish_reason
    choices = [{"text": t, "index": i, "logprobs": None, "finish_reason": r}
               for i, (t, r) in enumerate(zip(texts, reasons, strict=True))]
    body = _chunk(*meta, choices)
    body["usage"] = {"prompt_tokens": prompt_tokens, "completion_tokens": sum(tokens),
                     "total_tokens": prompt_tokens + sum(tokens)}
    return web.json_response(body)


async def _stream(request: web.Request, events: AsyncIterator[ChoiceEvent],
                  meta: tuple[str, int, str]) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
    await response.prepare(request)
    try:
        try:
            async for event in events:
                choice = {"text": event.text, "index": event.index, "logprobs": None,
                          "finish_reason": event.finish_reason}
                await response.write(b"data: " + json.dumps(_chunk(*meta, [choice])).encode() + b"\n\n")
        except ApiError as err:  # headers are gone: the error travels as an event, as OpenAI's does
            await response.write(b"data: " + json.dumps(err.body()).encode() + b"\n\n")
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
    except ConnectionError:  # the client left between two events; the caller's aclosing cancels the rows
        log.info("client closed the connection during a stream")
    return response
