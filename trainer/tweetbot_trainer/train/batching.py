"""How many sequences a step trains on, and how they are split: the global batch (an optimization choice),
the micro-batch that fits one device's memory, and gradient accumulation in between.

huggingtweets trained with batch 1. A user's posts are often only a few dozen 1024-token blocks, and 8x fewer,
larger steps at the same learning rate then train a worse model; so the automatic global batch grows with the
data (at least MIN_STEPS_PER_EPOCH steps an epoch) up to MAX_AUTO_GLOBAL_BATCH, where GPUs run efficiently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tweetbot_trainer.train.memory import ModelSize, largest_micro_batch

MIN_STEPS_PER_EPOCH = 32
MAX_AUTO_GLOBAL_BATCH = 8
MAX_MICRO_BATCH = 64  # past this a bigger micro-batch buys little speed


@dataclass(frozen=True)
class BatchPlan:
    micro: int  # sequences per device per forward
    accum: int  # micro-batches per optimizer step
    world: int  # processes

    @property
    def global_batch(self) -> int:
        return self.micro * self.accum * self.world


def auto_global_batch(n_blocks: int, world: int) -> int:
    """At least MIN_STEPS_PER_EPOCH steps an epoch, at most MAX_AUTO_GLOBAL_BATCH, a multiple of the processes:
    rounded down to one, so that the steps stay at MIN_STEPS_PER_EPOCH or more wherever the data has a sequence
    per process for each of them (one per process at least, always)."""
    wanted = min(MAX_AUTO_GLOBAL_BATCH, max(1, n_blocks // MIN_STEPS_PER_EPOCH))
    return world * max(1, wanted // world)


def plan_batches(n_blocks: int, world: int, *, micro: int = 0, global_batch: int = 0,
                 fits: int = MAX_MICRO_BATCH) -> BatchPlan:
    """`micro` / `global_batch` as the user set them (0: pick); `fits`: the largest micro-batch the memory takes.
    A micro-batch set without a global batch keeps today's meaning: global = micro x processes."""
    if micro and not global_batch:
        return BatchPlan(micro, 1, world)
    per_device = math.ceil((global_batch or auto_global_batch(n_blocks, world)) / world)
    cap = max(1, min(micro or fits, per_device))
    accum = math.ceil(per_device / cap)
    return BatchPlan(math.ceil(per_device / accum), accum, world)


def fit_micro_batch(model_config: Any, n_params: int, block_size: int, free_bytes: int, half: bool, *,
                    trainable: int | None = None, checkpointing: bool = False) -> int:
    """The largest micro-batch whose training memory fits `free_bytes` (an estimate, on the safe side: memory.py)."""
    size = ModelSize.of(model_config, n_params, trainable)
    return largest_micro_batch(size, block_size, free_bytes, half=half, checkpointing=checkpointing,
                               cap=MAX_MICRO_BATCH)
