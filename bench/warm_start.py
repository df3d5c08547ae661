"""Warm start vs from scratch (issue 28): steps and seconds to reach the from-scratch eval loss on +10% posts.

The posts are the sample archive's (cleaned as a run cleans them), oldest first: the oldest 90% are the previous
run's, all of them this run's; one held-out set (a tenth of all posts, new ones included) scores both. The
previous model is trained from scratch on the old posts; then, on all posts,
  - scratch: the base model, `--epochs` passes at `--lr` (what a run without warm start does),
  - warm (for each schedule in `--schedules`, "epochs:lr-factor"): the previous model continued with a fresh
    optimizer, as train/warm_start.py does.
Each warm schedule reports its final eval loss, steps and train seconds, and the steps and seconds at which its
eval loss first reached the scratch run's final one (evaluated every `--eval-every` steps; eval time excluded).
CPU, tiny GPT-2 (2 layers, 64 wide) with LoRA by default. JSON to stdout and bench/results/warm_start.json.
"""

from __future__ import annotations

import argparse
import copy
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
from bench_result import write_result

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "trainer"))
RESULTS = REPO / "bench" / "results" / "warm_start.json"


def posts_oldest_first() -> list[str]:
    from tweetbot_trainer.data.cleaning import clean_posts
    from tweetbot_trainer.data.prepare import SAMPLE_ARCHIVE
    from tweetbot_trainer.data.sources.archive import read_archive

    cleaned = clean_posts(read_archive(str(SAMPLE_ARCHIVE)).posts)
    pairs = sorted(zip(cleaned.kept_posts, cleaned.kept, strict=True), key=lambda pt: pt[0].created_at or "")
    return [text for _post, text in pairs]


def blocks_of(posts: list[str], tokenizer: Any, block_size: int) -> torch.Tensor:
    from tweetbot_trainer.train.blocks import EOT, pack_blocks, tokenize_posts

    return pack_blocks(tokenize_posts(EOT.join(posts), tokenizer), block_size)


class Runner:
    def __init__(self, args: argparse.Namespace, base: Any, eval_blocks: torch.Tensor) -> None:
        from accelerate import Accelerator

        self.args, self.base, self.eval_blocks = args, base, eval_blocks
        self.accelerator = Accelerator(cpu=True)

    def eval_loss(self, model: Any) -> float:
        from tweetbot_trainer.train.loop import evaluate

        loss = evaluate(self.accelerator, model, self.eval_blocks, self.args.batch_size)[0]
        model.train()
        return round(loss, 4)

    def train(self, model: Any, blocks: torch.Tensor, epochs: int, lr: float,
              target: float | None = None) -> dict[str, Any]:
        """`epochs` passes over `blocks`; with `target`, the first evaluated step whose loss reaches it."""
        from tweetbot_trainer.config import TrainConfig
        from tweetbot_trainer.train.checkpoint import TrainState
        from tweetbot_trainer.train.loop import LoopSettings, plan, train_loop
        from tweetbot_trainer.train.phases import make_optimizer

        torch.manual_seed(0)
        optimizer = make_optimizer(model, TrainConfig(learning_rate=lr))
        steps = plan(blocks.shape[0], self.args.batch_size, 1, epochs, 0)[1]
        state, reached, eval_seconds = TrainState(), None, 0.0

        def look(now: TrainState) -> None:
            nonlocal reached, eval_seconds
            began = time.perf_counter()
            loss = self.eval_loss(model)
            eval_seconds += time.perf_counter() - began
            if target is not None and reached is None and loss <= target:
                reached = {"step": now.step, "seconds": round(now.train_seconds - eval_seconds, 3), "evalLoss": loss}

        settings = LoopSettings(total_steps=steps, batch_size=self.args.batch_size, learning_rate=lr,
                                warmup_steps=max(1, steps // 20), seed=0, report_every=10**9,
                                checkpoint_every=self.args.eval_every if target is not None else 0)
        result = train_loop(self.accelerator, model, optimizer, blocks, settings=settings, state=state,
                            on_checkpoint=look)
        final = self.eval_loss(model)
        if target is not None and reached is None and final <= target:
            reached = {"step": steps, "seconds": round(result.seconds - eval_seconds, 3), "evalLoss": final}
        return {"epochs": epochs, "learningRate": lr, "steps": steps, "trainSeconds": round(result.seconds -
                eval_seconds, 3), "evalLoss": final, "reachedScratchLoss": reached}


def fresh_model(args: argparse.Namespace, base_dir: Path) -> Any:
    from tweetbot_trainer.config import TrainConfig
    from tweetbot_trainer.train.lora import apply_lora
    from tweetbot_trainer.train.model_loading import load_model_and_tokenizer

    model, _tokenizer = load_model_and_tokenizer(str(base_dir), dtype=torch.float32)
    return apply_lora(model, TrainConfig(lora_rank=args.lora_rank))


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from tweetbot_trainer.train.model_loading import build_tiny_model, load_model_and_tokenizer

    torch.set_num_threads(args.threads)
    posts = posts_oldest_first()
    rng = random.Random(0)
    held = set(rng.sample(range(len(posts)), len(posts) // 10))
    train_posts = [p for i, p in enumerate(posts) if i not in held]
    old_posts = train_posts[: int(len(train_posts) / (1 + args.new_fraction))]
    with tempfile.TemporaryDirectory() as tmp:
        base_dir = build_tiny_model(Path(tmp) / "tiny")
        _model, tokenizer = load_model_and_tokenizer(str(base_dir))
        runner = Runner(args, base_dir, blocks_of([posts[i] for i in sorted(held)], tokenizer, args.block_size))
        all_blocks = blocks_of(train_posts, tokenizer, args.block_size)
        previous = fresh_model(args, base_dir)
        prev = runner.train(previous, blocks_of(old_posts, tokenizer, args.block_size), args.epochs, args.lr)
        scratch = runner.train(fresh_model(args, base_dir), all_blocks, args.epochs, args.lr)
        warm = {}
        for schedule in args.schedules.split(","):
            epochs, factor = schedule.split(":")
            warm[schedule] = runner.train(copy.deepcopy(previous), all_blocks, int(epochs), args.lr * float(factor),
                                          target=scratch["evalLoss"])
    return {"posts": {"old": len(old_posts), "all": len(train_posts), "heldOut": len(held)},
            "previousRun": prev, "scratch": scratch, "warm": warm}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4, help="from-scratch passes (the default recipe)")
    parser.add_argument("--lr", type=float, default=2e-3, help="from-scratch learning rate (tiny random model)")
    parser.add_argument("--schedules", default="1:0.5,1:1.0,2:0.5", help="warm schedules, epochs:lr-factor")
    parser.add_argument("--lora-rank", type=int, default=8, help="0: full fine-tune (the tiny random model learns"
                        " little through rank-8 adapters alone)")
    parser.add_argument("--new-fraction", type=float, default=0.1, help="new posts, as a fraction of the old")
    parser.add_argument("--block-size", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--eval-every", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    result = {"bench": "warm_start", "device": f"cpu ({args.threads} threads)", "machine": platform.machine(),
              "model": "tiny GPT-2 (2 layers, 64 wide)", "loraRank": args.lora_rank, "blockSize": args.block_size,
              "batchSize": args.batch_size, **measure(args),
              "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    write_result(args.out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
