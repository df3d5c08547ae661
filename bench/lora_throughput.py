"""LoRA vs full fine-tune: training tokens/s and peak memory of our loop, on the same model shape and batches.

Each mode runs in a process of its own (a clean peak memory): peak GPU memory allocated on CUDA
(torch.cuda.max_memory_allocated), else the process's peak resident set (ru_maxrss, weights + optimizer +
activations + the Python runtime). The model is randomly initialised from a config of the chosen shape
(`smollm2`: SmolLM2-135M's, the demo's base model; `tiny`: the tests'); the batches are random token ids (speed
does not depend on the text). Writes the JSON to stdout and bench/results/lora_throughput.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import torch
from bench_result import write_result

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "lora_throughput.json"
SHAPES = {
    "tiny": {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "vocab_size": 49152},
    "smollm2": {"hidden_size": 576, "intermediate_size": 1536, "num_hidden_layers": 30, "num_attention_heads": 9,
                "num_key_value_heads": 3, "vocab_size": 49152},
}


def run_mode(args: argparse.Namespace) -> dict[str, Any]:
    """One mode's timed steps in this process."""
    from accelerate import Accelerator
    from transformers import LlamaConfig, LlamaForCausalLM
    from tweetbot_trainer.config import TrainConfig
    from tweetbot_trainer.train.checkpoint import TrainState
    from tweetbot_trainer.train.hardware import enable_fast_math, frozen_base_dtype, has_bf16, resolve_precision
    from tweetbot_trainer.train.loop import LoopSettings, train_loop
    from tweetbot_trainer.train.lora import apply_lora, parameter_counts
    from tweetbot_trainer.train.phases import make_optimizer

    enable_fast_math()
    accelerator = Accelerator(mixed_precision=resolve_precision(args.precision))
    torch.manual_seed(0)
    config = LlamaConfig(**SHAPES[args.shape], max_position_embeddings=max(2048, args.block_size),
                         tie_word_embeddings=True)
    # The run's LoRA path: the frozen base in bf16 where the GPU has it (hardware.frozen_base_dtype).
    base = LlamaForCausalLM(config).to(frozen_base_dtype(args.lora_rank, accelerator.mixed_precision, has_bf16()))
    model = apply_lora(base, TrainConfig(lora_rank=args.lora_rank))
    model.to(accelerator.device)
    optimizer = make_optimizer(model, TrainConfig())
    model, optimizer = accelerator.prepare(model, optimizer)
    blocks = torch.randint(0, config.vocab_size, (args.batch_size * (args.steps + args.warmup), args.block_size))
    state = TrainState()

    def settings(total: int) -> LoopSettings:
        return LoopSettings(total_steps=total, batch_size=args.batch_size, learning_rate=1e-4, warmup_steps=0,
                            seed=42, report_every=10**9)

    train_loop(accelerator, model, optimizer, blocks, settings=settings(args.warmup), state=state)
    result = train_loop(accelerator, model, optimizer, blocks, settings=settings(args.warmup + args.steps),
                        state=state)
    total, trainable = parameter_counts(model)
    cuda = accelerator.device.type == "cuda"
    return {"lora_rank": args.lora_rank, "tokens_per_s": round(result.tokens_per_s, 1), "parameters": total,
            "trainable_parameters": trainable,
            "peak_memory_bytes": torch.cuda.max_memory_allocated() if cuda else
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "peak_memory_kind": "cuda max_memory_allocated" if cuda else "process peak RSS",
            "mixed_precision": str(accelerator.mixed_precision),
            "base_dtype": str(next(p for p in model.parameters() if not p.requires_grad or args.lora_rank == 0)
                              .dtype).removeprefix("torch.")}


def parse_args() -> argparse.Namespace:
    cuda = torch.cuda.is_available()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=sorted(SHAPES), default="smollm2")
    parser.add_argument("--lora-rank", type=int, default=16, help="the LoRA side's rank")
    parser.add_argument("--block-size", type=int, default=1024 if cuda else 128)
    parser.add_argument("--batch-size", type=int, default=16 if cuda else 8)
    parser.add_argument("--steps", type=int, default=20 if cuda else 3)
    parser.add_argument("--warmup", type=int, default=5 if cuda else 1)
    parser.add_argument("--precision", choices=("auto", "bf16", "fp16", "fp32"), default="auto")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--side", action="store_true", help=argparse.SUPPRESS)  # internal: one mode, here
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if args.side:
        print(json.dumps(run_mode(args)))
        return 0
    modes = {}
    for name, rank in (("full", 0), ("lora", args.lora_rank)):
        command = [sys.executable, __file__, "--side", "--shape", args.shape, "--lora-rank", str(rank),
                   "--block-size", str(args.block_size), "--batch-size", str(args.batch_size),
                   "--steps", str(args.steps), "--warmup", str(args.warmup), "--precision", args.precision]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stderr[-3000:])
            return 1
        modes[name] = json.loads(done.stdout.strip().splitlines()[-1])
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else f"cpu ({torch.get_num_threads()} threads)"
    result = {"bench": "lora_throughput", "device": device, "machine": platform.machine(), "shape": args.shape,
              "block_size": args.block_size, "batch_size": args.batch_size, "steps": args.steps, **modes,
              "lora_speedup": round(modes["lora"]["tokens_per_s"] / modes["full"]["tokens_per_s"], 3),
              "lora_memory_ratio": round(modes["lora"]["peak_memory_bytes"] / modes["full"]["peak_memory_bytes"], 3),
              "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    write_result(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
