"""A completions request body checked against the server's limits: pure, every failure an ApiError that names
the parameter and what is wrong (sent as OpenAI's error JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tweetbot_trainer.serve.bot_info import Defaults

# Parameters we accept only at their no-op value: honest 400s instead of silently ignoring them.
_NO_OP: dict[str, tuple[Any, ...]] = {"echo": (False,), "logprobs": (None,), "best_of": (None, 1), "suffix": (None, ""),
          "presence_penalty": (None, 0, 0.0), "frequency_penalty": (None, 0, 0.0), "logit_bias": (None, {})}
_IGNORED = {"model", "user", "stream_options"}
MAX_STOPS = 4


class ApiError(Exception):
    def __init__(self, status: int, message: str, param: str | None = None, kind: str = "invalid_request_error",
                 code: str | None = None, *, close: bool = False) -> None:
        super().__init__(message)
        self.status, self.message, self.param, self.kind, self.code = status, message, param, kind, code
        self.close = close  # the connection cannot carry another request: answer, then close it

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}


@dataclass(frozen=True)
class Limits:
    max_prompt_tokens: int = 512
    max_tokens: int = 256
    max_n: int = 8
    max_prompts: int = 8
    max_concurrency: int = 64  # requests in flight (generating or queued)
    max_batch: int = 64  # sequences in one forward
    context: int = 1024  # the model's positions: prompt + completion


@dataclass(frozen=True)
class CompletionRequest:
    prompts: tuple[str, ...]
    max_tokens: int | None  # None: fill up to the run's max_length
    temperature: float
    top_p: float
    n: int
    stop: tuple[str, ...]
    seed: int | None
    stream: bool


def _number(body: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = body.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ApiError(400, f"{key} must be a number from {low:g} to {high:g}, got {value!r}", key)
    return float(value)


def _integer(body: dict[str, Any], key: str, low: int, high: int) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ApiError(400, f"{key} must be an integer from {low} to {high}, got {value!r}", key)
    return value


def _strings(value: Any, key: str, most: int, allow_none: bool) -> tuple[str, ...]:
    if value is None and allow_none:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(s, str) for s in items):
        raise ApiError(400, f"{key} must be a string or a list of strings", key)
    if len(items) > most:
        raise ApiError(400, f"{key}: at most {most} strings, got {len(items)}", key)
    if not all(map(_is_unicode, items)):
        raise ApiError(400, f"{key} is not valid Unicode (a lone surrogate such as \\ud800)", key)
    return tuple(items)


def _is_unicode(text: str) -> bool:
    """JSON's \\u escapes can spell half of a surrogate pair, which no tokenizer (or UTF-8) accepts."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_request(body: Any, limits: Limits, defaults: Defaults) -> CompletionRequest:
    if not isinstance(body, dict):
        raise ApiError(400, "the request body must be a JSON object")
    for key, allowed in _NO_OP.items():
        if body.get(key, allowed[0]) not in allowed:
            raise ApiError(400, f"{key} is not supported by this server", key)
    unknown = sorted(set(body) - set(_NO_OP) - _IGNORED -
                     {"prompt", "max_tokens", "temperature", "top_p", "n", "stop", "seed", "stream"})
    if unknown:
        raise ApiError(400, f"unknown parameter {unknown[0]!r}", unknown[0])
    if "prompt" not in body:
        raise ApiError(400, "prompt is required", "prompt")
    prompts = _strings(body["prompt"], "prompt", limits.max_prompts, allow_none=False)
    n = _integer(body, "n", 1, limits.max_n) or 1
    if n * len(prompts) > limits.max_batch:
        raise ApiError(400, f"n x prompts = {n * len(prompts)} sequences, more than {limits.max_batch}", "n")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise ApiError(400, "stream must be true or false", "stream")
    return CompletionRequest(
        prompts=prompts,
        max_tokens=_integer(body, "max_tokens", 1, limits.max_tokens),
        temperature=_number(body, "temperature", defaults.temperature, 0.0, 2.0),
        top_p=_number(body, "top_p", defaults.top_p, 0.0, 1.0),
        n=n,
        stop=_strings(body.get("stop"), "stop", MAX_STOPS, allow_none=True),
        seed=_integer(body, "seed", 0, 2**63 - 1),
        stream=stream,
    )


def completion_budget(request: CompletionRequest, prompt_tokens: int, limits: Limits, defaults: Defaults) -> int:
    """max_tokens for this prompt: asked for, else what the run's max_length leaves (huggingtweets' 160 in
    all); never past the model's context or the server's limit."""
    if prompt_tokens > limits.max_prompt_tokens:
        raise ApiError(400, f"the prompt is {prompt_tokens} tokens, more than the limit of {limits.max_prompt_tokens}",
                       "prompt")
    room = limits.context - prompt_tokens
    if request.max_tokens is not None:
        if request.max_tokens > room:
            raise ApiError(400, f"prompt ({prompt_tokens} tokens) + max_tokens ({request.max_tokens}) exceeds the "
                           f"model's context of {limits.context} tokens", "max_tokens")
        return request.max_tokens
    wanted = defaults.max_new_tokens or ((defaults.max_length or 0) - prompt_tokens) or 16
    return max(1, min(wanted, room, limits.max_tokens))
