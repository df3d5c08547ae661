"""kubectl-tweetbot: `kubectl tweetbot get|logs|download|generate`, a kubectl plugin (any executable named
kubectl-<name> on the PATH is one)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tweetbot_trainer.errors import ReasonedError, TweetBotInputError
from tweetbot_trainer.kubectl import takedown
from tweetbot_trainer.kubectl.table import render


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kubectl tweetbot", description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--namespace", default=None, help="default: the kubeconfig context's namespace")
    parser.add_argument("--context", default=None)
    sub = parser.add_subparsers(dest="command", required=True)
    get = sub.add_parser("get", help="the TweetBots, as kubectl get tb prints them")
    get.add_argument("name", nargs="?")
    get.add_argument("-A", "--all-namespaces", action="store_true")
    sub.add_parser("logs", help="the current run's trainer log").add_argument("name")
    download = sub.add_parser("download", help="the finished model (checked against its manifest)")
    download.add_argument("name")
    download.add_argument("dir", type=Path)
    download.add_argument("--s3-endpoint", default=None, help="default: the TweetBot's spec.output.endpoint")
    generate = sub.add_parser("generate", help="ask the served bot (spec.serving) through the API server")
    generate.add_argument("name")
    generate.add_argument("prompt")
    generate.add_argument("--max-tokens", type=int, default=40)
    generate.add_argument("-n", "--count", type=int, default=1)
    takedown.register(sub)  # subcommands in modules of their own set `handler`
    return parser


def _finished(tb: dict[str, Any], what: str) -> str:
    model = (tb.get("status") or {}).get("modelURI")
    if not model:
        raise TweetBotInputError("NoModel", f"{tb['metadata']['name']} has no finished model yet ({what})")
    return str(model)


def run(args: argparse.Namespace, cluster: Any) -> int:
    if getattr(args, "handler", None) is not None:
        return int(args.handler(args, cluster))
    namespace = args.namespace or cluster.default_namespace
    if args.command == "get":
        if args.name:
            print(render([cluster.tweetbot(namespace, args.name)]))
        else:
            scope = None if args.all_namespaces else namespace
            print(render(cluster.tweetbots(scope), with_namespace=args.all_namespaces))
        return 0
    tb = cluster.tweetbot(namespace, args.name)
    status = tb.get("status") or {}
    if args.command == "logs":
        if not status.get("jobName"):
            raise TweetBotInputError("NoRun", f"{args.name} has no training run yet")
        sys.stdout.write(cluster.trainer_log(namespace, status["jobName"]))
        return 0
    if args.command == "download":
        from tweetbot_trainer.serve.model_files import download_run

        endpoint = args.s3_endpoint or (tb.get("spec") or {}).get("output", {}).get("endpoint")
        folder = download_run(_finished(tb, "nothing to download"), args.dir, endpoint)
        print(f"{args.name}: {_finished(tb, '')} -> {folder}")
        return 0
    if not (status.get("serving") or {}).get("ready"):
        raise TweetBotInputError("NotServed", f"{args.name} is not served yet: set spec.serving.enabled and wait for "
                                 "status.serving.ready")
    if ((tb.get("spec") or {}).get("serving") or {}).get("runtime") == "kserve":  # no Service of ours to proxy to
        raise TweetBotInputError("ServedByKServe", f"{args.name} is served by KServe: POST to "
                                 f"{status['serving'].get('url')}/openai/v1/completions (model {args.name})")
    # The Service's name is the operator's to choose (a DNS-1035 label): the one status.serving's URL names.
    service = urlsplit(str(status["serving"].get("url") or "")).hostname or ""
    answer = cluster.post_to_service(namespace, service.split(".")[0], "v1/completions",
                                     {"prompt": args.prompt, "max_tokens": args.max_tokens, "n": args.count})
    for choice in answer.get("choices", []):
        print(args.prompt + choice["text"])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from kubernetes.client.exceptions import ApiException

    from tweetbot_trainer.kubectl.cluster import Cluster

    try:
        return run(args, Cluster(args.context))
    except ReasonedError as err:
        print(f"kubectl tweetbot {args.command}: error: {err.message}", file=sys.stderr)
        return err.exit_code
    except ApiException as exc:
        what = getattr(args, "name", None) or "TweetBots"
        print(f"kubectl tweetbot {args.command}: error: {what}: the API server answered {exc.status} {exc.reason}",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
