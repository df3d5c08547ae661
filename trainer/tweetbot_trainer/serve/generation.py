"""What the HTTP side hands an engine and gets back, without torch: the torch engine (serve/engine.py) and the
upstream engine (serve/upstream.py, a vLLM server behind tweetbot-serve) take the same requests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Sampling:
    max_tokens: int
    temperature: float
    top_p: float
    stops: tuple[str, ...] = ()
    seed: int | None = None
    no_repeat_ngram: int = 0  # the run's generation_config.json no_repeat_ngram_size; 0: off (serve/no_repeat.py)


@dataclass(frozen=True)
class ChoiceEvent:
    """New text of one choice; `finish_reason` ("stop", "length") on its last event, `error` if the engine failed
    (`status`: the HTTP status the client gets for it, 502 when the upstream failed)."""

    index: int
    text: str
    tokens: int = 0
    finish_reason: str | None = None
    error: str | None = None
    status: int = 500


@dataclass
class GenerationRequest:
    """One request: each prompt (token ids, prefix included) gets `n` choices, numbered prompt-major."""

    prompts: Sequence[Sequence[int]]
    n: int
    sampling: Sampling
    emit: Callable[[ChoiceEvent], None]
    cancelled: bool = False
    generator: Any = None  # the torch engine's seeded torch.Generator
    on_cancel: Callable[[], None] | None = None  # set by an engine that must act at once (close an upstream call)
    stream: bool = True  # False: the client waits for the whole answer (an engine may send it in one event)

    @property
    def rows(self) -> int:
        return len(self.prompts) * self.n

    def cancel(self) -> None:
        """The client left: the engine stops spending on this request."""
        self.cancelled = True
        if self.on_cancel is not None:
            self.on_cancel()


class GenerationEngine(Protocol):
    """What completions.py and the metrics use of an engine."""

    @property
    def active_rows(self) -> int: ...

    @property
    def waiting_jobs(self) -> int: ...

    def submit(self, request: GenerationRequest) -> None: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...
