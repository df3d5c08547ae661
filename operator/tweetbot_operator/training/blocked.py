"""Handles that may not be trained on: a cluster-wide ConfigMap (the chart creates it; `kubectl tweetbot
takedown` adds to it). A TweetBot naming a listed handle is refused with the condition HandleBlocked, and its
running or scheduled runs stop.

Where the ConfigMap is: TWEETBOT_BLOCKED_HANDLES="<namespace>/<name>" (the chart sets it); unset, no handle is
blocked. Its `handles` key holds one handle a line (a leading @ and case are ignored; `#` starts a comment).
A ConfigMap that cannot be read blocks nothing (logged): a missing list must not stop every TweetBot.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from typing import Any

from tweetbot_operator.k8s.client import ApiError, jobs_path
from tweetbot_operator.k8s.events import Event
from tweetbot_operator.k8s.owned import base_labels, is_owned_by
from tweetbot_operator.spec import constants as c
from tweetbot_operator.training.runs import is_finished
from tweetbot_operator.training.status import Observation

log = logging.getLogger(__name__)
ENV = "TWEETBOT_BLOCKED_HANDLES"
DATA_KEY = "handles"
CACHE_SECONDS = 10.0  # one GET per this long, whatever the number of TweetBots reconciled
_cache: dict[int, tuple[float, frozenset[str]]] = {}


def normalize(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


def parse_handles(text: Any) -> frozenset[str]:
    if not isinstance(text, str):
        return frozenset()
    lines = (line.split("#", 1)[0] for line in text.splitlines())
    return frozenset(normalize(line) for line in lines if normalize(line))


def location(env: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    value = (os.environ if env is None else env).get(ENV, "").strip()
    namespace, _, name = value.partition("/")
    return (namespace, name) if namespace and name else None


def configmap_path(namespace: str, name: str) -> str:
    return f"/api/v1/namespaces/{namespace}/configmaps/{name}"


async def blocked_handles(kube: Any, env: Mapping[str, str] | None = None, *, fresh: bool = False) -> frozenset[str]:
    """The listed handles, read at most once per CACHE_SECONDS; `fresh`: read now (before a Job is created: a
    takedown a moment ago must not let a run fetch the person's posts again)."""
    where = location(env)
    if where is None:
        return frozenset()
    cached = _cache.get(id(kube))
    if not fresh and cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    try:
        configmap = await kube.get(configmap_path(*where))
    except ApiError as exc:
        log.warning("cannot read the blocked handles (ConfigMap %s/%s): %s", *where, exc)
        return cached[1] if cached else frozenset()
    handles = parse_handles(((configmap or {}).get("data") or {}).get(DATA_KEY))
    _cache[id(kube)] = (time.monotonic(), handles)
    return handles


def blocked_observation(spec: Mapping[str, Any], handles: frozenset[str]) -> Observation | None:
    listed = [str(u) for u in spec.get("users") or [] if normalize(str(u)) in handles]
    if not listed:
        return None
    names = ", ".join(f"@{normalize(u)}" for u in listed)
    return Observation("Failed", "HandleBlocked", f"{names} may not be trained on (the cluster's blocked handles "
                       "list): no run starts and running or scheduled ones stop; remove the handle from "
                       "spec.users")


async def stop_runs(kube: Any, tb: Mapping[str, Any], post: Any) -> None:
    """Delete the TweetBot's unfinished training Jobs (with their pods), an event for each."""
    meta = tb["metadata"]
    jobs = await kube.list(jobs_path(meta["namespace"]), base_labels(meta["name"], c.COMPONENT_TRAIN))
    for job in jobs:
        if is_finished(job) or not is_owned_by(job, tb):
            continue
        name = job["metadata"]["name"]
        if await kube.delete(jobs_path(meta["namespace"], name), propagation="Foreground"):
            await post(Event("Warning", "RunStopped", f"stopped Job {name}: a handle of spec.users is blocked"))
