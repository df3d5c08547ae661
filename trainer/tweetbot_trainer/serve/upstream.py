"""`tweetbot-serve --upstream URL`: the front door of a vLLM server (OpenAI API, usually on 127.0.0.1 in the same
pod). tweetbot-serve keeps the page, /api/bot, the bearer-token and Host rules, the limits, /metrics and the JSON
errors; each GenerationRequest becomes one POST /v1/completions per choice, with the prompt as token ids,
streamed when the client streams (else one JSON answer: one hop per choice, not one per token).

vLLM refuses n > 1 at temperature 0 ("n must be 1 when using greedy sampling"), so every choice is its own
upstream request (n=1; a seeded request's choice j gets seed + j, so that its choices differ as they do here).
vLLM has no no_repeat_ngram_size (vllm issue 7842): a bot that sets one is served without it, said once in the log.
Failures stay per request: an upstream error, a refused connection, a cut or garbled stream fail that request alone
with a 502 that names the upstream. Nothing here imports torch."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.http_exceptions import HttpProcessingError

from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.serve.generation import ChoiceEvent, GenerationRequest

if TYPE_CHECKING:
    from tweetbot_trainer.serve.completions import Server

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 300.0  # between two chunks: vLLM may queue a request that long under load
HEALTH_TIMEOUT = aiohttp.ClientTimeout(total=0.8)  # inside a readiness probe's default timeoutSeconds (1)
HEALTH_TTL = 1.0  # seconds a /health answer is reused: a readiness probe must not become a load test
TAIL_LINES = 4  # lines read after a choice's last chunk (the stream's "[DONE]"), so the connection is reused
MODELS_BYTES = 1 << 20  # a /v1/models answer larger than this is not vLLM's
CHARS_PER_TOKEN = 256  # more text than this per asked-for token is not a completion: the upstream is broken
_PARAM = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,39}")


class UpstreamError(Exception):
    """The upstream failed one choice; the message is one line and never holds the prompt."""


class UpstreamEngine:
    """The engine surface of serve/engine.py's Engine, over HTTP; runs on the server's event loop."""

    def __init__(self, url: str, model: str, eos_token_id: int | None, max_batch: int,
                 on_tokens: Any = lambda _n: None) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.eos = eos_token_id
        self.max_batch = max_batch
        self._on_tokens = on_tokens
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._rows = 0
        self._health: tuple[float, bool] = (0.0, False)

    @property
    def active_rows(self) -> int:
        return self._rows

    @property
    def waiting_jobs(self) -> int:
        return 0  # vLLM queues; its own /metrics has vllm:num_requests_waiting

    def start(self) -> None:
        """Nothing to start: the HTTP session is made on the server's event loop, at the first request."""

    def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    async def aclose(self) -> None:
        self.stop()
        if self._session is not None:
            await self._session.close()

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=None, sock_connect=CONNECT_TIMEOUT, sock_read=READ_TIMEOUT)
            self._session = aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0),
                                                  auto_decompress=False)
        return self._session

    def submit(self, request: GenerationRequest) -> None:
        if request.rows > self.max_batch:
            raise ValueError(f"a request of {request.rows} sequences cannot fit a batch of {self.max_batch}")
        task = asyncio.get_running_loop().create_task(self._run(request))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

        def cancel() -> None:  # a client that leaves closes its upstream responses at once
            task.cancel()

        request.on_cancel = cancel

    async def healthy(self) -> bool:
        """Whether the upstream's /health answers 200, asked at most once per HEALTH_TTL."""
        asked, ok = self._health
        if time.monotonic() - asked < HEALTH_TTL:
            return ok
        try:
            async with self._client().get(self.url + "/health", timeout=HEALTH_TIMEOUT) as answer:
                ok = answer.status == 200
        except (aiohttp.ClientError, TimeoutError):
            ok = False
        self._health = (time.monotonic(), ok)
        return ok

    async def _run(self, request: GenerationRequest) -> None:
        self._rows += request.rows
        try:
            async with asyncio.TaskGroup() as group:
                for p, prompt in enumerate(request.prompts):
                    for j in range(request.n):
                        group.create_task(self._choice(request, p * request.n + j, list(prompt), j))
        except* UpstreamError as errors:
            message = str(errors.exceptions[0])
            log.warning("a completion failed: %s", message)
            request.emit(ChoiceEvent(0, "", error=message, status=502))
        except* Exception:  # a bug of ours: this request fails, the server goes on
            log.exception("a completion through the upstream failed")
            request.emit(ChoiceEvent(0, "", error="internal error", status=500))
        finally:
            self._rows -= request.rows

    def _body(self, request: GenerationRequest, prompt: list[int], choice: int) -> dict[str, Any]:
        sampling = request.sampling
        body: dict[str, Any] = {
            "model": self.model, "prompt": prompt, "max_tokens": sampling.max_tokens, "n": 1,
            "stream": request.stream,
            "temperature": sampling.temperature, "top_p": sampling.top_p, "return_token_ids": True,
            "skip_special_tokens": True}
        if sampling.stops:
            body["stop"] = list(sampling.stops)
        if sampling.seed is not None:
            body["seed"] = (sampling.seed + choice) % 2**63
        if self.eos is not None:  # the run's eos (generation_config.json), which may not be the tokenizer's
            body["stop_token_ids"] = [self.eos]
        return body

    async def _choice(self, request: GenerationRequest, index: int, prompt: list[int], choice: int) -> None:
        try:
            async with self._client().post(self.url + "/v1/completions",
                                           json=self._body(request, prompt, choice)) as answer:
                if answer.status != 200:
                    raise UpstreamError(f"upstream {self.url} refused the completion: {await _refusal(answer)}")
                if request.stream:
                    await self._read_stream(request, index, answer)
                else:  # one answer: one hop per choice instead of one per token
                    await self._read_whole(request, index, answer)
        except aiohttp.ClientConnectorError as exc:
            raise UpstreamError(f"upstream {self.url} cannot be reached ({exc.os_error.strerror or 'refused'})") \
                from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise UpstreamError(f"upstream {self.url} failed during the completion ({type(exc).__name__})") from exc

    async def _read_stream(self, request: GenerationRequest, index: int, answer: aiohttp.ClientResponse) -> None:
        """Emits the choice's text as it comes; returns after its finish_reason."""
        if not answer.headers.get("Content-Type", "").startswith("text/event-stream"):
            raise UpstreamError(f"upstream {self.url} answered without an event stream")
        limit = request.sampling.max_tokens
        tokens = chars = 0
        while True:
            chunk = await self._next_chunk(answer)
            text, ids, reason = chunk
            tokens += len(ids)
            chars += len(text)
            if tokens > limit or chars > CHARS_PER_TOKEN * limit:
                raise UpstreamError(f"upstream {self.url} sent more than the {limit} tokens asked for")
            self._on_tokens(len(ids))
            if text or reason:
                request.emit(ChoiceEvent(index, text, tokens=tokens, finish_reason=reason))
            if reason:
                break
        for _ in range(TAIL_LINES):  # "data: [DONE]" and the end of the body: then the connection is reusable
            if not await answer.content.readline():
                break

    async def _read_whole(self, request: GenerationRequest, index: int, answer: aiohttp.ClientResponse) -> None:
        if not answer.headers.get("Content-Type", "").startswith("application/json"):
            raise UpstreamError(f"upstream {self.url} answered without JSON")
        limit = request.sampling.max_tokens
        data = bytearray()
        while chunk := await answer.content.read(65536):
            data += chunk
            if len(data) > 2 * CHARS_PER_TOKEN * limit + 65536:  # JSON escapes can double the text
                raise UpstreamError(f"upstream {self.url} sent more than the {limit} tokens asked for")
        text, ids, reason = _parse_chunk(bytes(data), self.url)
        if len(ids) > limit or len(text) > CHARS_PER_TOKEN * limit:
            raise UpstreamError(f"upstream {self.url} sent more than the {limit} tokens asked for")
        if reason is None:
            raise UpstreamError(f"upstream {self.url} answered without a finish_reason")
        self._on_tokens(len(ids))
        request.emit(ChoiceEvent(index, text, tokens=len(ids), finish_reason=reason))

    async def _next_chunk(self, answer: aiohttp.ClientResponse) -> tuple[str, list[int], str | None]:
        """The next completion chunk: (text, token ids, finish_reason)."""
        while True:
            try:
                line = await answer.content.readline()
            except (ValueError, HttpProcessingError) as exc:  # a line past aiohttp's buffer: "Chunk too big",
                # LineTooLong (aiohttp 3.13 and later)
                raise UpstreamError(f"upstream {self.url} sent an event line that is too long") from exc
            if not line:
                raise UpstreamError(f"upstream {self.url} ended the stream before the completion finished")
            line = line.strip()
            if not line.startswith(b"data:"):
                continue  # a blank separator, an SSE comment or a field we do not use
            data = line[5:].strip()
            if data == b"[DONE]":
                raise UpstreamError(f"upstream {self.url} ended the stream before the completion finished")
            return _parse_chunk(data, self.url)


def _parse_chunk(data: bytes, url: str) -> tuple[str, list[int], str | None]:
    try:
        event = json.loads(data)
    except (ValueError, RecursionError):
        raise UpstreamError(f"upstream {url} sent an event that is not JSON") from None
    if isinstance(event, dict) and "error" in event:
        raise UpstreamError(f"upstream {url} failed during the completion: {_error_kind(event)}")
    try:
        choice = event["choices"][0]
        text, ids, reason = choice["text"], choice.get("token_ids") or [], choice.get("finish_reason")
        if not (isinstance(text, str) and isinstance(ids, list) and all(type(i) is int for i in ids)):
            raise TypeError("field types")
    except (KeyError, IndexError, TypeError) as exc:
        raise UpstreamError(f"upstream {url} sent an event that is not a completion chunk") from exc
    if reason not in (None, "stop", "length"):
        raise UpstreamError(f"upstream {url} ended the completion with finish_reason {str(reason)[:20]!r}")
    return text, ids, reason


def _error_kind(body: object) -> str:
    """vLLM's error type and the parameter it names: both identifiers, never the request's contents."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return "no error details"
    parts = [str(error.get(key)) for key in ("type", "param")
             if isinstance(error.get(key), str) and _PARAM.fullmatch(error[key])]
    return " ".join(parts) or "no error details"


async def _refusal(answer: aiohttp.ClientResponse) -> str:
    try:
        body = json.loads(await answer.content.read(8192))
    except (ValueError, RecursionError, aiohttp.ClientError):
        body = None
    kind = _error_kind(body)
    return f"HTTP {answer.status}" + ("" if kind == "no error details" else f" ({kind})")


def load_upstream_server(args: argparse.Namespace, cache_dir: Path) -> Server:
    """The tokenizer and bot of --model (no torch model), the limits fitted to config.json's context."""
    from tweetbot_trainer.serve.bot_info import read_bot_info
    from tweetbot_trainer.serve.completions import Server
    from tweetbot_trainer.serve.metrics import ServeMetrics
    from tweetbot_trainer.serve.model_files import is_adapter_run, resolve
    from tweetbot_trainer.serve.params import Limits
    from tweetbot_trainer.train.lora import ADAPTER_DIR

    parts = urlsplit(args.upstream)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
        raise TweetBotInputError("BadUpstream", "--upstream: give the server's base URL, http://host:port")
    folder = resolve(args.model, cache_dir, args.s3_endpoint, adapter_ok=True)
    if is_adapter_run(folder):  # vLLM serves its base with the adapter: the adapter's tokenizer, vLLM's context
        tokenizer = load_tokenizer(folder / ADAPTER_DIR)
        context = upstream_context(args.upstream, args.upstream_wait)
    else:
        tokenizer = load_tokenizer(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        context = int(config.get("n_positions") or config.get("max_position_embeddings") or 1024)
    bot = read_bot_info(folder, args.model_name)
    if is_adapter_run(folder) and not bot.defaults.prefix:  # no config.json: the separator is the tokenizer's EOS
        bot = replace(bot, defaults=replace(bot.defaults, prefix=str(tokenizer.eos_token or "")))
    limits = Limits(max_prompt_tokens=min(args.max_prompt_tokens, context - 1), max_tokens=args.max_tokens,
                    max_n=min(args.max_n, args.max_batch), max_concurrency=args.max_concurrency,
                    max_batch=args.max_batch, context=context)
    if bot.defaults.no_repeat_ngram_size:
        log.warning("the bot's no_repeat_ngram_size %d is not applied: vLLM has no such setting (vllm issue 7842)",
                    bot.defaults.no_repeat_ngram_size)
    eos = bot.defaults.eos_token_id if bot.defaults.eos_token_id is not None else tokenizer.eos_token_id
    box: list[UpstreamEngine] = []
    metrics = ServeMetrics(lambda: box[0].active_rows, lambda: box[0].waiting_jobs)
    engine = UpstreamEngine(args.upstream, args.upstream_model or bot.model_id, eos, limits.max_batch,
                            on_tokens=metrics.tokens.inc)
    box.append(engine)
    return Server(engine, tokenizer, bot, limits, metrics, health=engine.healthy)


def upstream_context(url: str, wait: float, poll: float = 2.0) -> int:
    """The upstream's context (`max_model_len` in vLLM's /v1/models), asked until it answers or `wait` seconds
    pass: vLLM starts beside the front door and may take minutes to load its model."""
    deadline = time.monotonic() + wait
    reason = "no answer"
    while True:
        try:
            with urllib.request.urlopen(url.rstrip("/") + "/v1/models", timeout=5) as answer:
                return _max_model_len(json.loads(answer.read(MODELS_BYTES)), url)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = type(exc).__name__ if not isinstance(exc, urllib.error.HTTPError) else f"HTTP {exc.code}"
        if time.monotonic() + poll > deadline:
            raise TweetBotInputError("UpstreamUnavailable", f"--upstream {url}: /v1/models did not answer within "
                                     f"{wait:.0f} s ({reason}); the context of an adapter-only run comes from it")
        log.info("waiting for the upstream %s to load its model (%s)", url, reason)
        time.sleep(poll)


def _max_model_len(models: object, url: str) -> int:
    cards = models.get("data") if isinstance(models, dict) else None
    lengths = [card["max_model_len"] for card in cards or [] if isinstance(card, dict)
               and type(card.get("max_model_len")) is int and card["max_model_len"] > 1]
    if not lengths:
        raise TweetBotInputError("BadUpstream", f"--upstream {url}: /v1/models names no max_model_len")
    return min(lengths)


def load_tokenizer(folder: Path) -> Any:
    """The fast tokenizer straight from tokenizer.json (AutoTokenizer would import torch); else AutoTokenizer."""
    if (folder / "tokenizer.json").is_file():
        from transformers import PreTrainedTokenizerFast

        return PreTrainedTokenizerFast.from_pretrained(folder)
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(folder)
