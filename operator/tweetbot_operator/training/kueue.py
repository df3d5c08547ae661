"""Kueue (kueue.x-k8s.io) owns `spec.suspend` of the Jobs it queues: it unsuspends any Job whose Workload is admitted
(pkg/controller/jobframework/reconciler.go, ReconcileGenericJob step 7), so suspending such a Job would be undone.
What Kueue documents instead: deactivate the Job's Workload (`spec.active: false`; Kueue evicts and suspends the
Job) and activate it again to resume. A Job continuing a run is created outside the queue and joins it (its queue
label added) only when the Job it replaces is gone."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from tweetbot_operator.context import Context
from tweetbot_operator.k8s.client import ApiError, jobs_path
from tweetbot_operator.spec import constants as c

log = logging.getLogger(__name__)


def workloads_path(namespace: str, name: str | None = None) -> str:
    return f"/apis/kueue.x-k8s.io/v1beta1/namespaces/{namespace}/workloads" + (f"/{name}" if name else "")


def queued(job: Mapping[str, Any]) -> bool:
    return bool(((job.get("metadata") or {}).get("labels") or {}).get(c.LABEL_KUEUE_QUEUE))


async def join_queue(ctx: Context, tb: Mapping[str, Any], job: Mapping[str, Any]) -> Mapping[str, Any]:
    """Add the TweetBot's queue label to a Job created outside the queue: Kueue admits it and starts it."""
    queue = (tb["metadata"].get("labels") or {}).get(c.LABEL_KUEUE_QUEUE)
    path = jobs_path(tb["metadata"]["namespace"], job["metadata"]["name"])
    patched = await ctx.kube.merge_patch(path, {"metadata": {"labels": {c.LABEL_KUEUE_QUEUE: queue}}})
    ctx.remember(patched)
    return patched


async def set_active(ctx: Context, job: Mapping[str, Any], active: bool) -> bool:
    """Deactivate (or activate) the Workloads Kueue made for `job`; False when there is none to set (Kueue has not
    made one yet, or is not installed), and the caller suspends the Job itself."""
    namespace, uid = job["metadata"]["namespace"], job["metadata"].get("uid")
    try:
        workloads = await ctx.kube.list(workloads_path(namespace))
    except ApiError as exc:
        if exc.status in (403, 404):  # no Kueue, or a Role without workloads
            log.debug("no Workloads for Job %s: %s", job["metadata"]["name"], exc)
            return False
        raise
    mine = [w for w in workloads if any(ref.get("uid") == uid for ref in w["metadata"].get("ownerReferences") or [])]
    for workload in mine:
        if (workload.get("spec") or {}).get("active", True) != active:
            await ctx.kube.merge_patch(workloads_path(namespace, workload["metadata"]["name"]),
                                       {"spec": {"active": active}})
    return bool(mine)
