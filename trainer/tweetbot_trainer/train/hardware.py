"""What the hardware decides: mixed precision, TF32 and whether torch.compile can run."""

from __future__ import annotations

import shutil

import torch

from tweetbot_trainer.errors import TweetBotInputError

# Native bf16 tensor cores start with Ampere (compute capability 8.0); T4 (7.5) and V100 (7.0) only emulate bf16,
# slower than fp32, so they get fp16 (with a loss scaler).
NATIVE_BF16_CAPABILITY = (8, 0)


def pick_precision(requested: str, cuda: bool, native_bf16: bool) -> str:
    """accelerate's mixed_precision for a request: auto = bf16 where the GPU has it natively, else fp16 on GPUs,
    fp32 ("no") on CPU."""
    if requested == "auto":
        if cuda:
            return "bf16" if native_bf16 else "fp16"
        return "no"
    if requested == "fp32":
        return "no"
    if requested == "fp16" and not cuda:
        raise TweetBotInputError("BadSettings", "--precision fp16 needs a GPU")
    return requested


def has_bf16() -> bool:
    """A GPU that computes in bf16 natively (compute capability 8.0+)."""
    return torch.cuda.is_available() and torch.cuda.get_device_capability() >= NATIVE_BF16_CAPABILITY


def resolve_precision(requested: str) -> str:
    return pick_precision(requested, torch.cuda.is_available(), has_bf16())


def frozen_base_dtype(lora_rank: int, mixed_precision: str, native_bf16: bool) -> torch.dtype:
    """The dtype a base model is loaded in: bf16 for LoRA's frozen base on a GPU with native bf16 training in bf16
    (half the weights, and no autocast copy of every frozen weight kept for backward); fp32 otherwise, since
    trainable weights need fp32 masters (AdamW's small updates round away in bf16) and fp16's GradScaler
    refuses 16-bit parameters. LoRA's adapters stay fp32 either way (peft's autocast_adapter_dtype)."""
    bf16 = lora_rank > 0 and mixed_precision == "bf16" and native_bf16
    return torch.bfloat16 if bf16 else torch.float32


def enable_fast_math() -> None:
    """TF32 matmuls on Ampere+ (fp32 parts of mixed precision run on tensor cores)."""
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.set_float32_matmul_precision("high")


def has_c_compiler() -> bool:
    return any(shutil.which(cc) for cc in ("cc", "gcc", "clang"))


def compile_decision(mode: str, pays: bool, *, cuda: bool, has_compiler: bool) -> bool:
    """torch.compile: "auto" = on a GPU, where a C compiler exists (Triton builds its launcher with one) and the
    compile time pays off (`pays`: train.compile_policy's estimate for the run)."""
    if mode != "auto":
        return mode == "on"
    return cuda and has_compiler and pays


def should_compile(mode: str, pays: bool = True) -> bool:
    return compile_decision(mode, pays, cuda=torch.cuda.is_available(), has_compiler=has_c_compiler())
