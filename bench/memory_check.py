"""The production LoRA path against its plan: tokens/s and peak memory of `tweetbot-train run`'s training setup
(base loaded as the run loads it: bf16 where the GPU has it; LoRA; the plan's micro-batch, accumulation and
gradient checkpointing; the run's loop) for a named model shape with random weights, next to the plan's estimate.

`--steps 1` is the memory check of a shape too big to time (Llama-3-8B on one 80 GB GPU: one step at the planned
micro-batch must not run out of memory, and its peak must stay under the estimate). Peak: CUDA's
max_memory_allocated; on CPU the process's peak RSS (weights, the Python runtime and allocator caches included,
so only a sanity check). No hub: the model is built from its config in code (train/shapes.py).
Writes the JSON to stdout and bench/results/memory_check-<shape>.json.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path
from typing import Any

import torch
from bench_result import write_result

REPO = Path(__file__).resolve().parent.parent
TINY = {"model_type": "llama", "hidden_size": 64, "intermediate_size": 192, "num_hidden_layers": 2,
        "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 512, "max_position_embeddings": 256}


def build(shape: str, dtype: torch.dtype, device: torch.device) -> Any:
    from transformers import AutoConfig, AutoModelForCausalLM
    from tweetbot_trainer.train.model_loading import fast_activation
    from tweetbot_trainer.train.shapes import model_config

    if shape == "tiny":
        fields = dict(TINY)
        config = AutoConfig.for_model(fields.pop("model_type"), **fields)
    else:
        config = model_config(shape)
    config._attn_implementation = "sdpa"
    with torch.device(device):  # straight onto the device, in the run's dtype: no fp32 copy on the host
        model = AutoModelForCausalLM.from_config(fast_activation(config), dtype=dtype)
    return model


def run(args: argparse.Namespace) -> dict[str, Any]:
    from accelerate import Accelerator
    from tweetbot_trainer.config import TrainConfig
    from tweetbot_trainer.train.checkpoint import TrainState
    from tweetbot_trainer.train.hardware import enable_fast_math, frozen_base_dtype, has_bf16, resolve_precision
    from tweetbot_trainer.train.loop import LoopSettings, train_loop
    from tweetbot_trainer.train.lora import apply_lora, parameter_counts
    from tweetbot_trainer.train.memory import GiB, ModelSize
    from tweetbot_trainer.train.phases import make_optimizer, strip_output_casts
    from tweetbot_trainer.train.plan import plan_training

    enable_fast_math()
    accelerator = Accelerator(mixed_precision=resolve_precision("auto"))
    device, cuda = accelerator.device, accelerator.device.type == "cuda"
    config = TrainConfig(lora_rank=args.lora_rank, block_size=args.block_size, compile="off")
    torch.manual_seed(0)
    model = apply_lora(build(args.shape, frozen_base_dtype(args.lora_rank, accelerator.mixed_precision,
                                                           has_bf16()), device), config)
    total, trainable = parameter_counts(model)
    frozen = next((p for p in model.parameters() if not p.requires_grad), None)
    size = ModelSize.of(model.config, total, trainable, frozen_bytes=frozen.element_size() if frozen is not None
                        else 4)
    free = torch.cuda.mem_get_info(device)[0] if cuda else None
    plan = plan_training(size, config, model=args.shape, gpu=torch.cuda.get_device_name() if cuda else "cpu",
                         free_bytes=free, precision=accelerator.mixed_precision, n_blocks=args.blocks,
                         block_size=args.block_size, world=1, cuda=cuda)
    micro = plan.micro if cuda else args.cpu_micro  # on CPU the plan has no memory to fit: a small batch
    if plan.checkpointing:
        model.config.use_cache = False
        model.activation_checkpointing_enable(activation_checkpointing_kwargs={"use_reentrant": False})
    optimizer = make_optimizer(model, config)
    model, optimizer = accelerator.prepare(model, optimizer)
    strip_output_casts(accelerator, model)
    blocks = torch.randint(0, model.config.vocab_size, (micro * plan.accum * (args.steps + 1), args.block_size))
    state = TrainState()

    def settings(steps: int) -> LoopSettings:
        return LoopSettings(total_steps=steps, batch_size=micro, grad_accum=plan.accum, learning_rate=1e-4,
                            warmup_steps=0, seed=42, report_every=10**9)

    if cuda:
        torch.cuda.reset_peak_memory_stats()
    began = time.perf_counter()
    result = train_loop(accelerator, model, optimizer, blocks, settings=settings(args.steps), state=state)
    peak = torch.cuda.max_memory_allocated() if cuda else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    estimate = plan.total_bytes if cuda else sum(plan_terms_at(plan, size, micro).values())
    return {"bench": "memory_check", "shape": args.shape, "device": plan.gpu, "plan": plan.as_json(),
            "micro_batch_used": micro, "steps": args.steps, "tokens_per_s": round(result.tokens_per_s, 1),
            "seconds": round(time.perf_counter() - began, 2), "peak_bytes": int(peak),
            "peak_kind": "cuda max_memory_allocated" if cuda else "process peak RSS",
            "estimate_bytes": int(estimate), "peak_over_estimate": round(peak / max(1, estimate), 3),
            "peak_GiB": round(peak / GiB, 2), "within_estimate": bool(peak <= estimate) if cuda else None}


def plan_terms_at(plan: Any, size: Any, micro: int) -> dict[str, int]:
    from tweetbot_trainer.train.memory import memory_terms

    return memory_terms(size, plan.block_size, micro, half=plan.precision != "no", checkpointing=plan.checkpointing)


def main() -> int:
    cuda = torch.cuda.is_available()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", default="llama-3.2-1b" if cuda else "tiny",
                        help="tiny, or a named shape of train/shapes.py (llama-3-8b, llama-3.2-1b, ...)")
    parser.add_argument("--lora-rank", type=int, default=16)
    parser.add_argument("--block-size", type=int, default=1024 if cuda else 64)
    parser.add_argument("--blocks", type=int, default=200, help="the data size the plan is made for")
    parser.add_argument("--steps", type=int, default=10 if cuda else 2)
    parser.add_argument("--cpu-micro", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = run(args)
    write_result(args.out or REPO / "bench" / "results" / f"memory_check-{args.shape}.json", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
