"""Whether torch.compile pays for a run: the time it saves on the run's steps against the time it costs before the
first one, both estimated before anything runs (the plan's `compile`, `compileEstimate`).

Compute time: the run's training FLOPs (6 N a token for a full fine-tune, 4 N for LoRA's frozen base, whose
weights need no gradient, plus attention and checkpointing's recomputed forward) at an assumed eager utilisation
of the GPU's bf16 peak. Compile time: inductor's, by model depth, cold, or warm when this image's compile cache (on
the model cache volume: TORCHINDUCTOR_CACHE_DIR, TRITON_CACHE_DIR) has compiled the same shapes before. The
constants are estimates until bench/gpu_check.py measures them on an H100 (its `compile` part).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Dense bf16 tensor-core peaks (FLOP/s) from the vendors' datasheets, matched by substring of the device name
# (the more specific names first).
PEAK_BF16 = {
    "H200": 989e12,
    "H100 NVL": 835e12,
    "H100 PCIe": 756e12,
    "H100": 989e12,  # SXM
    "GH200": 989e12,
    "A100": 312e12,
    "A10G": 70e12,  # datasheet: 31.2 TF fp32; 70 bf16 dense (140 with sparsity)
    "A10": 125e12,
    "L40S": 362e12,
    "L4": 121e12,
    "RTX 4090": 165e12,
    "RTX 3090": 71e12,
    "V100": 125e12,  # fp16 (no bf16)
    "T4": 65e12,  # fp16
}
UNKNOWN_GPU_PEAK = 312e12  # an A100's: a GPU not in the table is assumed a fast one (fewer seconds: compile less)
# Eager utilisation of the peak the estimate assumes (the review's estimate for GPT-2 124M eager: about 13%).
EAGER_MFU = 0.15
# Eager step time over compiled step time (nanoGPT: GPT-2 small from 250 to 135 ms an iteration; our eager path
# already has SDPA attention, fused AdamW and the one-kernel GELU, so less).
COMPILED_SPEEDUP = 1.3
# Inductor's compile of forward and backward, seconds: a fixed part and a part a layer (dynamo inlines every
# layer). Cold: nothing cached; warm: the FX graph, autograd and Triton caches hit (dynamo still traces).
COMPILE_SECONDS_COLD = (20.0, 2.5)
COMPILE_SECONDS_WARM = (5.0, 0.5)
MARKER_DIR = "tweetbot-compiled"  # below the inductor cache: one file a shape compiled there


@dataclass(frozen=True)
class CompileEstimate:
    eager_seconds: float  # the run's steps, uncompiled
    compile_seconds: float
    saved_seconds: float  # eager_seconds less the compiled steps' time
    cache_warm: bool

    @property
    def pays(self) -> bool:
        return self.saved_seconds > self.compile_seconds

    def as_json(self) -> dict[str, Any]:
        return {"eagerSeconds": round(self.eager_seconds, 1), "compileSeconds": round(self.compile_seconds, 1),
                "savedSeconds": round(self.saved_seconds, 1), "cacheWarm": self.cache_warm}


def peak_flops(gpu: str) -> float:
    """The bf16 peak of a GPU by (part of) its name: `NVIDIA H100 80GB HBM3`, or `h100` as `plan --gpu` takes."""
    name = gpu.upper()
    return next((peak for key, peak in PEAK_BF16.items() if key in name), UNKNOWN_GPU_PEAK)


def flops_per_token(*, parameters: int, trainable: int, layers: int, hidden: int, block_size: int,
                    checkpointing: bool) -> float:
    """Training FLOPs a token: forward 2 N, backward 2 N for the activations' gradients and 2 N for the weights'
    (trainable weights only: LoRA's frozen base has none), attention 12 L d T, and with checkpointing the forward
    once more."""
    lora = trainable < parameters // 2
    forward = 2 * parameters + 4 * layers * hidden * block_size
    backward = 2 * forward if not lora else forward + 2 * trainable
    return forward * (2 if checkpointing else 1) + backward


def compile_seconds(layers: int, *, warm: bool) -> float:
    fixed, per_layer = COMPILE_SECONDS_WARM if warm else COMPILE_SECONDS_COLD
    return fixed + per_layer * layers


def estimate(*, tokens: int, per_token: float, gpu: str, layers: int, cache_warm: bool) -> CompileEstimate:
    eager = tokens * per_token / (peak_flops(gpu) * EAGER_MFU)
    return CompileEstimate(eager, compile_seconds(layers, warm=cache_warm), eager * (1 - 1 / COMPILED_SPEEDUP),
                           cache_warm)


def inductor_cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where inductor keeps its caches: TORCHINDUCTOR_CACHE_DIR (the image sets it on the model cache volume),
    else torch's default, /tmp/torchinductor_<user>."""
    if environ.get("TORCHINDUCTOR_CACHE_DIR"):
        return Path(environ["TORCHINDUCTOR_CACHE_DIR"])
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # a UID without a passwd entry (OpenShift's arbitrary UIDs)
        user = "unknown"
    return Path(tempfile.gettempdir()) / f"torchinductor_{user}"


def shape_key(model_config: Any, *, block_size: int, micro: int, precision: str, lora: bool, gpu: str) -> str:
    """What a compiled graph depends on (model, shapes, precision, GPU, torch): a cache hit needs all of them."""
    import torch

    model = dict(model_config.to_dict()) if hasattr(model_config, "to_dict") else {"config": str(model_config)}
    for volatile in [k for k in model if k.startswith("_") or k in ("name_or_path", "transformers_version")]:
        del model[volatile]  # where the base model was downloaded to differs every run
    fields = {"model": model, "block": block_size, "micro": micro, "precision": precision, "lora": lora, "gpu": gpu,
              "torch": torch.__version__}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()[:24]


def cache_warm(key: str, environ: Mapping[str, str] = os.environ) -> bool:
    return (inductor_cache_dir(environ) / MARKER_DIR / key).is_file()


def record_compiled(key: str, environ: Mapping[str, str] = os.environ) -> None:
    """After a compiled run's steps: the next run of these shapes finds the cache warm. Best effort (a read-only
    or full cache volume costs the next run a cold compile, nothing more)."""
    marker = inductor_cache_dir(environ) / MARKER_DIR / key
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass
