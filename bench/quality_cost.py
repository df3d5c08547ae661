"""What the quality measure (trainer/tweetbot_trainer/quality/) adds to a run, in seconds per metric, on the bundled
sample archive; and, as a cheap stand-in for the demo run, the style match of the base model vs the same model
fine-tuned for a few steps (plain AdamW on the packed training blocks, no S3, no checkpoints).

  python bench/quality_cost.py [--base-model DIR] [--train-steps 60] [--out bench/results/quality_cost.json]

Without --base-model it converts the demo's SmolLM2-135M GGUF (the demo's model) into a temporary folder.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
from tweetbot_trainer.quality import measure as q
from tweetbot_trainer.train.blocks import load_blocks
from tweetbot_trainer.train.loop import evaluate
from tweetbot_trainer.train.model_loading import load_model_and_tokenizer

from bench.bench_result import write_result

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"


class _Cpu:  # what train/loop.evaluate needs of an accelerator
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

    @staticmethod
    def autocast() -> Any:
        return torch.autocast(_Cpu.device.type, enabled=False)


def prepare(data: Path) -> None:
    subprocess.run([sys.executable, "-m", "tweetbot_trainer.cli", "prepare", "--user", "sample", "--source",
                    "archive", "--source-uri", str(SAMPLE), "--out", str(data)], check=True, stdout=subprocess.DEVNULL)


def base_model(arg: str | None, tmp: Path) -> str:
    if arg:
        return arg
    out = tmp / "smollm2"
    subprocess.run([sys.executable, "-m", "tweetbot_trainer.cli", "convert-gguf", "--out", str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    return str(out)


def fine_tune(model: Any, blocks: torch.Tensor, steps: int, batch: int = 8, lr: float = 1e-4) -> float:
    """Plain AdamW steps over the packed blocks (the run's loop without its machinery); returns seconds."""
    began = time.perf_counter()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    generator = torch.Generator().manual_seed(0)
    for _ in range(steps):
        rows = torch.randint(0, blocks.shape[0], (batch,), generator=generator)
        x = blocks[rows].to(_Cpu.device)
        model(input_ids=x, labels=x).loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    model.eval()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-model")
    parser.add_argument("--train-steps", type=int, default=60)
    parser.add_argument("--block-size", type=int, default=64)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "quality_cost.json")
    args = parser.parse_args()
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        prepare(tmp / "data")
        model, tokenizer = load_model_and_tokenizer(base_model(args.base_model, tmp), dtype=torch.float32)
        model.to(_Cpu.device)
        train = load_blocks(tmp / "data" / "train.txt", tokenizer, args.block_size)
        held_out = load_blocks(tmp / "data" / "eval.txt", tokenizer, args.block_size)
        loss_before, _ = evaluate(_Cpu(), model, held_out, 8)
        began = time.perf_counter()
        base_texts = q.base_generations(model, tokenizer, _Cpu.device, tmp / "data", 42)
        base_seconds = time.perf_counter() - began
        as_base = q.measure(model, tokenizer, _Cpu.device, tmp / "data", base_texts, seed=42,
                            loss_before=loss_before, loss_after=loss_before)
        train_seconds = fine_tune(model, train, args.train_steps, lr=1e-4)
        loss_after, _ = evaluate(_Cpu(), model, held_out, 8)
        tuned = q.measure(model, tokenizer, _Cpu.device, tmp / "data", base_texts, seed=42,
                          loss_before=loss_before, loss_after=loss_after)
    seconds = {"generateBase": round(base_seconds, 3), **tuned["seconds"]}
    write_result(args.out, {
        "device": str(_Cpu.device), "threads": torch.get_num_threads(), "baseModel": args.base_model or "SmolLM2-135M",
        "heldOutPosts": (tuned["style"] or {}).get("personPosts"), "generations": tuned["generations"],
        "maxNewTokens": tuned["maxNewTokens"],
        "secondsPerMetric": seconds, "qualitySeconds": round(sum(seconds.values()), 3),
        "fineTuneSteps": args.train_steps, "fineTuneSeconds": round(train_seconds, 3),
        "untrained": {"style": as_base["style"], "memorization": as_base["memorization"]["memorized"],
                      "variety": as_base["variety"]},
        "fineTuned": {"fit": tuned["fit"], "style": tuned["style"],
                      "memorization": tuned["memorization"]["memorized"], "variety": tuned["variety"]},
    })


if __name__ == "__main__":
    main()
