"""Progress reporting (docs/design.md): JSON lines on stdout, tqdm on stderr, the termination message.

The training code talks to one `Reporter`; `FanOut` sends each event to several. The operator reads the JSON
lines (last `progress` line of the pod log) and the termination message.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from tqdm import tqdm

TERMINATION_LIMIT = 4096  # bytes; Kubernetes keeps at most 4 KiB of a termination message


@dataclass(frozen=True)
class Progress:
    step: int
    total_steps: int
    epoch: float
    loss: float
    tokens_per_s: float
    eta_s: float

    @property
    def percent(self) -> float:
        return round(100.0 * self.step / max(1, self.total_steps), 2)


class Reporter(Protocol):
    def phase(self, phase: str) -> None: ...
    def stats(self, users: Mapping[str, Mapping[str, int]]) -> None: ...
    def progress(self, progress: Progress) -> None: ...
    def evaluation(self, when: str, loss: float, perplexity: float) -> None: ...
    def checkpoint(self, step: int, uri: str) -> None: ...
    def plan(self, plan: Mapping[str, Any]) -> None: ...
    def succeeded(self, summary: Mapping[str, Any]) -> None: ...
    def failed(self, reason: str, message: str) -> None: ...


class NullReporter:
    """Reports nothing (other ranks than the main one, benchmarks)."""

    def phase(self, phase: str) -> None:
        pass

    def stats(self, users: Mapping[str, Mapping[str, int]]) -> None:
        pass

    def progress(self, progress: Progress) -> None:
        pass

    def evaluation(self, when: str, loss: float, perplexity: float) -> None:
        pass

    def checkpoint(self, step: int, uri: str) -> None:
        pass

    def plan(self, plan: Mapping[str, Any]) -> None:
        pass

    def succeeded(self, summary: Mapping[str, Any]) -> None:
        pass

    def failed(self, reason: str, message: str) -> None:
        pass


class JsonLinesReporter(NullReporter):
    """One JSON object a line, flushed at once (the pod log is read while we run)."""

    def __init__(self, stream: TextIO | None = None, clock: Any = time.time) -> None:
        self.stream = stream or sys.stdout
        self.clock = clock

    def _emit(self, event: str, **fields: Any) -> None:
        self.stream.write(json.dumps({"event": event, **fields}, separators=(", ", ": ")) + "\n")
        self.stream.flush()

    def phase(self, phase: str) -> None:
        self._emit("phase", phase=phase, ts=round(self.clock(), 3))

    def stats(self, users: Mapping[str, Mapping[str, int]]) -> None:
        self._emit("stats", users={u: dict(s) for u, s in users.items()})

    def progress(self, progress: Progress) -> None:
        self._emit(
            "progress",
            step=progress.step,
            total_steps=progress.total_steps,
            percent=progress.percent,
            epoch=round(progress.epoch, 3),
            loss=round(progress.loss, 5),
            tokens_per_s=round(progress.tokens_per_s, 1),
            eta_s=round(progress.eta_s, 1),
        )

    def evaluation(self, when: str, loss: float, perplexity: float) -> None:
        self._emit("eval", when=when, loss=round(loss, 5), perplexity=round(perplexity, 3))

    def checkpoint(self, step: int, uri: str) -> None:
        self._emit("checkpoint", step=step, uri=uri)

    def plan(self, plan: Mapping[str, Any]) -> None:
        self._emit("plan", **plan)

    def failed(self, reason: str, message: str) -> None:
        self._emit("error", reason=reason, message=message)


class TqdmReporter(NullReporter):
    """A human-readable progress bar on stderr (the plain log)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar: Any = None

    def phase(self, phase: str) -> None:
        if phase != "train" and self.bar is not None:
            self.bar.close()
            self.bar = None
        print(f"[tweetbot] {phase}", file=self.stream, flush=True)

    def progress(self, progress: Progress) -> None:
        if self.bar is None:
            self.bar = tqdm(total=progress.total_steps, file=self.stream, desc="train", unit="step",
                            initial=progress.step - 1, mininterval=1.0)
        self.bar.update(progress.step - self.bar.n)
        self.bar.set_postfix(loss=f"{progress.loss:.3f}", tok_s=f"{progress.tokens_per_s:.0f}", refresh=False)

    def evaluation(self, when: str, loss: float, perplexity: float) -> None:
        print(f"[tweetbot] eval {when}: loss {loss:.4f}, perplexity {perplexity:.2f}", file=self.stream)

    def checkpoint(self, step: int, uri: str) -> None:
        print(f"[tweetbot] checkpoint at step {step}: {uri}", file=self.stream, flush=True)

    def failed(self, reason: str, message: str) -> None:
        print(f"[tweetbot] failed ({reason}): {message}", file=self.stream, flush=True)


def termination_message(summary: Mapping[str, Any], limit: int = TERMINATION_LIMIT) -> str:
    """The summary as JSON of at most `limit` UTF-8 bytes: `stats` goes first, then a long `baseModel` (the
    operator falls back to the spec's), then `message` is cut."""
    payload = dict(summary)

    def encoded() -> bytes:
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()

    for droppable in ("stats", "baseModel"):
        if len(encoded()) > limit:
            payload.pop(droppable, None)
    if len(encoded()) > limit and isinstance(payload.get("message"), str):
        message: str = payload["message"]
        # The longest prefix that fits (binary search: JSON escaping makes byte length non-linear in chars).
        low, high = 0, len(message)
        while low < high:
            middle = (low + high + 1) // 2
            payload["message"] = message[:middle] + "..."
            if len(encoded()) <= limit:
                low = middle
            else:
                high = middle - 1
        payload["message"] = message[:low] + "..."
    text = encoded()
    if len(text) > limit:  # nothing left to drop: keep only what the operator must see
        payload = {k: payload[k] for k in ("status", "reason", "runId") if k in payload}
        text = encoded()
    return text.decode()


class TerminationMessageReporter(NullReporter):
    """Writes the final summary to the container's termination message file (skipped when not writable)."""

    def __init__(self, path: str, run_id: str | None = None) -> None:
        self.path = path
        self.run_id = run_id

    def _write(self, summary: Mapping[str, Any]) -> None:
        self.write_raw(termination_message(summary))

    def write_raw(self, text: str) -> None:
        try:
            with open(self.path, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError:
            pass  # not in a pod (no /dev/termination-log): nothing to tell

    def succeeded(self, summary: Mapping[str, Any]) -> None:
        self._write({"status": "succeeded", **summary})

    def failed(self, reason: str, message: str) -> None:
        self._write({"status": "failed", "reason": reason, "message": message})


class FanOut(NullReporter):
    """Sends every event to each reporter in turn."""

    def __init__(self, *reporters: Reporter) -> None:
        self.reporters = reporters

    def phase(self, phase: str) -> None:
        for r in self.reporters:
            r.phase(phase)

    def stats(self, users: Mapping[str, Mapping[str, int]]) -> None:
        for r in self.reporters:
            r.stats(users)

    def progress(self, progress: Progress) -> None:
        for r in self.reporters:
            r.progress(progress)

    def evaluation(self, when: str, loss: float, perplexity: float) -> None:
        for r in self.reporters:
            r.evaluation(when, loss, perplexity)

    def checkpoint(self, step: int, uri: str) -> None:
        for r in self.reporters:
            r.checkpoint(step, uri)

    def plan(self, plan: Mapping[str, Any]) -> None:
        for r in self.reporters:
            r.plan(plan)

    def succeeded(self, summary: Mapping[str, Any]) -> None:
        for r in self.reporters:
            r.succeeded(summary)

    def failed(self, reason: str, message: str) -> None:
        for r in self.reporters:
            r.failed(reason, message)


def standard_reporter(termination_log: str) -> Reporter:
    """What the CLI uses: JSON lines + tqdm + termination message."""
    return FanOut(JsonLinesReporter(), TqdmReporter(), TerminationMessageReporter(termination_log))
