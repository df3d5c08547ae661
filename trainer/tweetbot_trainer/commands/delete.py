"""`tweetbot-train delete`: remove one run's artifacts, one TweetBot's runs, or everything below an output prefix."""

# Imports inside main(): `tweetbot-train --help` and the other subcommands must not pay for torch.

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", required=True, help="s3://bucket/prefix/")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--run-id", help="delete s3://bucket/prefix/<run-id>/")
    which.add_argument("--owner", help="namespace/name/uid: delete the run folders whose marker names this "
                       "TweetBot, nothing else (what deletionPolicy: Delete runs)")
    which.add_argument("--all", action="store_true", help="delete everything below the prefix")
    parser.add_argument("--s3-endpoint", default=None)


def main(args: argparse.Namespace) -> int:
    from tweetbot_trainer.errors import TweetBotInputError
    from tweetbot_trainer.s3 import S3Uri, check_bucket, delete_prefix, make_client

    prefix = S3Uri.parse(args.output).as_dir()
    if args.all and not prefix.key:
        # A whole bucket is never one TweetBot's: refuse rather than empty it.
        raise TweetBotInputError("BadOutputURI", f"refusing to delete a whole bucket: {args.output}")
    if args.run_id is not None and (not args.run_id or "/" in args.run_id or args.run_id in {".", ".."}):
        raise TweetBotInputError("BadRunId", f"bad run id: {args.run_id!r}")
    client = make_client(args.s3_endpoint)
    if args.owner is not None:
        from tweetbot_trainer.publish.ownership import Owner, delete_owned_runs

        owner = Owner.parse(args.owner)
        check_bucket(client, prefix)
        for uri, objects in delete_owned_runs(client, prefix, owner.uid):
            print(json.dumps({"event": "deleted", "uri": uri, "objects": objects}), flush=True)
        return 0
    target = prefix if args.all else prefix.child(str(args.run_id)).as_dir()
    check_bucket(client, target)
    deleted = delete_prefix(client, target)
    print(json.dumps({"event": "deleted", "uri": str(target), "objects": deleted}), flush=True)
    return 0
