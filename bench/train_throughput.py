"""Training throughput: our loop vs huggingtweets' recipe, on the same data and the same initial model.

- ours: tweetbot_trainer.train.loop.train_loop through accelerate (bf16 autocast on GPUs that have it, SDPA attention,
  fused AdamW, TF32, torch.compile on CUDA where a C compiler exists), packed blocks, batch --batch-size x --block-size.
- recipe: transformers' Trainer as huggingtweets ran it: batch 1 x 1024, fp32, eager attention.

Tokens/s are measured after warm-up steps (compilation, allocator). MFU = achieved model FLOPs / peak FLOPs,
with model FLOPs per token = 6 N + 12 L d T (N parameters without position embeddings, L layers, d width,
T block size: the attention-score matmuls; the PaLM / nanoGPT estimate). The peak is the device's dense bf16
peak from PEAK_BF16 (by device name) on GPUs; on CPU it is a measured fp32 matmul rate, so CPU MFU only says how
close to the matmul roofline of this machine the loop runs. Both columns use the same peak.

On CUDA the default model is GPT-2 124M (targets: ours >= 40% MFU, >= 5x the recipe); on CPU a tiny GPT-2.
Each side runs in a process of its own (accelerate's state and the TF32 flags are process-wide).
Writes the JSON to stdout and bench/results/train_throughput.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
from bench_result import write_result
from tweetbot_trainer.train.compile_policy import PEAK_BF16

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ARCHIVE = REPO / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"
RESULTS = REPO / "bench" / "results" / "train_throughput.json"

MODEL_SIZES = {
    "tiny": {"n_layer": 2, "n_head": 2, "n_embd": 64},
    "small": {"n_layer": 4, "n_head": 4, "n_embd": 256},
    "gpt2": {"n_layer": 12, "n_head": 12, "n_embd": 768},  # GPT-2 124M
}


def peak_flops(device: torch.device) -> tuple[float, str]:
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        for key, value in PEAK_BF16.items():
            if key in name:
                return value, f"bf16 datasheet peak for {name}"
        return float("nan"), f"unknown GPU {name}: add it to PEAK_BF16"
    n = 2048
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(2):
        a @ b
    runs = 10
    began = time.perf_counter()
    for _ in range(runs):
        a @ b
    seconds = time.perf_counter() - began
    return 2 * n**3 * runs / seconds, f"measured fp32 {n}x{n} matmul on {torch.get_num_threads()} threads"


def flops_per_token(config: Any, n_params: int, block_size: int) -> float:
    """Training FLOPs per token (forward + backward)."""
    non_embedding = n_params - config.n_positions * config.n_embd
    return 6 * non_embedding + 12 * config.n_layer * config.n_embd * block_size


def sample_blocks(tokenizer: Any, block_size: int) -> torch.Tensor:
    """The bundled sample archive, prepared and packed as a real run would."""
    from tweetbot_trainer.data.prepare import SourceSpec, prepare_dataset
    from tweetbot_trainer.train.blocks import load_blocks

    with tempfile.TemporaryDirectory() as tmp:
        prepared = prepare_dataset(["sample"], SourceSpec(kind="archive", uri=str(SAMPLE_ARCHIVE)), Path(tmp))
        return load_blocks(prepared.train_path, tokenizer, block_size)


def run_recipe(model_dir: Path, blocks: torch.Tensor, warmup: int, steps: int, device: torch.device) -> float:
    """huggingtweets: transformers' Trainer, batch 1, fp32, default (eager) attention. Returns tokens/s."""
    from transformers import AutoModelForCausalLM, Trainer, TrainerCallback, TrainingArguments

    model = AutoModelForCausalLM.from_pretrained(model_dir, attn_implementation="eager")
    data = [{"input_ids": b, "labels": b} for b in blocks]
    times: list[float] = []

    class StepTimes(TrainerCallback):
        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if device.type == "cuda":
                torch.cuda.synchronize()
            times.append(time.perf_counter())

    with tempfile.TemporaryDirectory() as out:
        args = TrainingArguments(
            output_dir=out, per_device_train_batch_size=1, learning_rate=1.372e-4, max_steps=warmup + steps,
            save_strategy="no", report_to=[], logging_strategy="no", disable_tqdm=True,
            use_cpu=device.type == "cpu", dataloader_num_workers=0, seed=42,
        )
        with contextlib.redirect_stdout(sys.stderr):  # Trainer prints its summary; stdout is for the JSON
            Trainer(model=model, args=args, train_dataset=data, callbacks=[StepTimes()]).train()
    timed = times[warmup - 1 :] if warmup > 0 else times
    seconds = timed[-1] - timed[0]
    return (len(timed) - 1) * blocks.shape[1] / seconds


def production_plan(model: Any, accelerator: Any, n_blocks: int, block_size: int) -> Any:
    """The plan `tweetbot-train run` makes for this model, device and data (train/plan.py)."""
    from tweetbot_trainer.config import TrainConfig
    from tweetbot_trainer.train.hardware import has_c_compiler
    from tweetbot_trainer.train.lora import parameter_counts
    from tweetbot_trainer.train.memory import ModelSize
    from tweetbot_trainer.train.plan import plan_training

    total, trainable = parameter_counts(model)
    cuda = accelerator.device.type == "cuda"
    return plan_training(ModelSize.of(model.config, total, trainable), TrainConfig(), model="bench",
                         gpu=torch.cuda.get_device_name() if cuda else "cpu",
                         free_bytes=torch.cuda.mem_get_info()[0] if cuda else None,
                         precision=accelerator.mixed_precision, n_blocks=n_blocks, block_size=block_size, world=1,
                         cuda=cuda, has_compiler=has_c_compiler())


def run_ours(model_dir: Path, blocks: torch.Tensor, *, batch_size: int, warmup: int, steps: int,
             compile_model: bool, precision: str, production: bool = False,
             sync_every: int | None = None) -> tuple[float, str, bool, Any]:
    """Our loop, as `tweetbot-train train` sets it up; `production`: with the run's plan (micro-batch,
    accumulation, compile, host syncs); `sync_every` overrides the steps between host syncs.
    Returns (tokens/s, mixed precision, fused AdamW, the plan or None)."""
    from accelerate import Accelerator
    from tweetbot_trainer.config import TrainConfig
    from tweetbot_trainer.train.checkpoint import TrainState
    from tweetbot_trainer.train.hardware import enable_fast_math, resolve_precision
    from tweetbot_trainer.train.loop import LoopSettings, report_every, train_loop
    from tweetbot_trainer.train.model_loading import load_model_and_tokenizer
    from tweetbot_trainer.train.phases import make_optimizer, strip_output_casts

    enable_fast_math()
    accelerator = Accelerator(mixed_precision=resolve_precision(precision))
    model, _ = load_model_and_tokenizer(str(model_dir), dtype=torch.float32)
    plan = production_plan(model, accelerator, blocks.shape[0], blocks.shape[1]) if production else None
    accum, sync = 1, 10**9
    if plan is not None:
        batch_size, accum, compile_model = plan.micro, plan.accum, plan.compile
        sync = report_every(plan.total_steps, cuda=accelerator.device.type == "cuda")
    sync = sync_every or sync
    model.to(accelerator.device)
    optimizer = make_optimizer(model, TrainConfig())
    model, optimizer = accelerator.prepare(model, optimizer)
    plain = strip_output_casts(accelerator, model)
    if compile_model:
        plain.loss_type = plain.loss_type or "ForCausalLM"
        model = torch.compile(model, dynamic=False)
    state = TrainState()

    def settings(total: int) -> LoopSettings:
        return LoopSettings(total_steps=total, batch_size=batch_size, learning_rate=1.372e-4, warmup_steps=0,
                            seed=42, report_every=sync, grad_accum=accum)

    train_loop(accelerator, model, optimizer, blocks, settings=settings(warmup), state=state)
    result = train_loop(accelerator, model, optimizer, blocks, settings=settings(warmup + steps), state=state)
    fused = bool(optimizer.optimizer.defaults.get("fused"))  # accelerate wraps the optimizer
    return result.tokens_per_s, str(accelerator.mixed_precision), fused, plan


def parse_args() -> argparse.Namespace:
    cuda = torch.cuda.is_available()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-size", choices=sorted(MODEL_SIZES), default="gpt2" if cuda else "tiny")
    parser.add_argument("--block-size", type=int, default=1024)
    parser.add_argument("--batch-size", type=int, default=16 if cuda else 4, help="ours, per device")
    parser.add_argument("--steps", type=int, default=30 if cuda else 4)
    parser.add_argument("--warmup", type=int, default=10 if cuda else 1)
    parser.add_argument("--rounds", type=int, default=1 if cuda else 2, help="alternating runs; best of each")
    parser.add_argument("--compile", choices=("auto", "on", "off"), default="auto")
    parser.add_argument("--precision", choices=("auto", "bf16", "fp16", "fp32"), default="auto",
                        help="ours (the recipe is fp32, as huggingtweets ran it)")
    parser.add_argument("--production", action="store_true",
                        help="ours with the plan `tweetbot-train run` makes (batch, compile, syncs), not the flags")
    parser.add_argument("--out", type=Path, default=RESULTS)
    # Internal: one side in this process (each side runs in a process of its own, see run_side).
    parser.add_argument("--side", choices=("ours", "recipe"), help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def side_main(args: argparse.Namespace) -> int:
    """One side's timed run, its result as one JSON line on stdout."""
    from tweetbot_trainer.train.model_loading import load_model_and_tokenizer

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    _, tokenizer = load_model_and_tokenizer(str(args.model_dir))
    blocks = sample_blocks(tokenizer, args.block_size)
    if args.side == "recipe":
        result: dict[str, Any] = {"tokens_per_s": run_recipe(args.model_dir, blocks, args.warmup, args.steps, device)}
    else:
        tps, precision, fused, plan = run_ours(args.model_dir, blocks, batch_size=args.batch_size,
                                               warmup=args.warmup, steps=args.steps,
                                               compile_model=args.compile == "on", precision=args.precision,
                                               production=args.production)
        result = {"tokens_per_s": tps, "mixed_precision": precision, "fused_adamw": fused,
                  "plan": plan.as_json() if plan is not None else None}
    print(json.dumps({"train_blocks": int(blocks.shape[0]), **result}))
    return 0


def run_side(side: str, model_dir: Path, args: argparse.Namespace, compile_model: bool) -> dict[str, Any]:
    """A fresh process per side and round: accelerate's process-wide state (mixed precision) and the TF32 flags
    of one side never reach the other."""
    command = [sys.executable, __file__, "--side", side, "--model-dir", str(model_dir),
               "--block-size", str(args.block_size), "--batch-size", str(args.batch_size), "--steps", str(args.steps),
               "--warmup", str(args.warmup), "--precision", args.precision,
               "--compile", "on" if compile_model else "off", *(["--production"] if args.production else [])]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{side} side failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    args = parse_args()
    if args.side:
        return side_main(args)
    from tweetbot_trainer.train.hardware import should_compile
    from tweetbot_trainer.train.model_loading import build_tiny_model, load_model_and_tokenizer

    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    compile_model = should_compile(args.compile, pays=True)  # a benchmark measures steady state
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = build_tiny_model(Path(tmp) / "model", n_positions=1024, **MODEL_SIZES[args.model_size])
        model, _ = load_model_and_tokenizer(str(model_dir))
        n_params = sum(p.numel() for p in model.parameters())
        per_token = flops_per_token(model.config, n_params, args.block_size)
        del model
        peak, peak_source = peak_flops(device)
        # Alternating rounds, best of each: a shared machine's load then biases neither side.
        recipe_runs, ours_runs = [], []
        for _ in range(args.rounds):
            recipe_runs.append(run_side("recipe", model_dir, args, compile_model))
            ours_runs.append(run_side("ours", model_dir, args, compile_model))
    result = report(args, device=device, n_params=n_params, per_token=per_token, peak=peak, peak_source=peak_source,
                    compile_model=compile_model, recipe_runs=recipe_runs, ours_runs=ours_runs)
    write_result(args.out, result)
    return 0


def report(args: argparse.Namespace, *, device: torch.device, n_params: int, per_token: float, peak: float,
           peak_source: str, compile_model: bool, recipe_runs: list[dict[str, Any]],
           ours_runs: list[dict[str, Any]]) -> dict[str, Any]:
    ours = max(ours_runs, key=lambda r: r["tokens_per_s"])
    recipe_tps, ours_tps = max(r["tokens_per_s"] for r in recipe_runs), float(ours["tokens_per_s"])

    def mfu(tps: float) -> float:
        return round(tps * per_token / peak, 4)

    speedup = ours_tps / recipe_tps
    cuda = device.type == "cuda"
    result: dict[str, Any] = {
        "device": torch.cuda.get_device_name(device) if cuda else f"cpu ({platform.processor() or 'unknown'})",
        "torch": torch.__version__,
        "model_size": args.model_size,
        "params": n_params,
        "block_size": args.block_size,
        "train_blocks": ours["train_blocks"],
        "flops_per_token": per_token,
        "peak_flops": peak,
        "peak_source": peak_source,
        "timed_steps": args.steps,
        "rounds": {"ours_tokens_per_s": [round(r["tokens_per_s"], 1) for r in ours_runs],
                   "recipe_tokens_per_s": [round(r["tokens_per_s"], 1) for r in recipe_runs]},
        "warmup_steps": args.warmup,
        "ours": {"batch_size": args.batch_size, "mixed_precision": ours["mixed_precision"], "attention": "sdpa",
                 "fused_adamw": ours["fused_adamw"], "compiled": compile_model, "tokens_per_s": round(ours_tps, 1),
                 "mfu": mfu(ours_tps)},
        "production": args.production,
        "recipe": {"batch_size": 1, "precision": "fp32", "attention": "eager", "trainer": "transformers.Trainer",
                   "tokens_per_s": round(recipe_tps, 1), "mfu": mfu(recipe_tps)},
        "speedup": round(speedup, 2),
    }
    if ours.get("plan"):  # the plan decided the batch and compile, not the flags
        plan = ours["plan"]
        result["ours"].update(batch_size=plan["microBatch"], gradient_accumulation=plan["gradientAccumulation"],
                              compiled=plan["compile"], plan=plan)
    if cuda and args.model_size == "gpt2":
        result["targets"] = {"mfu": 0.40, "speedup": 5.0, "met": bool(mfu(ours_tps) >= 0.40 and speedup >= 5.0)}
    return result


if __name__ == "__main__":
    sys.exit(main())
