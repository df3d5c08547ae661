"""`tweetbot-train make-tiny-model`: a small randomly initialised GPT-2 with the real GPT-2 tokenizer, offline."""

# Imports inside main(): `tweetbot-train --help` and the other subcommands must not pay for torch.

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="local directory or s3://bucket/prefix/")
    parser.add_argument("--n-layer", type=int, default=2)
    parser.add_argument("--n-head", type=int, default=2)
    parser.add_argument("--n-embd", type=int, default=64)
    parser.add_argument("--n-positions", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--s3-endpoint", default=None)


def main(args: argparse.Namespace) -> int:
    from tweetbot_trainer.commands.model_output import write_model_to
    from tweetbot_trainer.commands.runner import quiet_libraries
    from tweetbot_trainer.train.model_loading import build_tiny_model

    quiet_libraries()
    sizes = {"n_layer": args.n_layer, "n_head": args.n_head, "n_embd": args.n_embd,
             "n_positions": args.n_positions, "seed": args.seed}
    where = write_model_to(args.out, args.s3_endpoint, lambda directory: build_tiny_model(directory, **sizes))
    print(f"tiny GPT-2 written to {where}")
    return 0
