"""What the quality measure (trainer/tweetbot_trainer/quality/) adds to a run, in seconds per metric, on the bundled
sample archive; and, as a cheap stand-in for the demo run, the style match of the base model vs the same model
fine-tuned for a few steps as the demo trains it (LoRA rank 16, lr 1e-3, blocks of 64; plain AdamW over the packed
training blocks, no S3, no checkpoints).

  python bench/quality_cost.py [--base-model DIR|tiny] [--train-steps 20] [--generations 16] [--person-posts 32]

The defaults finish in a few minutes on two shared cores; `--generations 32 --person-posts 64` is what a run
measures (quality/measure.py). Without --base-model it uses the demo's SmolLM2-135M-Instruct (converted from its
GGUF into .demo/base-models/ the first time, as scripts/demo.sh does); `tiny` is a random 2-layer GPT-2 and
`random-gpt2` GPT-2 124M's shape with random weights (the GPU check: costs, not style).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "trainer")]

from tweetbot_trainer.config import TrainConfig  # noqa: E402
from tweetbot_trainer.quality import measure as q  # noqa: E402
from tweetbot_trainer.train.blocks import load_blocks  # noqa: E402
from tweetbot_trainer.train.loop import evaluate  # noqa: E402
from tweetbot_trainer.train.lora import apply_lora  # noqa: E402
from tweetbot_trainer.train.model_loading import build_tiny_model, load_model_and_tokenizer  # noqa: E402

from bench.bench_result import write_result  # noqa: E402

SAMPLE = REPO / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"


class _Device:  # what train/loop.evaluate needs of an accelerator
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

    @staticmethod
    def autocast() -> Any:
        return torch.autocast(_Device.device.type, enabled=False)


def prepare(data: Path) -> None:
    subprocess.run([sys.executable, "-m", "tweetbot_trainer.cli", "prepare", "--user", "sample", "--source",
                    "archive", "--source-uri", str(SAMPLE), "--out", str(data)], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(REPO / "trainer")})


def base_model(arg: str | None, tmp: Path) -> str:
    if arg == "tiny":
        return str(build_tiny_model(tmp / "tiny", n_positions=256))
    if arg == "random-gpt2":  # GPT-2 124M's shape, random weights: what the GPU check has without the hub
        return str(build_tiny_model(tmp / "gpt2", n_layer=12, n_head=12, n_embd=768))
    if arg:
        return arg
    from scripts.demo_model import smollm2_base_model  # the demo's model, converted once

    return smollm2_base_model({**os.environ, "PYTHONPATH": str(REPO / "trainer")})


def fine_tune(model: Any, blocks: torch.Tensor, steps: int, lr: float, batch: int = 8) -> float:
    """Plain AdamW steps over the packed blocks (the run's loop without its machinery); returns seconds."""
    began = time.perf_counter()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr)
    model.train()
    generator = torch.Generator().manual_seed(0)
    for _ in range(steps):
        rows = torch.randint(0, blocks.shape[0], (batch,), generator=generator)
        x = blocks[rows].to(_Device.device)
        model(input_ids=x, labels=x).loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    model.eval()
    return time.perf_counter() - began


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-model",
                        help="a checkpoint folder, tiny or random-gpt2 (default: the demo's SmolLM2-135M)")
    parser.add_argument("--train-steps", type=int, default=20)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--lora-rank", type=int, default=16, help="0: full fine-tune")
    parser.add_argument("--block-size", type=int, default=64)
    parser.add_argument("--generations", type=int, default=16, help="the bot's and the base's (a run: 32)")
    parser.add_argument("--person-posts", type=int, default=32, help="held-out posts (a run: 64)")
    parser.add_argument("--max-new-tokens", type=int, default=q.MAX_NEW_TOKENS)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "quality_cost.json")
    return parser.parse_args()


def main() -> None:
    args = parse()
    # The run's sample counts are module settings of quality/measure.py: the bench sets them for this process.
    q.BOT_GENERATIONS, q.MAX_PERSON_POSTS, q.MAX_NEW_TOKENS = args.generations, args.person_posts, args.max_new_tokens
    q.BASE_GENERATIONS = args.generations  # as in a run: as many as the bot's
    torch.manual_seed(0)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        prepare(tmp / "data")
        model, tokenizer = load_model_and_tokenizer(base_model(args.base_model, tmp), dtype=torch.float32)
        model = apply_lora(model, TrainConfig(lora_rank=args.lora_rank)).to(_Device.device)
        train = load_blocks(tmp / "data" / "train.txt", tokenizer, args.block_size)
        held_out = load_blocks(tmp / "data" / "eval.txt", tokenizer, args.block_size)
        loss_before, _ = evaluate(_Device(), model, held_out, 8)
        clock = time.perf_counter()
        base_texts = q.base_generations(model, tokenizer, _Device.device, tmp / "data", 42)
        base_seconds = time.perf_counter() - clock
        as_base = q.measure(model, tokenizer, _Device.device, tmp / "data", base_texts, seed=42,
                            loss_before=loss_before, loss_after=loss_before)
        train_seconds = fine_tune(model, train, args.train_steps, args.learning_rate)
        loss_after, _ = evaluate(_Device(), model, held_out, 8)
        tuned = q.measure(model, tokenizer, _Device.device, tmp / "data", base_texts, seed=42,
                          loss_before=loss_before, loss_after=loss_after)
    seconds = {"generateBase": round(base_seconds, 3), **tuned["seconds"]}
    write_result(args.out, {
        "bench": "quality_cost", "device": str(_Device.device), "threads": torch.get_num_threads(),
        "baseModel": args.base_model or "SmolLM2-135M-Instruct", "loraRank": args.lora_rank,
        "heldOutPosts": (tuned["style"] or {}).get("personPosts"), "generations": tuned["generations"],
        "maxNewTokens": tuned["maxNewTokens"],
        "secondsPerMetric": seconds, "qualitySeconds": round(sum(seconds.values()), 3),
        "fineTuneSteps": args.train_steps, "fineTuneSeconds": round(train_seconds, 3),
        "secondsPerStep": round(train_seconds / max(1, args.train_steps), 3),
        "untrained": {"style": as_base["style"], "memorization": as_base["memorization"]["memorized"],
                      "variety": as_base["variety"]},
        "fineTuned": {"fit": tuned["fit"], "style": tuned["style"],
                      "memorization": tuned["memorization"]["memorized"], "variety": tuned["variety"],
                      "language": tuned["language"], "noRepeat": tuned["noRepeat"]},
        "seconds": round(time.perf_counter() - began, 1),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    })


if __name__ == "__main__":
    main()
