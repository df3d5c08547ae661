"""Learning-rate schedule and the data order: pure functions of the step, so a resumed run needs only the step."""

from __future__ import annotations

import math

import torch


def lr_at(step: int, total_steps: int, peak_lr: float, warmup_steps: int, min_ratio: float = 0.1) -> float:
    """Linear warmup to `peak_lr`, then cosine decay to `min_ratio * peak_lr` at `total_steps`."""
    if warmup_steps > 0 and step < warmup_steps:
        return peak_lr * (step + 1) / warmup_steps
    span = max(1, total_steps - warmup_steps)
    progress = min(1.0, (step - warmup_steps) / span)
    return peak_lr * (min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def steps_per_epoch(n_blocks: int, global_batch: int) -> int:
    return max(1, math.ceil(n_blocks / global_batch))


def batch_indices(step: int, n_blocks: int, global_batch: int, seed: int) -> torch.Tensor:
    """Block indices of the global batch at `step`: a seeded shuffle per epoch, wrapping around at the end of
    an epoch so that every batch (and every rank's share of it) is full."""
    per_epoch = steps_per_epoch(n_blocks, global_batch)
    epoch, within = divmod(step, per_epoch)
    generator = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    order = torch.randperm(n_blocks, generator=generator)
    positions = (torch.arange(global_batch) + within * global_batch) % n_blocks
    return order[positions]
