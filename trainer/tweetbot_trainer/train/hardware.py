"""What the hardware decides: mixed precision, TF32 and whether torch.compile can run."""

from __future__ import annotations

import shutil

import torch

from tweetbot_trainer.errors import TweetBotInputError


def resolve_precision(requested: str) -> str:
    """accelerate's mixed_precision: bf16 where the GPU supports it, else fp16 on GPUs, fp32 ("no") on CPU."""
    cuda = torch.cuda.is_available()
    if requested == "auto":
        if cuda and torch.cuda.is_bf16_supported():
            return "bf16"
        return "fp16" if cuda else "no"
    if requested == "fp32":
        return "no"
    if requested == "fp16" and not cuda:
        raise TweetBotInputError("BadSettings", "--precision fp16 needs a GPU")
    return requested


def enable_fast_math() -> None:
    """TF32 matmuls on Ampere+ (fp32 parts of mixed precision run on tensor cores)."""
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.set_float32_matmul_precision("high")


def should_compile(mode: str) -> bool:
    """torch.compile: "auto" = on a GPU and where a C compiler exists (Triton builds its launcher with one;
    the slim CUDA runtime images have none, and compiling would fail at the first step there)."""
    if mode != "auto":
        return mode == "on"
    return torch.cuda.is_available() and any(shutil.which(cc) for cc in ("cc", "gcc", "clang"))
