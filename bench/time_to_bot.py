"""Time to a bot: the whole `tweetbot-train run` on a real archive, phase by phase, against the huggingtweets
recipe end to end (transformers' Trainer, batch 1, fp32, its 4 epochs) on the same prepared data, with the eval
loss of both on the same held-out posts.

Everything is real and local: SeaweedFS on loopback as S3, the trainer CLI as the Job runs it, the same initial
model for both sides (a GPT-2 built offline: 124M on a GPU, a tiny one on CPU; no hub here). The archive is
andreruffert's real X export from ../shared/fixtures when present, else the bundled sample. "Model cached": the
base model is a local folder, so the download phase is a copy. torch.compile time, where it runs, is inside
"train". Goal on a GPU: ours at least as low an eval loss, the whole run <= 60 s.
Writes the JSON to stdout and bench/results/time_to_bot.json.
"""

from __future__ import annotations

import argparse
import contextlib
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED_ARCHIVE = REPO.parent / "shared" / "fixtures" / "archives" / "andreruffert-tweets.js"
SAMPLE_ARCHIVE = REPO / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"
RESULTS = REPO / "bench" / "results" / "time_to_bot.json"
SIZES = {"tiny": {"n_layer": 2, "n_head": 2, "n_embd": 64}, "gpt2": {"n_layer": 12, "n_head": 12, "n_embd": 768}}


def run_ours(archive: Path, user: str, model_dir: Path, *, s3_env: dict[str, str], bucket: str, workdir: Path,
             block_size: int) -> dict[str, Any]:
    """`tweetbot-train run` as the Job runs it; phase seconds from its own metrics.json, wall time around it."""
    command = [sys.executable, "-m", "tweetbot_trainer.cli", "run", "--user", user, "--source", "archive",
               "--source-uri", str(archive), "--base-model", str(model_dir), "--output", f"s3://{bucket}/bots/",
               "--run-id", "bench-g1", "--block-size", str(block_size), "--workdir", str(workdir),
               "--termination-log", str(workdir.parent / "termination-log")]
    env = {**os.environ, **s3_env, "PYTHONPATH": str(REPO / "trainer")}
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"tweetbot-train run failed:\n{done.stderr[-4000:]}")
    summary = json.loads((workdir.parent / "termination-log").read_text())
    return {"wall_seconds": round(wall, 2), "termination": summary}


def run_recipe(model_dir: Path, data_dir: Path, block_size: int, epochs: int, device: torch.device) -> dict[str, Any]:
    """huggingtweets' training, end to end: load, tokenize, Trainer (batch 1, fp32, lr 1.372e-4), eval, save."""
    from accelerate import Accelerator
    from transformers import AutoModelForCausalLM, Trainer, TrainingArguments
    from tweetbot_trainer.train.blocks import load_blocks
    from tweetbot_trainer.train.loop import evaluate
    from tweetbot_trainer.train.model_loading import load_model_and_tokenizer

    phases: dict[str, float] = {}
    began = time.perf_counter()
    _, tokenizer = load_model_and_tokenizer(str(model_dir))
    model = AutoModelForCausalLM.from_pretrained(model_dir, attn_implementation="eager", dtype=torch.float32)
    phases["download"] = time.perf_counter() - began
    mark = time.perf_counter()
    train = load_blocks(data_dir / "train.txt", tokenizer, block_size)
    held_out = load_blocks(data_dir / "eval.txt", tokenizer, block_size)
    phases["tokenize"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        args = TrainingArguments(output_dir=out, per_device_train_batch_size=1, learning_rate=1.372e-4,
                                 num_train_epochs=epochs, save_strategy="no", report_to=[], logging_strategy="no",
                                 disable_tqdm=True, use_cpu=device.type == "cpu", seed=42)
        with contextlib.redirect_stdout(sys.stderr):
            Trainer(model=model, args=args, train_dataset=[{"input_ids": b, "labels": b} for b in train]).train()
        phases["train"] = time.perf_counter() - mark
        mark = time.perf_counter()
        eval_loss, _ = evaluate(Accelerator(cpu=device.type == "cpu"), model, held_out, 1)
        phases["eval"] = time.perf_counter() - mark
        mark = time.perf_counter()
        model.save_pretrained(out)
        phases["save"] = time.perf_counter() - mark
    return {"phase_seconds": {k: round(v, 3) for k, v in phases.items()},
            "total_seconds": round(time.perf_counter() - began, 2), "eval_loss": eval_loss,
            "train_blocks": int(train.shape[0]), "steps": int(train.shape[0]) * epochs}


def main() -> int:
    cuda = torch.cuda.is_available()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-size", choices=sorted(SIZES), default="gpt2" if cuda else "tiny")
    parser.add_argument("--block-size", type=int, default=1024)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    from tweetbot_trainer.train.model_loading import build_tiny_model

    from tests.support.s3server import S3Server

    archive, user = (SHARED_ARCHIVE, "andreruffert") if SHARED_ARCHIVE.is_file() else (SAMPLE_ARCHIVE, "sample")
    device = torch.device("cuda" if cuda else "cpu")
    with tempfile.TemporaryDirectory() as tmp, S3Server(data_dir=Path(tmp) / "s3") as server:
        model_dir = build_tiny_model(Path(tmp) / "model", n_positions=1024, **SIZES[args.model_size])
        bucket = server.new_bucket("bench")
        workdir = Path(tmp) / "run" / "data"
        workdir.mkdir(parents=True)
        ours = run_ours(archive, user, model_dir, s3_env=server.env(), bucket=bucket, workdir=workdir,
                        block_size=args.block_size)
        metrics = json.loads(server.client().get_object(Bucket=bucket, Key="bots/bench-g1/metrics.json")["Body"].read())
        recipe = run_recipe(model_dir, workdir, args.block_size, epochs=metrics["hyperparameters"]["epochs"],
                            device=device)
    result = {
        "device": torch.cuda.get_device_name(device) if cuda else "cpu",
        "archive": archive.name, "model_size": args.model_size, "block_size": args.block_size,
        "ours": {"phase_seconds": metrics["phaseSeconds"], "total_seconds": ours["wall_seconds"],
                 "eval_loss_before": metrics["evalLossBefore"], "eval_loss": metrics["evalLoss"],
                 "steps": metrics["steps"], "global_batch_size": metrics["hyperparameters"]["global_batch_size"],
                 "mixed_precision": metrics["mixedPrecision"], "parameter_dtype": metrics["parameterDtype"],
                 "tokens_per_s": round(metrics["tokensPerSecond"], 1)},
        "recipe": {**recipe, "note": "train/eval/save only: no posts download, cleaning or upload"},
        "eval_loss_at_least_as_low": metrics["evalLoss"] <= recipe["eval_loss"] + 1e-3,
    }
    if cuda:
        result["goal_60s_met"] = ours["wall_seconds"] <= 60.0
    write_result(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
