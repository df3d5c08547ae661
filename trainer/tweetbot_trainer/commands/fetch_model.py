"""`tweetbot-train fetch-model`: a finished run's files into a local folder, each checked against the run's
manifest, for an engine that loads from disk (the vLLM serving pod's init container); with --base, an s3:// base
model's files too (an adapter-only LoRA run is served as base + adapter). No torch."""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", required=True, help="the run: s3://bucket/prefix/<run-id>/ (with manifest.json)")
    parser.add_argument("--to", required=True, help="the local folder to fill (created; files there are replaced)")
    parser.add_argument("--base", default=None, help="an s3:// base model folder to fetch as well")
    parser.add_argument("--base-to", default=None, help="where the base model goes (with --base)")
    parser.add_argument("--s3-endpoint", default=None)


def main(args: argparse.Namespace) -> int:
    from pathlib import Path

    from tweetbot_trainer.errors import TweetBotInputError
    from tweetbot_trainer.publish.manifest import NOT_MODEL
    from tweetbot_trainer.s3 import S3Uri, download_prefix, input_error_from, is_s3, make_client
    from tweetbot_trainer.serve.model_files import download_run

    for flag, value in (("--model", args.model), ("--base", args.base)):
        if value is not None and not is_s3(value):
            raise TweetBotInputError("BadModelURI", f"{flag} {value}: not an s3:// folder")
    if (args.base is None) != (args.base_to is None):
        raise TweetBotInputError("BadArguments", "--base and --base-to go together")
    client = make_client(args.s3_endpoint)
    folder = download_run(args.model, Path(args.to), client=client)
    files = sum(1 for p in folder.rglob("*") if p.is_file())
    print(json.dumps({"event": "fetched", "uri": args.model, "to": str(folder), "files": files}), flush=True)
    if args.base is not None:
        try:
            got = download_prefix(client, S3Uri.parse(args.base).as_dir(), Path(args.base_to), skip=NOT_MODEL)
        except Exception as exc:
            raise input_error_from(exc, args.base) from exc
        if "config.json" not in got:
            raise TweetBotInputError("BaseModelNotFound", f"--base {args.base}: no config.json there")
        print(json.dumps({"event": "fetched", "uri": args.base, "to": args.base_to, "files": len(got)}), flush=True)
    return 0
