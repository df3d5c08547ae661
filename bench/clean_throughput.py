"""Cleaning throughput: posts per second through huggingtweets' rules (clean_posts), on one core.

The corpus is every archive in ../shared/fixtures/archives when present (real posts: links, mentions, CJK),
else the bundled sample archive. Parsing is not timed, only cleaning. Best of several rounds.
Prints one JSON object and writes it to bench/results/clean_throughput.json. Goal: >= 100,000 posts/s.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

from bench_result import write_result
from tweetbot_trainer.data.cleaning import clean_posts
from tweetbot_trainer.data.post import Post
from tweetbot_trainer.data.prepare import SAMPLE_ARCHIVE
from tweetbot_trainer.data.sources.archive import read_archive

ROOT = Path(__file__).resolve().parent.parent
SHARED_ARCHIVES = ROOT.parent / "shared" / "fixtures" / "archives"
RESULT = ROOT / "bench" / "results" / "clean_throughput.json"
GOAL = 100_000
TARGET_POSTS = 200_000  # per round: the corpus repeated up to about this many posts
ROUNDS = 5


def corpus() -> tuple[list[Post], str]:
    paths = sorted(SHARED_ARCHIVES.glob("*.js")) if SHARED_ARCHIVES.is_dir() else []
    if not paths:
        paths = [SAMPLE_ARCHIVE]
    posts = [post for path in paths for post in read_archive(str(path)).posts]
    return posts, ", ".join(p.name for p in paths)


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity)"


def main() -> int:
    pinning = pin_to_one_core()
    base, names = corpus()
    posts = base * max(1, TARGET_POSTS // len(base))
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        clean_posts(posts)
        best = min(best, time.perf_counter() - start)
    rate = len(posts) / best
    result = {
        "benchmark": "clean_throughput",
        "posts_per_s": round(rate),
        "posts": len(posts),
        "distinct_posts": len(base),
        "best_seconds": round(best, 4),
        "rounds": ROUNDS,
        "goal_posts_per_s": GOAL,
        "goal_met": rate >= GOAL,
        "corpus": names,
        "cpu": pinning,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    write_result(RESULT, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
