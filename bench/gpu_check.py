"""One check for the day a GPU is lent (bench/gpu_check.sh): what production runs, measured, in one JSON.

On a GPU (about 8 minutes on one H100, only what the repo has: random-weight models from configs, no hub):
GPT-2 124M full fine-tune tokens/s and MFU with the run's plan, the huggingtweets recipe beside it
(train_throughput.py --production); a Llama-3.2-1B LoRA's tokens/s and peak memory against the plan's estimate
(memory_check.py); a Llama-3-8B-shaped LoRA, one step at the planned micro-batch (peak vs estimate, no
out-of-memory); time_to_bot on the sample archive; the serve bench; compile_check.py (compile time cold and warm,
the compiled speedup, the report cadence's gain: what train/compile_policy.py and loop.report_every assume); the
quality measure's seconds per metric on GPT-2's shape (quality_cost.py). Each part runs in a process of its own;
`--parts a,b` runs only those.

`--cpu` (CI): the same code paths in one process with tiny shapes and a step or two, and the 8B plan (no weights;
quality_cost.py, tiny, in a process of its own);
time_to_bot and the serve bench take minutes on a CPU: there they run alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_result import write_result

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
RESULTS = BENCH / "results" / "gpu_check.json"
# The quality measure's seconds per metric on GPT-2 124M's shape with a run's sample counts (issue 27: under 30 s);
# in --cpu mode a tiny model, a step and a few short generations keep the script's code path working.
QUALITY_GPU = ("--base-model", "random-gpt2", "--lora-rank", "0", "--learning-rate", "1e-4", "--train-steps", "20",
               "--generations", "32", "--person-posts", "64")
QUALITY_CPU = ("--base-model", "tiny", "--lora-rank", "0", "--train-steps", "1", "--generations", "6",
               "--person-posts", "10", "--max-new-tokens", "8")


def gpu_parts(tmp: Path) -> dict[str, list[str]]:
    """Each part's command line; each writes its JSON to tmp/<part>.json."""
    def bench(script: str, part: str, *flags: str) -> list[str]:
        return [sys.executable, str(BENCH / script), *flags, "--out", str(tmp / f"{part}.json")]

    return {
        "gpt2_full": bench("train_throughput.py", "gpt2_full", "--production", "--model-size", "gpt2",
                           "--steps", "20", "--warmup", "5"),
        "llama_1b_lora": bench("memory_check.py", "llama_1b_lora", "--shape", "llama-3.2-1b", "--steps", "10"),
        "llama_8b_lora_memory": bench("memory_check.py", "llama_8b_lora_memory", "--shape", "llama-3-8b",
                                      "--steps", "1"),
        "time_to_bot": bench("time_to_bot.py", "time_to_bot"),
        "serve": bench("serve_throughput.py", "serve", "--size", "gpt2"),
        # Compile time cold and warm, the compiled speedup, the report cadence (train/compile_policy.py, loop.py).
        "compile_check": bench("compile_check.py", "compile_check", "--steps", "10", "--child-timeout", "150"),
        "quality_cost": bench("quality_cost.py", "quality_cost", *QUALITY_GPU),
    }


# Parts that need longer than --part-timeout: three processes, one of them a cold compile.
PART_TIMEOUTS = {"compile_check": 480.0}


def run_gpu(timeout: float, only: list[str] | None = None) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in gpu_parts(Path(tmp)).items():
            if only and name not in only:
                continue
            began = time.perf_counter()
            try:
                done = subprocess.run(command, capture_output=True, text=True,
                                      timeout=max(timeout, PART_TIMEOUTS.get(name, 0.0)), check=False)
                ok = done.returncode == 0 and (Path(tmp) / f"{name}.json").is_file()
                parts[name] = json.loads((Path(tmp) / f"{name}.json").read_text()) if ok else {
                    "error": f"exit {done.returncode}", "stderr": done.stderr[-2000:]}
            except subprocess.TimeoutExpired:
                parts[name] = {"error": f"timed out after {timeout:g} s"}
            parts[name]["wall_seconds"] = round(time.perf_counter() - began, 1)
    return parts


def run_cpu() -> dict[str, Any]:
    """The production paths in this process, tiny: the run's plan for GPT-2, the LoRA path, the 8B plan."""
    import torch
    from compile_check import measure_cadence
    from memory_check import run as memory_check
    from train_throughput import run_ours, sample_blocks
    from tweetbot_trainer.config import TrainConfig
    from tweetbot_trainer.train.lora import apply_lora, parameter_counts
    from tweetbot_trainer.train.memory import ModelSize
    from tweetbot_trainer.train.model_loading import build_tiny_model, load_model_and_tokenizer
    from tweetbot_trainer.train.plan import plan_training
    from tweetbot_trainer.train.shapes import gpu_memory, meta_model, model_config

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = build_tiny_model(Path(tmp) / "gpt2", n_positions=128)
        _, tokenizer = load_model_and_tokenizer(str(model_dir))
        blocks = sample_blocks(tokenizer, 64)
        tps, precision, _fused, plan = run_ours(model_dir, blocks, batch_size=0, warmup=1, steps=1,
                                                compile_model=False, precision="auto", production=True)
        cadence = measure_cadence(model_dir, steps=2, block_size=64)
    gpt2 = {"tokens_per_s": round(tps, 1), "mixed_precision": precision, "plan": plan.as_json()}
    lora = memory_check(argparse.Namespace(shape="tiny", lora_rank=4, block_size=32, blocks=200, steps=1,
                                           cpu_micro=2))
    config = TrainConfig(lora_rank=16)
    shape = model_config("llama-3-8b")
    total, trainable = parameter_counts(apply_lora(meta_model(shape), config))
    _name, free, _bf16 = gpu_memory("h100")
    plan_8b = plan_training(ModelSize.of(shape, total, trainable, frozen_bytes=2), config, model="llama-3-8b",
                            gpu="h100", free_bytes=free, precision="bf16", n_blocks=200, block_size=1024, world=1,
                            cuda=True)
    skipped = "minutes on a CPU: run its bench script alone"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "quality_cost.json"
        done = subprocess.run([sys.executable, str(BENCH / "quality_cost.py"), *QUALITY_CPU, "--out", str(out)],
                              capture_output=True, text=True, timeout=240, check=False)
        quality = json.loads(out.read_text()) if done.returncode == 0 and out.is_file() else {
            "error": f"exit {done.returncode}", "stderr": done.stderr[-2000:]}
    return {"gpt2_full": gpt2, "llama_lora_tiny": lora, "llama_8b_lora_plan": plan_8b.as_json(),
            "time_to_bot": {"skipped": skipped}, "serve": {"skipped": skipped}, "quality_cost": quality,
            "compile_check": {"cadence": cadence, "compile": {"skipped": "a CPU compile takes minutes: GPU only"}}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu", action="store_true", help="tiny shapes on the CPU (CI)")
    parser.add_argument("--part-timeout", type=float, default=240.0, help="seconds each GPU part may take")
    parser.add_argument("--parts", default="", help="comma-separated GPU parts to run (default: all), e.g. "
                        "compile_check,gpt2_full")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    began = time.perf_counter()
    if not args.cpu:
        import torch

        if not torch.cuda.is_available():
            print("gpu_check: no CUDA device; use --cpu", file=sys.stderr)
            return 2
    parts = run_cpu() if args.cpu else run_gpu(args.part_timeout, [p for p in args.parts.split(",") if p])
    failed = [name for name, part in parts.items() if "error" in part]
    result = {"bench": "gpu_check", "mode": "cpu" if args.cpu else "gpu", **parts, "failed": failed,
              "seconds": round(time.perf_counter() - began, 1),
              "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    write_result(args.out, result)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
