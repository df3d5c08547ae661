"""`tweetbot-train train`: fine-tune on a prepared directory and write the model and its card to S3."""

# Imports inside main(): `tweetbot-train --help` and the other subcommands must not pay for torch.

from __future__ import annotations

import argparse
from pathlib import Path

from tweetbot_trainer.config import add_training_arguments, config_from_args
from tweetbot_trainer.publish.tracking.settings import add_tracking_arguments, settings_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, type=Path, help="directory written by `tweetbot-train prepare`")
    add_training_arguments(parser)
    add_tracking_arguments(parser)


def main(args: argparse.Namespace) -> int:
    from tweetbot_trainer.commands.runner import job_reporter, quiet_libraries, run_job, run_workers
    from tweetbot_trainer.train.launcher import launches, nodes_of
    from tweetbot_trainer.train.phases import run_training

    quiet_libraries()
    config = config_from_args(args)
    if launches(config):
        return run_workers(args.argv, nodes_of(config), config.termination_log, {})
    reporter = job_reporter(config.termination_log, config.node_rank)
    return run_job(reporter, lambda stop: run_training(config, args.data, reporter, stop=stop,
                                                         tracking=settings_from_args(args)))
