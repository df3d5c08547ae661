"""`tweetbot-train make-tiny-model`: a small randomly initialised GPT-2 with the real GPT-2 tokenizer, offline."""

# Imports inside main(): `tweetbot-train --help` and the other subcommands must not pay for torch.

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="local directory or s3://bucket/prefix/")
    parser.add_argument("--n-layer", type=int, default=2)
    parser.add_argument("--n-head", type=int, default=2)
    parser.add_argument("--n-embd", type=int, default=64)
    parser.add_argument("--n-positions", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--s3-endpoint", default=None)


def main(args: argparse.Namespace) -> int:
    from tweetbot_trainer.commands.runner import quiet_libraries
    from tweetbot_trainer.s3 import S3Uri, check_bucket, input_error_from, is_s3, make_client, upload_dir
    from tweetbot_trainer.train.model_loading import build_tiny_model

    quiet_libraries()
    sizes = {"n_layer": args.n_layer, "n_head": args.n_head, "n_embd": args.n_embd,
             "n_positions": args.n_positions, "seed": args.seed}
    if not is_s3(args.out):
        build_tiny_model(Path(args.out), **sizes)
        print(f"tiny GPT-2 written to {args.out}")
        return 0
    dest = S3Uri.parse(args.out).as_dir()
    client = make_client(args.s3_endpoint)
    check_bucket(client, dest)
    with tempfile.TemporaryDirectory() as tmp:
        build_tiny_model(Path(tmp), **sizes)
        try:
            upload_dir(client, Path(tmp), dest)
        except Exception as exc:
            raise input_error_from(exc, str(dest)) from exc
    print(f"tiny GPT-2 written to {dest}")
    return 0
