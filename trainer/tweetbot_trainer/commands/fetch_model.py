"""`tweetbot-train fetch-model`: a finished run's files into a local folder, each checked against the run's
manifest, for an engine that loads from disk (the vLLM serving pod's init container). No torch."""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", required=True, help="the run: s3://bucket/prefix/<run-id>/ (with manifest.json)")
    parser.add_argument("--to", required=True, help="the local folder to fill (created; files there are replaced)")
    parser.add_argument("--s3-endpoint", default=None)


def main(args: argparse.Namespace) -> int:
    from pathlib import Path

    from tweetbot_trainer.errors import TweetBotInputError
    from tweetbot_trainer.s3 import is_s3
    from tweetbot_trainer.serve.model_files import download_run, local_run

    if not is_s3(args.model):
        raise TweetBotInputError("BadModelURI", f"--model {args.model}: not an s3:// run folder")
    target = Path(args.to)
    folder = local_run(download_run(args.model, target, args.s3_endpoint))
    files = sum(1 for p in folder.rglob("*") if p.is_file())
    print(json.dumps({"event": "fetched", "uri": args.model, "to": str(folder), "files": files}), flush=True)
    return 0
