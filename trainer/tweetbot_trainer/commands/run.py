"""`tweetbot-train run`: prepare + train in one process; what the Kubernetes Job runs."""

# Imports inside main(): `tweetbot-train --help` and the other subcommands must not pay for torch.

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tweetbot_trainer.commands.prepare import log_line
from tweetbot_trainer.config import add_training_arguments, config_from_args
from tweetbot_trainer.report import Reporter


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tweetbot_trainer.data.prepare import add_source_arguments

    add_training_arguments(parser)  # --seed and --s3-endpoint first; prepare's adder skips flags already there
    add_source_arguments(parser)
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


def main(args: argparse.Namespace) -> int:
    from tweetbot_trainer.commands.runner import job_reporter, quiet_libraries, run_job
    from tweetbot_trainer.data.prepare import prepare_dataset, source_spec_from_args
    from tweetbot_trainer.s3 import check_bucket, make_client
    from tweetbot_trainer.train.phases import Outcome, run_training, validate

    quiet_libraries()
    config = config_from_args(args)
    reporter = job_reporter(config.termination_log)

    def body(stop: threading.Event) -> Outcome:
        started = time.time()
        # A missing bucket or wrong keys fail now, not after downloading every post.
        check_bucket(make_client(config.s3_endpoint), validate(config))
        with tempfile.TemporaryDirectory(prefix="tweetbot-data-") as tmp:
            data_dir = args.workdir or Path(tmp)
            prepare_dataset(args.users, source_spec_from_args(args), data_dir, seed=config.seed,
                            s3_endpoint=config.s3_endpoint, on_event=forward_events(reporter))
            prepared = {"prepare": round(time.time() - started, 3)}  # posts download + cleaning
            return run_training(config, data_dir, reporter, stop=stop, report_stats=False,
                                earlier_phases=prepared, started=started)

    return run_job(reporter, body)
