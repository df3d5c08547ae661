"""What the compile decision and the report cadence assume, measured (issue 25, items 7 and 8; a part of
bench/gpu_check.py).

compile: GPT-2's production step eager and compiled, each in a fresh process: the compiled first step cold (an
empty TORCHINDUCTOR_CACHE_DIR and TRITON_CACHE_DIR) and again warm (the same cache folders, a new process, as the
next run on a node whose model cache volume kept them), the steady step times; beside them what
train/compile_policy.py estimates (compile seconds cold and warm, the speedup) and the plan's decision for the
sample archive. cadence: tokens/s with a host sync every step against every `report_every(total)` steps (the
loop as the run sets it up). `--cpu`: cadence only, tiny shapes (a CPU compile of the same graph takes minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
from bench_result import write_result
from train_throughput import MODEL_SIZES, run_ours, sample_blocks

RESULTS = Path(__file__).resolve().parent / "results" / "compile_check.json"


def child(model_dir: Path, *, compiled: bool, steps: int, block_size: int) -> dict[str, Any]:
    """One process: the first step (with the compile when `compiled`) and the steady steps, timed."""
    from accelerate import Accelerator
    from train_throughput import production_plan
    from tweetbot_trainer.config import TrainConfig
    from tweetbot_trainer.train.checkpoint import TrainState
    from tweetbot_trainer.train.hardware import enable_fast_math, resolve_precision
    from tweetbot_trainer.train.loop import LoopSettings, train_loop
    from tweetbot_trainer.train.model_loading import load_model_and_tokenizer
    from tweetbot_trainer.train.phases import make_optimizer, strip_output_casts

    enable_fast_math()
    accelerator = Accelerator(mixed_precision=resolve_precision("auto"))
    model, tokenizer = load_model_and_tokenizer(str(model_dir), dtype=torch.float32)
    blocks = sample_blocks(tokenizer, block_size)
    plan = production_plan(model, accelerator, blocks.shape[0], blocks.shape[1])
    model.to(accelerator.device)
    optimizer = make_optimizer(model, TrainConfig())
    model, optimizer = accelerator.prepare(model, optimizer)
    if compiled:
        plain = strip_output_casts(accelerator, model)
        plain.loss_type = plain.loss_type or "ForCausalLM"
        model = torch.compile(model, dynamic=False)
    else:
        strip_output_casts(accelerator, model)
    state = TrainState()

    def run(total: int) -> float:
        settings = LoopSettings(total_steps=total, batch_size=plan.micro, grad_accum=plan.accum,
                                learning_rate=1e-4, warmup_steps=0, seed=42, report_every=10**9)
        began = time.perf_counter()
        train_loop(accelerator, model, optimizer, blocks, settings=settings, state=state)
        if accelerator.device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - began

    first = run(1)
    run(3)  # the allocator and autotuning settle
    steady = run(3 + steps) / steps
    return {"first_step_s": round(first, 3), "step_s": round(steady, 5), "micro": plan.micro, "accum": plan.accum}


def run_child(model_dir: Path, cache: Path, *, compiled: bool, steps: int, block_size: int,
              timeout: float) -> dict[str, Any]:
    env = {**os.environ, "TORCHINDUCTOR_CACHE_DIR": str(cache / "inductor"), "TRITON_CACHE_DIR": str(cache / "triton")}
    command = [sys.executable, __file__, "--child", "compiled" if compiled else "eager", "--model-dir",
               str(model_dir), "--steps", str(steps), "--block-size", str(block_size)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:  # the other children still run: a cold compile may outlast its budget
        return {"error": f"timed out after {timeout:g} s"}
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}", "stderr": done.stderr[-2000:]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure_compile(model_dir: Path, layers: int, *, steps: int, block_size: int, timeout: float) -> dict[str, Any]:
    from tweetbot_trainer.train.compile_policy import COMPILED_SPEEDUP, compile_seconds

    with tempfile.TemporaryDirectory() as cache:
        eager = run_child(model_dir, Path(cache), compiled=False, steps=steps, block_size=block_size,
                          timeout=timeout)
        cold = run_child(model_dir, Path(cache), compiled=True, steps=steps, block_size=block_size, timeout=timeout)
        warm = run_child(model_dir, Path(cache), compiled=True, steps=steps, block_size=block_size, timeout=timeout)
    result: dict[str, Any] = {"eager": eager, "compiled_cold": cold, "compiled_warm": warm,
                              "assumed": {"compile_seconds_cold": compile_seconds(layers, warm=False),
                                          "compile_seconds_warm": compile_seconds(layers, warm=True),
                                          "speedup": COMPILED_SPEEDUP}}
    if not any("error" in part for part in (eager, cold, warm)):
        result["measured"] = {
            "compile_seconds_cold": round(cold["first_step_s"] - eager["first_step_s"], 2),
            "compile_seconds_warm": round(warm["first_step_s"] - eager["first_step_s"], 2),
            "speedup": round(eager["step_s"] / cold["step_s"], 3)}
    return result


def measure_cadence(model_dir: Path, *, steps: int, block_size: int) -> dict[str, Any]:
    """Tokens/s of the production loop, syncing every step against at the run's cadence (same process, same
    model: alternating would only add compile noise; the eager path is what short runs use)."""
    from tweetbot_trainer.train.loop import report_every
    from tweetbot_trainer.train.model_loading import load_model_and_tokenizer

    _, tokenizer = load_model_and_tokenizer(str(model_dir))
    blocks = sample_blocks(tokenizer, block_size)

    def tokens_per_s(sync_every: int) -> tuple[float, Any]:
        tps, _precision, _fused, plan = run_ours(model_dir, blocks, batch_size=0, warmup=2, steps=steps,
                                                 compile_model=False, precision="auto", production=True,
                                                 sync_every=sync_every)
        return tps, plan

    every_step, plan = tokens_per_s(1)
    cadence = report_every(plan.total_steps, cuda=True)  # the GPU's cadence, measured where it runs
    at_cadence, _ = tokens_per_s(cadence)
    return {"steps": steps, "report_every": cadence, "tokens_per_s_sync_every_step": round(every_step, 1),
            "tokens_per_s_at_cadence": round(at_cadence, 1), "gain": round(at_cadence / every_step, 3),
            "plan_compile": plan.compile, "plan_compile_estimate": plan.as_json()["compileEstimate"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu", action="store_true", help="cadence only, tiny shapes")
    parser.add_argument("--model-size", choices=sorted(MODEL_SIZES), default="gpt2")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--block-size", type=int, default=1024)
    parser.add_argument("--child-timeout", type=float, default=200.0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--child", choices=("eager", "compiled"), help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.model_dir, compiled=args.child == "compiled", steps=args.steps,
                               block_size=args.block_size)))
        return 0
    from tweetbot_trainer.train.model_loading import build_tiny_model

    size = "tiny" if args.cpu else args.model_size
    block_size = min(args.block_size, 64) if args.cpu else args.block_size
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = build_tiny_model(Path(tmp) / "model", n_positions=1024, **MODEL_SIZES[size])
        result: dict[str, Any] = {"bench": "compile_check", "model_size": size, "block_size": block_size,
                                  "device": torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu",
                                  "cadence": measure_cadence(model_dir, steps=2 if args.cpu else args.steps,
                                                             block_size=block_size)}
        result["compile"] = {"skipped": "a CPU compile takes minutes: GPU only"} if args.cpu else measure_compile(
            model_dir, MODEL_SIZES[size]["n_layer"], steps=args.steps, block_size=block_size,
            timeout=args.child_timeout)
    write_result(args.out, result)
    parts = result["compile"].values()
    return 1 if any(isinstance(part, dict) and "error" in part for part in parts) else 0


if __name__ == "__main__":
    sys.exit(main())
