"""`kubectl tweetbot takedown HANDLE [--all-namespaces]`: the person a bot imitates asked for it to go.

In this order, so that nothing new is made while the rest goes:
1. the handle goes on the cluster's blocked list (ConfigMap, `handles` key; the operator refuses every TweetBot
   naming it, HandleBlocked, and stops its runs);
2. for each TweetBot that trains on the handle: its run folders in S3 (models, checkpoints, the cleaned posts
   data/posts.jsonl.gz), whatever its deletionPolicy, with the S3 credentials of this shell (AWS_* variables);
   its hub repository where HF_TOKEN allows; then the TweetBot itself (its serving Deployment, Service or
   InferenceService are owned by it and go with it).
Prints one line per thing removed or left, and exits 1 when anything was left (the report says what).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

GROUP, VERSION, PLURAL = "tweetbot.io", "v1alpha1", "tweetbots"
DEFAULT_CONFIGMAP = "tweetbot-system/tweetbot-blocked-handles"  # the chart's, in the operator's namespace
DATA_KEY = "handles"


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    about = "remove every bot, model, run and post of a handle; block it (needs tweetbot-trainer for S3)"
    parser = sub.add_parser("takedown", help=about, description=about, parents=parents)
    parser.add_argument("handle")
    parser.add_argument("-A", "--all-namespaces", action="store_true")
    parser.add_argument("--blocked-configmap", default=DEFAULT_CONFIGMAP, metavar="NAMESPACE/NAME",
                        help="the operator's blocked handles list (its TWEETBOT_BLOCKED_HANDLES)")
    parser.add_argument("--s3-endpoint", default=None, help="default: each TweetBot's spec.output.endpoint")
    parser.set_defaults(handler=run)


def normalize(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


@dataclass
class Report:
    removed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"removed: {item}" for item in self.removed] + [f"left: {item}" for item in self.left]


def block(cluster: Any, handle: str, where: str, report: Report) -> None:
    """Adds the handle to the ConfigMap (created when missing)."""
    from kubernetes.client.exceptions import ApiException

    namespace, _, name = where.partition("/")
    try:
        try:
            current = cluster.core.read_namespaced_config_map(name, namespace)
            text = (current.data or {}).get(DATA_KEY, "")
        except ApiException as exc:
            if exc.status != 404:
                raise
            body = {"metadata": {"name": name, "namespace": namespace}, "data": {DATA_KEY: ""}}
            cluster.core.create_namespaced_config_map(namespace, body)
            text = ""
        listed = {normalize(line.split("#", 1)[0]) for line in text.splitlines()}
        if normalize(handle) not in listed:
            text = (text.rstrip("\n") + "\n" if text.strip() else "") + normalize(handle) + "\n"
            cluster.core.patch_namespaced_config_map(name, namespace, {"data": {DATA_KEY: text}})
        report.removed.append(f"@{normalize(handle)} is on the blocked list {where}: no TweetBot may train on it")
    except ApiException as exc:
        report.left.append(f"blocked list {where}: the API server answered {exc.status} {exc.reason}; no TweetBot "
                           "is refused until it lists the handle")


def trains_on(tb: dict[str, Any], handle: str) -> bool:
    return normalize(handle) in {normalize(str(u)) for u in (tb.get("spec") or {}).get("users") or []}


def remove_runs(tb: dict[str, Any], endpoint: str | None, report: Report) -> None:
    """Every run folder the TweetBot owns under its output prefix (its marker names it), checkpoints and posts
    included."""
    meta, output = tb["metadata"], (tb.get("spec") or {}).get("output") or {}
    what = f"{meta['namespace']}/{meta['name']}"
    try:  # the run markers' rules are the trainer's: the plugin alone stays light (no torch), takedown needs it
        from tweetbot_trainer.publish.ownership import delete_owned_runs
        from tweetbot_trainer.s3 import S3Uri, make_client
    except ImportError:
        report.left.append(f"{what}: the runs under {output.get('s3')} (install tweetbot-trainer beside the plugin "
                           "to delete them, or run `tweetbot-train delete --owner NS/NAME/UID`)")
        return
    try:
        client = make_client(endpoint or output.get("endpoint"))
        for uri, objects in delete_owned_runs(client, S3Uri.parse(str(output["s3"])).as_dir(), str(meta["uid"])):
            report.removed.append(f"{what}: run {uri} ({objects} objects: model, checkpoints, posts)")
    except Exception as exc:  # any S3 failure: the report says what is left, the rest goes on
        report.left.append(f"{what}: the runs under {output.get('s3')} ({type(exc).__name__}: {str(exc)[:200]})")


def remove_hub_repo(tb: dict[str, Any], report: Report, delete_repo: Callable[[str, str], None] | None) -> None:
    repo = ((tb.get("spec") or {}).get("output") or {}).get("hub", {}).get("repo")
    if not repo:
        return
    token = os.environ.get("HF_TOKEN", "").strip()
    if not token:
        report.left.append(f"hub repository {repo}: no HF_TOKEN in this shell; delete it on the hub")
        return
    try:
        (delete_repo or _hub_delete)(str(repo), token)
        report.removed.append(f"hub repository {repo}")
    except Exception as exc:  # the token may not own it: say so, go on
        report.left.append(f"hub repository {repo}: {type(exc).__name__} (does HF_TOKEN own it?)")


def _hub_delete(repo: str, token: str) -> None:
    from huggingface_hub import HfApi

    HfApi(token=token).delete_repo(repo, missing_ok=True)


def takedown(cluster: Any, handle: str, namespace: str | None, *, configmap: str = DEFAULT_CONFIGMAP,
             s3_endpoint: str | None = None, delete_repo: Callable[[str, str], None] | None = None) -> Report:
    from kubernetes.client.exceptions import ApiException

    report = Report()
    block(cluster, handle, configmap, report)
    bots = [tb for tb in cluster.tweetbots(namespace) if trains_on(tb, handle)]
    if not bots:
        report.removed.append(f"no TweetBot {'in any namespace' if namespace is None else 'in ' + namespace} "
                              f"trains on @{normalize(handle)}")
    for tb in bots:
        meta = tb["metadata"]
        remove_runs(tb, s3_endpoint, report)
        remove_hub_repo(tb, report, delete_repo)
        try:
            cluster.custom.delete_namespaced_custom_object(GROUP, VERSION, meta["namespace"], PLURAL, meta["name"])
            report.removed.append(f"TweetBot {meta['namespace']}/{meta['name']} and its serving objects")
        except ApiException as exc:
            report.left.append(f"TweetBot {meta['namespace']}/{meta['name']}: the API server answered {exc.status}")
    return report


def run(args: argparse.Namespace, cluster: Any) -> int:
    namespace = None if args.all_namespaces else (args.namespace or cluster.default_namespace)
    report = takedown(cluster, args.handle, namespace, configmap=args.blocked_configmap,
                      s3_endpoint=args.s3_endpoint)
    print("\n".join(report.lines()))
    return 1 if report.left else 0
