"""The batching engine: one thread owns the model and runs one forward per decode step for every active
sequence of every request (continuous batching). A request joins the running batch as soon as there is room:
its prompt is prefilled on its own, and its KV cache rows are left-padded into the batch's cache.

Requests and events cross threads through `submit` (any thread) and each request's `emit` (called on the engine
thread; the HTTP side hands events over to its event loop)."""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from tweetbot_trainer.serve import kv_batch
from tweetbot_trainer.serve.generation import ChoiceEvent, GenerationRequest, Sampling
from tweetbot_trainer.serve.no_repeat import ban_repeats
from tweetbot_trainer.serve.sampling import BAD_ROW, next_tokens, text_update

__all__ = ["ChoiceEvent", "Engine", "GenerationRequest", "Sampling"]
log = logging.getLogger(__name__)


@dataclass
class _Row:
    request: GenerationRequest
    index: int
    tokens: list[int] = field(default_factory=list)
    sent: int = 0
    done: bool = False
    error: str | None = None  # why sampling failed for this row alone


class Engine:
    def __init__(self, model: Any, tokenizer: Any, eos_token_id: int | None, max_batch: int,
                 on_tokens: Callable[[int], None] = lambda _n: None) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.eos = eos_token_id
        self.max_batch = max_batch
        self.device = next(model.parameters()).device
        self._on_tokens = on_tokens
        self._inbox: queue.Queue[GenerationRequest | None] = queue.Queue()
        self._waiting: deque[GenerationRequest] = deque()
        self._rows: list[_Row] = []
        self._cache: Any = None
        self._mask = torch.zeros((0, 0), dtype=torch.long, device=self.device)
        self._positions: list[int] = []
        self._last: list[int] = []
        self._thread = threading.Thread(target=self._run, name="tweetbot-serve-engine", daemon=True)

    @property
    def active_rows(self) -> int:
        return len(self._rows)

    @property
    def waiting_jobs(self) -> int:
        return len(self._waiting) + self._inbox.qsize()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._inbox.put(None)
        self._thread.join(timeout=30)

    def submit(self, request: GenerationRequest) -> None:
        if request.rows > self.max_batch:
            raise ValueError(f"a request of {request.rows} sequences cannot fit a batch of {self.max_batch}")
        if request.sampling.seed is not None:
            request.generator = torch.Generator(device=self.device).manual_seed(request.sampling.seed)
        self._inbox.put(request)

    def _run(self) -> None:
        while True:
            if not self._admit(block=not self._rows):
                return
            try:
                with torch.inference_mode():
                    if self._rows:
                        self._step()
            except Exception as exc:  # a failed forward fails the requests in it, not the server
                log.exception("generation failed")
                self._fail_all(f"generation failed: {type(exc).__name__}: {exc}")

    def _admit(self, block: bool) -> bool:
        """Moves submitted requests into the batch while they fit; False when asked to stop."""
        while True:
            try:
                request = self._inbox.get(block=block and not self._waiting, timeout=None)
            except queue.Empty:
                break
            if request is None:
                return False
            self._waiting.append(request)
            block = False
        # Their clients left while they waited: not worth a slot.
        if any(request.cancelled for request in self._waiting):
            self._waiting = deque(request for request in self._waiting if not request.cancelled)
        while self._waiting and (self._waiting[0].cancelled or
                                 len(self._rows) + self._waiting[0].rows <= self.max_batch):
            request = self._waiting.popleft()
            if request.cancelled:  # its client left during an earlier prefill of this loop
                continue
            try:
                with torch.inference_mode():
                    self._prefill(request)
            except Exception as exc:
                log.exception("prefill failed")
                request.emit(ChoiceEvent(0, "", error=f"generation failed: {type(exc).__name__}: {exc}"))
        return True

    def _prefill(self, request: GenerationRequest) -> None:
        for p, prompt in enumerate(request.prompts):
            ids = torch.tensor([list(prompt)], dtype=torch.long, device=self.device)
            out = self.model(input_ids=ids, use_cache=True)
            cache = out.cache
            kv_batch.repeat_rows(cache, request.n)
            mask = torch.ones((request.n, ids.shape[1]), dtype=torch.long, device=self.device)
            rows = [_Row(request, p * request.n + j) for j in range(request.n)]
            first = self._sample(rows, out.logits[:, -1].expand(request.n, -1))
            if self._cache is None or not self._rows:
                self._cache, self._mask = cache, mask
            else:
                self._mask = kv_batch.append_rows(self._cache, self._mask, cache, mask)
            self._rows += rows
            self._positions += [ids.shape[1]] * request.n
            self._last += first
            self._accept(rows, first)
        self._drop_finished()

    def _step(self) -> None:
        ids = torch.tensor(self._last, dtype=torch.long, device=self.device).unsqueeze(1)
        positions = torch.tensor(self._positions, dtype=torch.long, device=self.device).unsqueeze(1)
        self._mask = torch.cat([self._mask, self._mask.new_ones((len(self._rows), 1))], dim=1)
        out = self.model(input_ids=ids, cache=self._cache, attention_mask=self._mask, position_ids=positions,
                         use_cache=True)
        self._cache = out.cache
        self._positions = [p + 1 for p in self._positions]
        self._last = self._sample(self._rows, out.logits[:, -1])
        self._accept(self._rows, self._last)
        self._drop_finished()

    def _sample(self, rows: Sequence[_Row], logits: torch.Tensor) -> list[int]:
        """The next token of every row; BAD_ROW for a row whose request must fail. A sampling error is retried
        row by row, so that it fails only the requests whose rows raise it, never the batch."""
        try:
            return _sample_rows(rows, logits)
        except Exception as exc:
            log.warning("sampling %d sequences at once failed (%s: %s); sampling them one by one", len(rows),
                        type(exc).__name__, exc)
        tokens = []
        for i, row in enumerate(rows):
            try:
                tokens += _sample_rows([row], logits[i:i + 1])
            except Exception as exc:
                log.exception("sampling failed for one sequence")
                row.error = f"generation failed: {type(exc).__name__}: {exc}"
                tokens.append(BAD_ROW)
        return tokens

    def _accept(self, rows: Sequence[_Row], tokens: Sequence[int]) -> None:
        """Appends each row's new token and sends the text it completes."""
        self._on_tokens(len(rows))
        for row, token in zip(rows, tokens, strict=True):
            if row.done or row.request.cancelled:
                row.done = True
                continue
            if token == BAD_ROW:  # this request fails alone; its other rows are dropped with it
                row.request.emit(ChoiceEvent(row.index, "", error=row.error or "generation failed: the model's scores "
                                         f"for choice {row.index} are not finite numbers"))
                row.request.cancelled = row.done = True
                continue
            sampling = row.request.sampling
            eos = token == self.eos
            if not eos:
                row.tokens.append(token)
            full = eos or len(row.tokens) >= sampling.max_tokens
            text = self.tokenizer.decode(row.tokens, skip_special_tokens=True)
            delta, stopped = text_update(text, row.sent, sampling.stops, final=full)
            row.sent += len(delta)
            reason = "stop" if eos or stopped else "length" if full else None
            row.done = reason is not None
            if delta or reason:
                row.request.emit(ChoiceEvent(row.index, delta, tokens=len(row.tokens), finish_reason=reason))

    def _drop_finished(self) -> None:
        keep = [i for i, row in enumerate(self._rows) if not (row.done or row.request.cancelled)]
        if len(keep) == len(self._rows):
            return
        self._rows = [self._rows[i] for i in keep]
        self._positions = [self._positions[i] for i in keep]
        self._last = [self._last[i] for i in keep]
        if not keep:
            self._cache, self._mask = None, self._mask[:0, :0]
            return
        index = torch.tensor(keep, dtype=torch.long, device=self.device)
        kv_batch.keep_rows(self._cache, index)
        self._mask = self._mask.index_select(0, index)
        unused = kv_batch.unused_columns(self._mask)
        kv_batch.drop_columns(self._cache, unused)
        self._mask = self._mask[:, unused:]

    def _fail_all(self, message: str) -> None:
        for request in {id(r.request): r.request for r in self._rows}.values():
            request.emit(ChoiceEvent(0, "", error=message))
        self._rows, self._positions, self._last = [], [], []
        self._cache, self._mask = None, self._mask[:0, :0]


def _sample_rows(rows: Sequence[_Row], logits: torch.Tensor) -> list[int]:
    sizes = [r.request.sampling.no_repeat_ngram for r in rows]
    if any(sizes):
        logits = ban_repeats(logits, [[*r.request.prompts[r.index // r.request.n], *r.tokens] for r in rows], sizes)
    temps = torch.tensor([r.request.sampling.temperature for r in rows], device=logits.device)
    top_ps = torch.tensor([r.request.sampling.top_p for r in rows], device=logits.device)
    return [int(t) for t in next_tokens(logits, temps, top_ps, [r.request.generator for r in rows]).tolist()]
