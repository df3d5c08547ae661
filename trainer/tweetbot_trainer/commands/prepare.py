"""`tweetbot-train prepare`: fetch and clean posts, write train.txt / eval.txt / stats.json.

stdout: one JSON event a line (phase, stats, error) as in docs/design.md, plus the human stats table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from tweetbot_trainer.data.prepare import add_source_arguments, prepare_dataset, source_spec_from_args
from tweetbot_trainer.data.stats import stats_table
from tweetbot_trainer.errors import ReasonedError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_source_arguments(parser)
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="where train.txt/eval.txt go")


def emit(event: dict[str, Any]) -> None:
    print(json.dumps(event, ensure_ascii=False), flush=True)
    if event.get("event") == "stats":
        print(stats_table(event["users"]), flush=True)
    elif event.get("event") == "log":
        print(log_line("prepare", event), file=sys.stderr, flush=True)


def log_line(command: str, event: dict[str, Any]) -> str:
    """A `log` event as the line a person reads on stderr."""
    level = "warning: " if event.get("level") == "warning" else ""
    return f"tweetbot-train {command}: {level}{event.get('message', '')}"


def main(args: argparse.Namespace) -> int:
    try:
        prepared = prepare_dataset(
            args.users,
            source_spec_from_args(args),
            args.out,
            seed=args.seed,
            s3_endpoint=args.s3_endpoint,
            on_event=emit,
        )
    except ReasonedError as err:
        emit({"event": "error", "reason": err.reason, "message": err.message})
        raise
    print(f"wrote {prepared.train_path} and {prepared.eval_path}", file=sys.stderr)
    emit({"event": "phase", "phase": "done", "ts": time.time()})
    return 0
