"""Training memory on one GPU, estimated before anything is allocated: the micro-batch that fits, whether
gradient checkpointing is needed, and the clear failure when even that cannot fit (no OOM-kill loop).

Model states: fp32 weights (4 bytes a parameter) plus, for trainable ones, gradients and AdamW's two moments
(12 more). Activations per sequence and layer: 34 x block x hidden bytes in 16-bit (Korthikanti et al. 2022, with
SDPA's fused attention keeping no score matrix), twice that in fp32; with gradient checkpointing only each
layer's fp32 input is kept, and one layer's activations at a time. Logits: a 16-bit copy, the loss's fp32 copy
and their gradient, 10 bytes each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tweetbot_trainer.errors import TweetBotInputError

MEMORY_HEADROOM = 0.85  # of the free device memory: the allocator's fragmentation, CUDA context, eval
GiB = 1024**3


@dataclass(frozen=True)
class ModelSize:
    layers: int
    hidden: int
    vocab: int
    parameters: int
    trainable: int

    @classmethod
    def of(cls, model_config: Any, parameters: int, trainable: int | None = None) -> ModelSize:
        return cls(int(getattr(model_config, "num_hidden_layers", 12)), int(getattr(model_config, "hidden_size", 768)),
                   int(getattr(model_config, "vocab_size", 50257)), parameters,
                   parameters if trainable is None else trainable)


def state_bytes(size: ModelSize) -> int:
    return 4 * size.parameters + 12 * size.trainable


def sequence_bytes(size: ModelSize, block_size: int, half: bool, checkpointing: bool) -> int:
    """Activation bytes of one sequence of `block_size` tokens."""
    layer = size.hidden * 34 * (1 if half else 2)
    per_token = size.layers * size.hidden * 4 + layer if checkpointing else size.layers * layer
    return block_size * (per_token + size.vocab * 10)


def fits(size: ModelSize, block_size: int, micro: int, free_bytes: int, *, half: bool, checkpointing: bool) -> bool:
    need = state_bytes(size) + micro * sequence_bytes(size, block_size, half, checkpointing)
    return need <= free_bytes * MEMORY_HEADROOM


def largest_micro_batch(size: ModelSize, block_size: int, free_bytes: int, *, half: bool, checkpointing: bool,
                        cap: int) -> int:
    left = free_bytes * MEMORY_HEADROOM - state_bytes(size)
    return max(1, min(cap, int(left // sequence_bytes(size, block_size, half, checkpointing))))


def use_gradient_checkpointing(setting: str, size: ModelSize, block_size: int, free_bytes: int | None,
                               half: bool) -> bool:
    """`on`/`off` as set; `auto`: on when one sequence without it does not fit (never on CPU: `free_bytes` None).
    Raises NotEnoughGPUMemory when one sequence does not fit even with what the setting allows."""
    if free_bytes is None:
        return setting == "on"
    if setting != "on" and fits(size, block_size, 1, free_bytes, half=half, checkpointing=False):
        return False
    checkpointing = setting != "off"
    if not fits(size, block_size, 1, free_bytes, half=half, checkpointing=checkpointing):
        need = state_bytes(size) + sequence_bytes(size, block_size, half, checkpointing)
        raise TweetBotInputError(
            "NotEnoughGPUMemory",
            f"training needs about {need / GiB:.1f} GiB of GPU memory ({state_bytes(size) / GiB:.1f} GiB weights, "
            f"gradients and optimizer for {size.parameters:,} parameters, {size.trainable:,} trainable, plus one "
            f"sequence of {block_size} tokens{' with gradient checkpointing' if checkpointing else ''}) but "
            f"{free_bytes * MEMORY_HEADROOM / GiB:.1f} GiB are usable; use LoRA (training.lora.rank), a smaller "
            "base model or block size, or a bigger GPU")
    return checkpointing
