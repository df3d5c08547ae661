"""`run`'s incremental flags: the previous run, the skip for too few new posts, the warm start.

A skipped run ends before any model is loaded: exit code 0 and the termination message
`{"status": "skipped", "reason": "TooFewNewPosts", "newPosts": 3, "minNewPosts": 20, "data": {...}}` (the
operator reports the run as Skipped and keeps the previous model). The warm start (its schedule:
train/warm_start.py) is decided here, next to the data, and written into stats.json's `data` section, which
every training process reads.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tweetbot_trainer.report import TerminationMessageReporter, termination_message


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--previous-run", metavar="URI", default=None,
                        help="the last successful run's folder (s3://.../<run-id>/): its posts are not fetched again")
    parser.add_argument("--min-new-posts", type=int, default=0,
                        help="with --previous-run: fewer new posts end the run as skipped, before any training")
    parser.add_argument("--full-fetch-every", type=int, default=0,
                        help="every N runs fetch everything: posts deleted upstream leave the set (0: never)")
    parser.add_argument("--warm-start", action=argparse.BooleanOptionalAction, default=False,
                        help="continue the previous run's adapter (or model) with fewer epochs and a lower learning"
                             " rate, unless posts were deleted")


def skip_reason(args: argparse.Namespace, data: dict[str, Any]) -> dict[str, Any] | None:
    """The skipped run's termination message fields, or None when the run goes on."""
    minimum = int(getattr(args, "min_new_posts", 0) or 0)
    if not data.get("previousRun") or minimum <= 0 or int(data.get("newPosts") or 0) >= minimum:
        return None
    if int(data.get("deletedPosts") or 0):  # the set changed: the model must lose them (a retrain, not a skip)
        return None
    return {"status": "skipped", "reason": "TooFewNewPosts", "newPosts": int(data.get("newPosts") or 0),
            "minNewPosts": minimum, "message": f"{data.get('newPosts', 0)} new posts since the last run (fewer "
            f"than {minimum}): the run is skipped and the previous model stays", "data": data}


def warm_start_choice(args: argparse.Namespace, data: dict[str, Any]) -> tuple[str | None, str]:
    """(the run folder to continue from, or None; why). A model that saw posts deleted since cannot forget them
    by training more: after a deletion the run starts from the base model."""
    if not getattr(args, "warm_start", False):
        return None, "warm start off"
    if not data.get("previousRun"):
        return None, "no previous run with kept posts"
    if int(data.get("deletedPosts") or 0):
        return None, "posts were deleted upstream: trained from scratch so that the model never saw them"
    return str(data["previousRun"]), "continued from the previous run"


def record_decision(args: argparse.Namespace, data_dir: Path) -> dict[str, Any] | None:
    """Reads the prepared stats.json; writes the warm-start choice into it; returns the skip, if any."""
    stats_path = data_dir / "stats.json"
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    data = stats.setdefault("data", {})
    skipped = skip_reason(args, data)
    if skipped is None:
        data["warmStartFrom"], data["warmStartReason"] = warm_start_choice(args, data)
        stats_path.write_text(json.dumps(stats, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return skipped


def report_skip(termination_log: str, run_id: str, skipped: dict[str, Any]) -> int:
    print(json.dumps({"event": "skipped", "runId": run_id, "newPosts": skipped["newPosts"],
                      "minNewPosts": skipped["minNewPosts"]}), flush=True)
    TerminationMessageReporter(termination_log).write_raw(termination_message({**skipped, "runId": run_id}))
    return 0
