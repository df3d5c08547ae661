"""The training loop, nanoGPT-style: one explicit step at a time, no Trainer.

The loop knows nothing of S3 or the CLI: it gets packed blocks, a model and optimizer already prepared by
accelerate, and callbacks for stopping (SIGTERM) and checkpointing. Everything about a step (its batch, its
learning rate) is a pure function of the step number, which is what makes resuming exact.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from tweetbot_trainer.report import NullReporter, Progress, Reporter
from tweetbot_trainer.train.checkpoint import TrainState
from tweetbot_trainer.train.schedule import batch_indices, lr_at, steps_per_epoch


@dataclass(frozen=True)
class LoopSettings:
    total_steps: int
    batch_size: int  # per process
    learning_rate: float
    warmup_steps: int
    seed: int
    checkpoint_every: int = 0
    checkpoint_seconds: float = 0.0  # also checkpoint when this long has passed since the last one (0: never)
    max_grad_norm: float = 1.0
    report_every: int = 1


@dataclass(frozen=True)
class LoopResult:
    interrupted: bool
    tokens_per_s: float  # this attempt's, all processes together
    seconds: float  # this attempt's time in steps


def plan(n_blocks: int, batch_size: int, world_size: int, epochs: int, max_steps: int) -> tuple[int, int]:
    """(steps per epoch, total steps)."""
    per_epoch = steps_per_epoch(n_blocks, batch_size * world_size)
    total = per_epoch * epochs
    return per_epoch, min(total, max_steps) if max_steps > 0 else total


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
    world, rank = accelerator.num_processes, accelerator.process_index
    global_batch = settings.batch_size * world
    n_blocks, block_len = blocks.shape
    per_epoch = steps_per_epoch(n_blocks, global_batch)
    tokens_per_step = global_batch * block_len
    model.train()
    started = time.perf_counter()
    steps_done = 0
    seconds_before = state.train_seconds  # earlier attempts of this run
    last_checkpoint = started

    while state.step < settings.total_steps:
        if should_stop():
            if state.step > 0:
                on_checkpoint(state)
            return LoopResult(True, tokens_per_step * steps_done / max(1e-9, time.perf_counter() - started),
                              time.perf_counter() - started)

        # This process's share of the global batch at this step.
        indices = batch_indices(state.step, n_blocks, global_batch, settings.seed)
        x = blocks[indices[rank * settings.batch_size : (rank + 1) * settings.batch_size]]
        x = x.to(accelerator.device, non_blocking=True)
        lr = lr_at(state.step, settings.total_steps, settings.learning_rate, settings.warmup_steps)
        for group in optimizer.param_groups:
            group["lr"] = lr

        # Forward (autocast to bf16/fp16 by accelerate when enabled), backward, clip, step.
        loss = model(input_ids=x, labels=x).loss
        accelerator.backward(loss)
        if settings.max_grad_norm > 0:
            accelerator.clip_grad_norm_(model.parameters(), settings.max_grad_norm)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

        state.step += 1
        steps_done += 1
        state.tokens_seen += tokens_per_step
        loss_value = float(loss.detach().float().item())  # one sync a step: negligible next to the step
        state.losses.append((state.step, loss_value))
        elapsed = time.perf_counter() - started
        state.train_seconds = seconds_before + elapsed
        if state.step % settings.report_every == 0 or state.step == settings.total_steps:
            per_step = elapsed / steps_done
            reporter.progress(
                Progress(
                    step=state.step,
                    total_steps=settings.total_steps,
                    epoch=state.step / per_epoch,
                    loss=loss_value,
                    tokens_per_s=tokens_per_step * steps_done / elapsed,
                    eta_s=per_step * (settings.total_steps - state.step),
                )
            )
        by_steps = settings.checkpoint_every and state.step % settings.checkpoint_every == 0
        by_time = settings.checkpoint_seconds and time.perf_counter() - last_checkpoint >= settings.checkpoint_seconds
        if (by_steps or by_time) and state.step < settings.total_steps:
            on_checkpoint(state)
            last_checkpoint = time.perf_counter()

    seconds = time.perf_counter() - started
    return LoopResult(False, tokens_per_step * steps_done / max(1e-9, seconds), seconds)


@torch.no_grad()
def evaluate(accelerator: Any, model: Any, blocks: torch.Tensor, batch_size: int) -> tuple[float, float]:
    """(mean loss per predicted token, perplexity) over all blocks; every process computes the same numbers."""
    was_training = model.training
    model.eval()
    total_loss, total_tokens = 0.0, 0
    for start in range(0, blocks.shape[0], batch_size):
        x = blocks[start : start + batch_size].to(accelerator.device)
        loss = model(input_ids=x, labels=x).loss
        n_predicted = x.shape[0] * (x.shape[1] - 1)
        total_loss += float(loss.float().item()) * n_predicted
        total_tokens += n_predicted
    model.train(was_training)
    mean = total_loss / max(1, total_tokens)
    return mean, math.exp(min(mean, 50.0))
