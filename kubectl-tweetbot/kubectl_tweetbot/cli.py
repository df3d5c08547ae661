"""kubectl-tweetbot: `kubectl tweetbot get|logs|download|generate|completion`, a kubectl plugin for TweetBots (any
executable named kubectl-<name> on the PATH is one)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kubectl_tweetbot import completion, takedown
from kubectl_tweetbot._version import __version__
from kubectl_tweetbot.errors import ReasonedError, TweetBotInputError
from kubectl_tweetbot.output import FORMATS, formatted
from kubectl_tweetbot.table import render

EXAMPLES = """examples:
  kubectl tweetbot get -A                        every TweetBot of the cluster, as a table
  kubectl tweetbot get mybot -o yaml             one TweetBot, spec and status
  kubectl tweetbot logs -f mybot                 follow the trainer log (rank 0 of a multi-node run)
  kubectl tweetbot download mybot ./mybot        the finished model, checked against its manifest
  kubectl tweetbot generate mybot "My dream is"  ask the served bot through the API server
  source <(kubectl-tweetbot completion bash)     shell completion (bash; zsh: completion zsh)

-n/--namespace, --context and --kubeconfig work before or after the command, as kubectl's do."""


def _connection_flags(parser: argparse.ArgumentParser, default: Any) -> None:
    """kubectl's spelling; on subcommands the default is SUPPRESS so a flag given before the command stays."""
    parser.add_argument("-n", "--namespace", default=default,
                        help="the namespace (default: the kubeconfig context's namespace)")
    parser.add_argument("--context", default=default, help="the kubeconfig context to use (default: current)")
    parser.add_argument("--kubeconfig", default=default,
                        help="path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kubectl tweetbot", description=__doc__.splitlines()[0], epilog=EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"kubectl-tweetbot {__version__}")
    _connection_flags(parser, None)
    common = argparse.ArgumentParser(add_help=False)
    _connection_flags(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common])

    get = command("get", "the TweetBots, as kubectl get tb prints them")
    get.add_argument("name", nargs="?", help="one TweetBot (default: all in the namespace)")
    get.add_argument("-A", "--all-namespaces", action="store_true", help="TweetBots of every namespace")
    get.add_argument("-o", "--output", choices=FORMATS, default=None, help="json, yaml or name (default: a table)")
    logs = command("logs", "the current run's trainer log (rank 0 of a multi-node run)")
    logs.add_argument("name", help="the TweetBot")
    logs.add_argument("-f", "--follow", action="store_true", help="keep streaming the log until the pod ends")
    logs.add_argument("--rank", type=int, default=0, help="the pod of this completion index (default: 0)")
    download = command("download", "the finished model (checked against its manifest)")
    download.add_argument("name", help="the TweetBot")
    download.add_argument("dir", type=Path, help="the folder to write the model to")
    download.add_argument("--s3-endpoint", default=None, help="default: the TweetBot's spec.output.endpoint")
    generate = command("generate", "ask the served bot (spec.serving) through the API server")
    generate.add_argument("name", help="the TweetBot")
    generate.add_argument("prompt", help="the text the bot continues")
    generate.add_argument("--max-tokens", type=int, default=40, help="tokens per answer (default: 40)")
    generate.add_argument("--count", type=int, default=1, help="how many answers (default: 1)")
    takedown.register(sub, [common])  # a subcommand in a module of its own sets `handler`
    shell = command("completion", "print a shell completion script: source <(kubectl-tweetbot completion bash)")
    shell.add_argument("shell", choices=("bash", "zsh"), help="the shell the script is for")
    return parser


def api_key_headers(tb: dict[str, Any], namespace: str, cluster: Any) -> dict[str, str]:
    """The served bot's API key (spec.serving.apiKeySecret, key `apiKey` unless it says) as X-Api-Key: the API
    server's service proxy keeps Authorization, the user's credential for the API server itself, to itself."""
    ref = ((tb.get("spec") or {}).get("serving") or {}).get("apiKeySecret")
    if not ref:
        return {}
    name, key = (ref.get("name"), ref.get("key") or "apiKey") if isinstance(ref, dict) else (None, None)
    if not isinstance(name, str) or not isinstance(key, str) or not name:
        raise TweetBotInputError("InvalidSpec", "spec.serving.apiKeySecret needs a name")
    value = cluster.secret_value(namespace, name, key)
    if not value:
        raise TweetBotInputError("ApiKeyUnreadable", f"spec.serving.apiKeySecret: Secret {name} has no key {key} "
                                 "(or it is empty)")
    return {"X-Api-Key": value}


def _finished(tb: dict[str, Any], what: str) -> str:
    model = (tb.get("status") or {}).get("modelURI")
    if not model:
        raise TweetBotInputError("NoModel", f"{tb['metadata']['name']} has no finished model yet ({what})")
    return str(model)


def _get(args: argparse.Namespace, cluster: Any, namespace: str) -> int:
    if args.name:
        items = [cluster.tweetbot(namespace, args.name)]
    else:
        items = cluster.tweetbots(None if args.all_namespaces else namespace)
    if args.output:
        print(formatted(items, args.output, single=bool(args.name)))
    else:
        print(render(items, with_namespace=args.all_namespaces and not args.name))
    return 0


def _logs(args: argparse.Namespace, cluster: Any, namespace: str, status: dict[str, Any]) -> int:
    if not status.get("jobName"):
        raise TweetBotInputError("NoRun", f"{args.name} has no training run yet")
    for chunk in cluster.trainer_log(namespace, status["jobName"], follow=args.follow, rank=args.rank):
        sys.stdout.write(chunk)
        sys.stdout.flush()
    return 0


def run(args: argparse.Namespace, cluster: Any) -> int:
    if getattr(args, "handler", None) is not None:
        return int(args.handler(args, cluster))
    namespace = args.namespace or cluster.default_namespace
    if args.command == "get":
        return _get(args, cluster, namespace)
    tb = cluster.tweetbot(namespace, args.name)
    status = tb.get("status") or {}
    if args.command == "logs":
        return _logs(args, cluster, namespace, status)
    if args.command == "download":
        from kubectl_tweetbot.download import download_run

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
                                     {"prompt": args.prompt, "max_tokens": args.max_tokens, "n": args.count},
                                     api_key_headers(tb, namespace, cluster))
    for choice in answer.get("choices", []):
        print(args.prompt + choice["text"])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "completion":
        sys.stdout.write(completion.script(parser, args.shell))
        return 0
    from kubernetes.client.exceptions import ApiException
    from kubernetes.config import ConfigException

    from kubectl_tweetbot.cluster import Cluster

    try:
        return run(args, Cluster(args.context, args.kubeconfig))
    except ReasonedError as err:
        print(f"kubectl tweetbot {args.command}: error: {err.message}", file=sys.stderr)
        return err.exit_code
    except ApiException as exc:
        what = getattr(args, "name", None) or "TweetBots"
        print(f"kubectl tweetbot {args.command}: error: {what}: the API server answered {exc.status} {exc.reason}",
              file=sys.stderr)
        return 1
    except ConfigException as exc:
        print(f"kubectl tweetbot {args.command}: error: kubeconfig: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
