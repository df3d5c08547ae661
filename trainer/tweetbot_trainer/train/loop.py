"""The training loop, nanoGPT-style: one explicit step at a time, no Trainer.

The loop knows nothing of S3 or the CLI: it gets packed blocks, a model and optimizer already prepared by
accelerate, and callbacks for stopping (SIGTERM) and checkpointing. Everything about a step (its batch, its
learning rate) is a pure function of the step number, which is what makes resuming exact.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.report import NullReporter, Progress, Reporter
from tweetbot_trainer.train.checkpoint import TrainState
from tweetbot_trainer.train.schedule import batch_indices, lr_at, steps_per_epoch


@dataclass(frozen=True)
class LoopSettings:
    total_steps: int
    batch_size: int  # per process and micro-batch
    learning_rate: float
    warmup_steps: int
    seed: int
    checkpoint_every: int = 0
    checkpoint_seconds: float = 0.0  # also checkpoint when this long has passed since the last one (0: never)
    max_grad_norm: float = 1.0
    report_every: int = 1  # steps between host syncs: loss values, progress, the divergence check
    grad_accum: int = 1  # micro-batches per optimizer step
    stop_check_every: int = 1  # steps between looks at the stop flag (an all-reduce with several processes)
    # Called with the step about to run: the other ranks' dropout RNG, drawn from (seed, rank, step) so that a
    # resumed run draws the same masks as an uninterrupted one (only rank 0's RNG state is in a checkpoint).
    before_step: Callable[[int], None] | None = None


# Steps between progress lines at least on a GPU: each one is a host sync (`.tolist()` of the pending losses),
# which drains the GPU's queue of launched kernels; at every step it costs short runs a few percent
# (bench/compile_check.py measures it). On a CPU nothing is queued: a sync costs nothing, progress every step.
REPORT_EVERY_MIN_GPU = 10
# Progress lines a run at most (about): long runs report every total/200 steps.
REPORTS_PER_RUN = 200


def report_every(total_steps: int, *, cuda: bool) -> int:
    """Steps between host syncs (loss values, progress, the divergence check); every loss is still logged."""
    return max(REPORT_EVERY_MIN_GPU if cuda else 1, total_steps // REPORTS_PER_RUN)


@dataclass(frozen=True)
class LoopResult:
    interrupted: bool
    tokens_per_s: float  # this attempt's, all processes together
    seconds: float  # this attempt's time in steps


def plan(n_blocks: int, batch_size: int, world_size: int, epochs: int, max_steps: int, *,
         grad_accum: int = 1) -> tuple[int, int]:
    """(steps per epoch, total steps)."""
    per_epoch = steps_per_epoch(n_blocks, batch_size * world_size * grad_accum)
    total = per_epoch * epochs
    return per_epoch, min(total, max_steps) if max_steps > 0 else total


class LossLog:
    """Train losses kept on the device between host syncs (an `.item()` a step would stall the GPU each step).
    `average` makes them the mean over the processes (one all-reduce a sync): every rank logs the group's loss,
    and one rank's non-finite loss fails every rank at the same step."""

    def __init__(self, state: TrainState, average: Callable[[torch.Tensor], torch.Tensor] = lambda t: t) -> None:
        self.state = state
        self.average = average
        self._pending: list[tuple[int, torch.Tensor]] = []

    def add(self, step: int, loss: torch.Tensor) -> None:
        self._pending.append((step, loss.detach().float()))

    def flush(self) -> float | None:
        """Moves the pending losses into the state with one sync; raises when one is not finite."""
        if not self._pending:
            return None
        values = self.average(torch.stack([loss for _, loss in self._pending])).tolist()
        steps = [step for step, _ in self._pending]
        self._pending.clear()
        for step, value in zip(steps, values, strict=True):
            if not math.isfinite(value):
                raise TweetBotInputError(
                    "LossDiverged", f"the training loss became {value} at step {step}: the run diverged and is not "
                    "published; lower training.learningRate or try another base model or precision")
        self.state.losses.extend(zip(steps, values, strict=True))
        return float(values[-1])


def train_loop(
    accelerator: Any,
    model: Any,
    optimizer: Any,
    blocks: torch.Tensor,
    *,
    settings: LoopSettings,
    state: TrainState,
    reporter: Reporter | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    on_checkpoint: Callable[[TrainState], None] = lambda _state: None,
) -> LoopResult:
    reporter = reporter or NullReporter()
    n_blocks, block_len = blocks.shape
    global_batch = settings.batch_size * accelerator.num_processes * settings.grad_accum
    per_epoch = steps_per_epoch(n_blocks, global_batch)
    tokens_per_step = global_batch * block_len
    model.train()
    started = time.perf_counter()
    steps_done = 0
    seconds_before = state.train_seconds  # earlier attempts of this run
    log = LossLog(state, mean_over_processes(accelerator))
    last_checkpoint = started

    def checkpoint() -> None:
        nonlocal last_checkpoint
        log.flush()
        on_checkpoint(state)
        last_checkpoint = time.perf_counter()

    while state.step < settings.total_steps:
        if state.step % settings.stop_check_every == 0 and should_stop():
            if state.step > 0:
                checkpoint()
            elapsed = time.perf_counter() - started
            return LoopResult(True, tokens_per_step * steps_done / max(1e-9, elapsed), elapsed)

        if settings.before_step is not None:
            settings.before_step(state.step)
        lr = lr_at(state.step, settings.total_steps, settings.learning_rate, settings.warmup_steps)
        for group in optimizer.param_groups:
            group["lr"] = lr
        loss = train_step(accelerator, model, optimizer, micro_batches(blocks, state.step, settings, accelerator),
                          settings.max_grad_norm)

        state.step += 1
        steps_done += 1
        state.tokens_seen += tokens_per_step
        log.add(state.step, loss)
        elapsed = time.perf_counter() - started
        state.train_seconds = seconds_before + elapsed
        if state.step % settings.report_every == 0 or state.step == settings.total_steps:
            loss_value = log.flush()
            assert loss_value is not None  # this step's loss was just added
            reporter.progress(
                Progress(
                    step=state.step,
                    total_steps=settings.total_steps,
                    epoch=state.step / per_epoch,
                    loss=loss_value,
                    tokens_per_s=tokens_per_step * steps_done / elapsed,
                    eta_s=elapsed / steps_done * (settings.total_steps - state.step),
                )
            )
        by_steps = bool(settings.checkpoint_every) and state.step % settings.checkpoint_every == 0
        if state.step < settings.total_steps and (by_steps or time_due(accelerator, settings, state.step,
                                                                       time.perf_counter() - last_checkpoint)):
            checkpoint()

    log.flush()
    seconds = time.perf_counter() - started
    return LoopResult(False, tokens_per_step * steps_done / max(1e-9, seconds), seconds)


def mean_over_processes(accelerator: Any) -> Callable[[torch.Tensor], torch.Tensor]:
    if accelerator.num_processes == 1:
        return lambda losses: losses
    return lambda losses: accelerator.reduce(losses, reduction="mean")


def time_due(accelerator: Any, settings: LoopSettings, step: int, since_last: float) -> bool:
    """The time-based checkpoint: looked at on the stop-check steps, agreed by all processes (each has its own
    clock, and a checkpoint waits for all of them)."""
    if not settings.checkpoint_seconds or step % settings.stop_check_every:
        return False
    due = since_last >= settings.checkpoint_seconds
    if accelerator.num_processes == 1:
        return due
    flag = torch.tensor([1.0 if due else 0.0], device=accelerator.device)
    return bool(accelerator.reduce(flag, reduction="sum").item() > 0)


def micro_batches(blocks: torch.Tensor, step: int, settings: LoopSettings, accelerator: Any) -> list[torch.Tensor]:
    """This process's micro-batches of the global batch at `step` (a pure function of the step: exact resumes)."""
    global_batch = settings.batch_size * accelerator.num_processes * settings.grad_accum
    indices = batch_indices(step, blocks.shape[0], global_batch, settings.seed)
    per_process = settings.batch_size * settings.grad_accum
    mine = indices[accelerator.process_index * per_process : (accelerator.process_index + 1) * per_process]
    return [blocks[mine[i : i + settings.batch_size]].to(accelerator.device, non_blocking=True)
            for i in range(0, per_process, settings.batch_size)]


def train_step(accelerator: Any, model: Any, optimizer: Any, batches: list[torch.Tensor],
               max_grad_norm: float) -> torch.Tensor:
    """Forward (our own autocast: no fp32 copy of the outputs), backward per micro-batch, clip, step.
    Returns the step's mean loss, still on the device."""
    total = torch.zeros((), device=accelerator.device)
    for i, x in enumerate(batches):
        last = i == len(batches) - 1
        # Gradients are all-reduced once, on the last micro-batch.
        with contextlib.nullcontext() if last else accelerator.no_sync(model), accelerator.autocast():
            loss = model(input_ids=x, labels=x).loss / len(batches)
        accelerator.backward(loss)
        total += loss.detach().float()
    if max_grad_norm > 0:
        accelerator.clip_grad_norm_(model.parameters(), max_grad_norm)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return total


@torch.no_grad()
def evaluate(accelerator: Any, model: Any, blocks: torch.Tensor, batch_size: int) -> tuple[float, float]:
    """(mean loss per predicted token, perplexity) over all blocks; every process computes the same numbers."""
    was_training = model.training
    model.eval()
    total_loss, total_tokens = torch.zeros((), device=accelerator.device, dtype=torch.float64), 0
    for start in range(0, blocks.shape[0], batch_size):
        x = blocks[start : start + batch_size].to(accelerator.device)
        with accelerator.autocast():
            loss = model(input_ids=x, labels=x).loss
        n_predicted = x.shape[0] * (x.shape[1] - 1)
        total_loss += loss.detach().double() * n_predicted
        total_tokens += n_predicted
    model.train(was_training)
    mean = float(total_loss.item()) / max(1, total_tokens)  # one sync, at the end
    return mean, math.exp(min(mean, 50.0))
