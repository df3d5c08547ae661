"""Training memory on one GPU, estimated before anything is allocated, term by term: the micro-batch that fits,
whether gradient checkpointing is needed, and the clear failure when even that cannot fit (no OOM-kill loop).

Terms (bytes): weights (4 a trainable parameter, 2 or 4 a frozen one: the LoRA base is bf16 where the GPU has
it), gradients (4 a trainable one), AdamW's two moments (8), DDP's gradient buckets (4, with several processes),
autocast's 16-bit copies of fp32 weights (2 a parameter: kept for the step for trainable weights, saved for
backward for frozen ones), activations and logits (per token, below).

Activations per token and layer: `ch x hidden + ci x intermediate` bytes, by MLP kind (GPT-2's 4h GELU MLP or
Llama's gated SwiGLU), precision and LoRA (a frozen layer saves fewer inputs for backward). The coefficients are
what autograd saves for backward, measured with saved-tensor hooks on CPU (tests/trainer/test_memory_measured.py,
SDPA's fused attention keeping no score matrix, as flash attention on CUDA); Llama-3-8B LoRA in bf16 comes to
about 47 bytes a token, layer and hidden unit, GPT-2 in bf16 to 45. With gradient checkpointing only each
layer's input is kept, and one layer's activations at a time. Logits: the 16-bit ones, the loss's fp32 copy and
its log-softmax, and their gradients in backward: 10 bytes each in mixed precision, 12 in fp32.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tweetbot_trainer.errors import TweetBotInputError

MEMORY_HEADROOM = 0.85  # of the free device memory: the allocator's fragmentation, cuBLAS/NCCL workspaces, eval
GiB = 1024**3
# Model types whose MLP is GPT-2's (one up projection, GELU); everything else is counted as gated (more bytes).
PLAIN_MLP_TYPES = frozenset({"gpt2", "gpt_bigcode", "gpt_neo", "gptj", "gpt_neox", "opt", "bloom", "falcon"})
# (gated MLP, mixed precision, LoRA) -> (bytes per token-layer-hidden unit, per token-layer-intermediate unit).
_COEFFICIENTS = {
    (True, False, False): (35, 16), (True, True, False): (32, 8), (True, True, True): (26, 6),
    (False, False, False): (49, 8), (False, True, False): (29, 4), (False, True, True): (31, 2),
}
_MEASURED_KV_RATIO = 0.25  # the gated coefficients were measured with 1 KV head of 4 (GQA)


@dataclass(frozen=True)
class ModelSize:
    layers: int
    hidden: int
    vocab: int
    parameters: int
    trainable: int
    intermediate: int = 0  # the MLP's width; 0: 4 x hidden
    gated: bool = True  # SwiGLU-style MLP (Llama family); False: GPT-2's
    kv_ratio: float = 1.0  # key/value heads over attention heads (GQA)
    frozen_bytes: int = 4  # bytes a frozen parameter: 2 when the base is loaded in bf16 (LoRA, bf16 GPUs)

    @classmethod
    def of(cls, model_config: Any, parameters: int, trainable: int | None = None, *,
           frozen_bytes: int = 4) -> ModelSize:
        hidden = int(getattr(model_config, "hidden_size", 768))
        heads = int(getattr(model_config, "num_attention_heads", 0) or 1)
        kv_heads = int(getattr(model_config, "num_key_value_heads", 0) or heads)
        inner = getattr(model_config, "intermediate_size", None) or getattr(model_config, "n_inner", None)
        return cls(int(getattr(model_config, "num_hidden_layers", 12)), hidden,
                   int(getattr(model_config, "vocab_size", 50257)), parameters,
                   parameters if trainable is None else trainable, int(inner or 4 * hidden),
                   getattr(model_config, "model_type", "") not in PLAIN_MLP_TYPES, kv_heads / heads, frozen_bytes)

    @property
    def frozen(self) -> int:
        return self.parameters - self.trainable

    @property
    def lora(self) -> bool:
        return self.trainable < self.parameters // 2


def state_terms(size: ModelSize, *, half: bool, checkpointing: bool = False, world: int = 1) -> dict[str, int]:
    """What a step keeps whatever the batch: weights, gradients, optimizer, DDP buckets, autocast copies."""
    fp32_frozen = size.frozen if size.frozen_bytes == 4 else 0
    # Frozen weights' copies are saved for backward: with checkpointing, one layer's at a time.
    frozen_copies = fp32_frozen // size.layers if checkpointing else fp32_frozen
    return {
        "weights": 4 * size.trainable + size.frozen_bytes * size.frozen,
        "gradients": 4 * size.trainable,
        "optimizer": 8 * size.trainable,
        "ddpBuckets": 4 * size.trainable if world > 1 else 0,
        "autocastCopies": 2 * (size.trainable + frozen_copies) if half else 0,
    }


def layer_token_bytes(size: ModelSize, half: bool) -> int:
    """Activation bytes one layer saves for backward per token."""
    per_hidden, per_inner = _COEFFICIENTS[(size.gated, half, half and size.lora)]
    extra_kv = max(0.0, size.kv_ratio - _MEASURED_KV_RATIO) * 2 * (2 if half else 4) if size.gated else 0.0
    return int((per_hidden + extra_kv) * size.hidden + per_inner * size.intermediate)


def activation_terms(size: ModelSize, block_size: int, micro: int, *, half: bool,
                     checkpointing: bool) -> dict[str, int]:
    """Activations and logits of `micro` sequences of `block_size` tokens."""
    layer = layer_token_bytes(size, half)
    if checkpointing:  # each layer's input (fp32 unless the base is 16-bit), and one layer recomputed
        residual = 2 if half and size.frozen_bytes == 2 else 4
        per_token = size.layers * size.hidden * residual + layer
    else:
        per_token = size.layers * layer
    tokens = block_size * micro
    return {"activations": tokens * per_token, "logits": tokens * size.vocab * (10 if half else 12)}


def memory_terms(size: ModelSize, block_size: int, micro: int, *, half: bool, checkpointing: bool,
                 world: int = 1) -> dict[str, int]:
    return {**state_terms(size, half=half, checkpointing=checkpointing, world=world),
            **activation_terms(size, block_size, micro, half=half, checkpointing=checkpointing)}


def sequence_bytes(size: ModelSize, block_size: int, half: bool, checkpointing: bool) -> int:
    """Activation and logit bytes of one sequence of `block_size` tokens."""
    return sum(activation_terms(size, block_size, 1, half=half, checkpointing=checkpointing).values())


def fits(size: ModelSize, block_size: int, micro: int, free_bytes: int, *, half: bool, checkpointing: bool,
         world: int = 1) -> bool:
    need = memory_terms(size, block_size, micro, half=half, checkpointing=checkpointing, world=world)
    return sum(need.values()) <= free_bytes * MEMORY_HEADROOM


def largest_micro_batch(size: ModelSize, block_size: int, free_bytes: int, *, half: bool, checkpointing: bool,
                        cap: int, world: int = 1) -> int:
    states = sum(state_terms(size, half=half, checkpointing=checkpointing, world=world).values())
    left = free_bytes * MEMORY_HEADROOM - states
    return max(1, min(cap, int(left // sequence_bytes(size, block_size, half, checkpointing))))


def use_gradient_checkpointing(setting: str, size: ModelSize, block_size: int, free_bytes: int | None,
                               half: bool, *, world: int = 1) -> bool:
    """`on`/`off` as set; `auto`: on when one sequence without it does not fit (never on CPU: `free_bytes` None).
    Raises NotEnoughGPUMemory when one sequence does not fit even with what the setting allows."""
    if free_bytes is None:
        return setting == "on"
    if setting != "on" and fits(size, block_size, 1, free_bytes, half=half, checkpointing=False, world=world):
        return False
    checkpointing = setting != "off"
    if not fits(size, block_size, 1, free_bytes, half=half, checkpointing=checkpointing, world=world):
        raise not_enough_memory(size, block_size, free_bytes, half=half, checkpointing=checkpointing, world=world)
    return checkpointing


def not_enough_memory(size: ModelSize, block_size: int, free_bytes: int, *, half: bool, checkpointing: bool,
                      world: int) -> TweetBotInputError:
    terms = memory_terms(size, block_size, 1, half=half, checkpointing=checkpointing, world=world)
    states = sum(state_terms(size, half=half, checkpointing=checkpointing, world=world).values())
    return TweetBotInputError(
        "NotEnoughGPUMemory",
        f"training needs about {sum(terms.values()) / GiB:.1f} GiB of GPU memory ({states / GiB:.1f} GiB weights, "
        f"gradients and optimizer for {size.parameters:,} parameters, {size.trainable:,} trainable, plus one "
        f"sequence of {block_size} tokens{' with gradient checkpointing' if checkpointing else ''}) but "
        f"{free_bytes * MEMORY_HEADROOM / GiB:.1f} GiB are usable; use LoRA (training.lora.rank), a smaller "
        "base model or block size, or a bigger GPU")
