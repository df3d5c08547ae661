"""`tweetbot-train run`: prepare + train in one process; what the Kubernetes Job runs.

With `--nproc-per-node N` (or `--nnodes N`) this process launches the node's training workers (each running this
same command, told by the environment where the prepared data is). Node 0's launcher prepares the data first; the
other nodes prepare nothing: their workers get node 0's files through the group's store once the group has formed
(train/group_store.py), so that every rank trains on the same data and the sources are asked once.
"""

# Imports inside main(): `tweetbot-train --help` and the other subcommands must not pay for torch.

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tweetbot_trainer.commands.prepare import log_line
from tweetbot_trainer.config import TrainConfig, add_training_arguments, config_from_args
from tweetbot_trainer.publish.tracking.settings import add_tracking_arguments, settings_from_args
from tweetbot_trainer.report import Reporter

# Set by the launcher for its workers: the prepared data folder (empty on nodes other than 0).
PREPARED_ENV = "TWEETBOT_PREPARED_DATA"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tweetbot_trainer.commands import refresh
    from tweetbot_trainer.data.prepare import add_source_arguments

    add_training_arguments(parser)  # --seed and --s3-endpoint first; prepare's adder skips flags already there
    add_source_arguments(parser)
    add_tracking_arguments(parser)
    refresh.add_arguments(parser)
    parser.add_argument("--workdir", type=Path, default=None, help="where the prepared text goes (default: temp)")


def forward_events(reporter: Reporter) -> Any:
    """prepare's event dicts -> the reporter (so phases and stats reach the JSON log, tqdm and the operator)."""

    def sink(event: Mapping[str, Any]) -> None:
        if event.get("event") == "phase":
            reporter.phase(str(event["phase"]))
        elif event.get("event") == "stats":
            reporter.stats(event["users"])
        elif event.get("event") == "log":
            print(log_line("run", dict(event)), file=sys.stderr, flush=True)

    return sink


def prepare(args: argparse.Namespace, config: TrainConfig, reporter: Reporter, data_dir: Path) -> dict[str, Any] | None:
    """Checks the output, then downloads (what is new since --previous-run) and cleans the posts into
    `data_dir`; returns the skip's termination message when there are too few new posts (commands/refresh.py)."""
    from tweetbot_trainer.commands.refresh import record_decision
    from tweetbot_trainer.data.incremental import load_history
    from tweetbot_trainer.data.prepare import prepare_dataset, source_spec_from_args
    from tweetbot_trainer.s3 import check_bucket, make_client
    from tweetbot_trainer.train.phases import PREPARED_INFO, validate

    started = time.time()
    # A missing bucket or wrong keys fail now, not after downloading every post.
    check_bucket(make_client(config.s3_endpoint), validate(config))
    history = load_history(args.previous_run, config.s3_endpoint)
    prepare_dataset(args.users, source_spec_from_args(args), data_dir, seed=config.seed,
                    s3_endpoint=config.s3_endpoint, on_event=forward_events(reporter), history=history,
                    full_fetch_every=args.full_fetch_every)
    (data_dir / PREPARED_INFO).write_text(json.dumps({"started": started, "prepare": round(time.time() - started, 3)}))
    return record_decision(args, data_dir)


def main(args: argparse.Namespace) -> int:
    from tweetbot_trainer.commands.refresh import report_skip
    from tweetbot_trainer.commands.runner import guarded, job_reporter, quiet_libraries, run_job, run_workers
    from tweetbot_trainer.train.launcher import is_worker, launches, nodes_of
    from tweetbot_trainer.train.phases import Outcome, run_training

    quiet_libraries()
    config = config_from_args(args)
    reporter = job_reporter(config.termination_log, config.node_rank)
    prepared = os.environ.get(PREPARED_ENV) if is_worker() else None

    def train(data_dir: Path, stop: threading.Event, report_stats: bool) -> Outcome:
        return run_training(config, data_dir, reporter, stop=stop, report_stats=report_stats,
                            tracking=settings_from_args(args))

    if prepared:  # a worker: the launcher prepared the data and reported its stats
        return run_job(reporter, lambda stop: train(Path(prepared), stop, report_stats=False))
    with tempfile.TemporaryDirectory(prefix="tweetbot-data-") as tmp:
        data_dir = args.workdir or Path(tmp)
        # Once per run, on node 0: live sources (new posts, rate limits) would give each node other data. Before
        # any model is loaded: a run with too few new posts ends here (skipped).
        skips: list[dict[str, Any] | None] = []
        failed = guarded(reporter, lambda: skips.append(prepare(args, config, reporter, data_dir))) \
            if config.node_rank == 0 else None
        if failed is not None:
            return failed
        if skips and skips[0] is not None:
            return report_skip(config.termination_log, config.run_id, skips[0])
        if launches(config):
            return run_workers(args.argv, nodes_of(config), config.termination_log, {PREPARED_ENV: str(data_dir)})
        return run_job(reporter, lambda stop: train(data_dir, stop, report_stats=False))
