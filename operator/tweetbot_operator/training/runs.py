"""Which of a TweetBot's Jobs is its current run. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tweetbot_operator.k8s.owned import is_owned_by
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.fields import placement_hash, run_spec_hash


def is_finished(job: Mapping[str, Any]) -> bool:
    return any(
        cond.get("type") in ("Complete", "Failed") and cond.get("status") == "True"
        for cond in (job.get("status") or {}).get("conditions") or []
    )


def _order(job: Mapping[str, Any]) -> tuple[int, str, str]:
    meta = job.get("metadata") or {}
    labels = meta.get("labels") or {}
    return (int(labels.get(c.LABEL_GENERATION) or 0), labels.get(c.LABEL_SLOT) or "", meta.get("name") or "")


@dataclass(frozen=True)
class RunPlan:
    """What the reconciler does about a TweetBot's Jobs: report on `job`, or create one (`job` None) continuing
    run `continues` (a placement edit) or a new run (`continues` None); and stop the Jobs in `stop`."""

    job: Mapping[str, Any] | None
    continues: str | None = None
    replaces: str | None = None  # the Job whose run the new Job continues
    stop: list[Mapping[str, Any]] = field(default_factory=list)


def annotation(job: Mapping[str, Any], key: str) -> str | None:
    value = ((job.get("metadata") or {}).get("annotations") or {}).get(key)
    return None if value is None else str(value)


def run_of(job: Mapping[str, Any]) -> str:
    return annotation(job, c.ANNOTATION_RUN_ID) or str(job["metadata"].get("name"))


def is_succeeded(job: Mapping[str, Any]) -> bool:
    return any(cond.get("type") == "Complete" and cond.get("status") == "True"
               for cond in (job.get("status") or {}).get("conditions") or [])


def is_deleting(job: Mapping[str, Any]) -> bool:
    return bool((job.get("metadata") or {}).get("deletionTimestamp"))


def plan_run(tb: Mapping[str, Any], jobs: Sequence[Mapping[str, Any]]) -> RunPlan:
    """The newest run of this generation (scheduled ones included); else, by what the last edit changed: the
    newest Job when only in-place fields did (suspend, schedule) or when its run succeeded already; a new Job of
    the same run for a placement edit; a new run for a model edit. Every other active Job is stopped."""
    generation = str(tb["metadata"].get("generation") or 1)
    own = [j for j in jobs if is_owned_by(j, tb)]
    this_generation = [j for j in own if (j["metadata"].get("labels") or {}).get(c.LABEL_GENERATION) == generation]
    plan = RunPlan(None)
    if this_generation:
        plan = RunPlan(max(this_generation, key=_order))
    elif own:
        newest = max(own, key=_order)
        spec = tb["spec"]
        same_model = annotation(newest, c.ANNOTATION_SPEC_HASH) == run_spec_hash(spec)
        placement = annotation(newest, c.ANNOTATION_PLACEMENT_HASH)
        if same_model and (placement in (None, placement_hash(spec)) or is_succeeded(newest)):
            plan = RunPlan(newest)
        elif same_model:
            plan = RunPlan(None, continues=run_of(newest), replaces=str(newest["metadata"]["name"]))
    stop = [j for j in own if j is not plan.job and not is_finished(j) and not is_deleting(j)]
    return RunPlan(plan.job, plan.continues, plan.replaces, stop)


def last_slot_label(jobs: Sequence[Mapping[str, Any]]) -> str | None:
    slots = [(j["metadata"].get("labels") or {}).get(c.LABEL_SLOT) for j in jobs]
    present = [s for s in slots if s]
    return max(present) if present else None


def results_outlived_job(tb: Mapping[str, Any]) -> bool:
    """This generation's run finished and its Job is gone (ttlSecondsAfterFinished): the status keeps the
    results, and no new run starts for the same generation."""
    status = tb.get("status") or {}
    generation = int(tb["metadata"].get("generation") or 1)
    return bool(status.get("jobName")) and status.get("observedGeneration") == generation and status.get(
        "phase") in ("Succeeded", "Failed")


# The start of the InvalidSpec message for a Job the API server refused (reconcile writes it, `refused` reads it).
REFUSED_PREFIX = "the API server refused the training Job: "


def refused(tb: Mapping[str, Any]) -> bool:
    """The API server refused this generation's Job: no new attempt until the spec changes (a retry would be
    refused the same way, every few seconds, forever)."""
    status = tb.get("status") or {}
    generation = int(tb["metadata"].get("generation") or 1)
    return status.get("observedGeneration") == generation and any(
        cond.get("type") == "Failed" and cond.get("status") == "True" and cond.get("reason") == "InvalidSpec"
        and REFUSED_PREFIX in str(cond.get("message") or "") for cond in status.get("conditions") or [])


def awaiting_pods(job: Mapping[str, Any], pods: Sequence[Mapping[str, Any]]) -> bool:
    """The Job should have a pod and has none alive: the Job controller may be failing to create it."""
    jstatus = job.get("status") or {}
    live = [p for p in pods if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    return not (is_finished(job) or (job.get("spec") or {}).get("suspend") or jstatus.get("active") or live)


def creation_failure(events: Sequence[Mapping[str, Any]], job: Mapping[str, Any],
                     pods: Sequence[Mapping[str, Any]]) -> str | None:
    """The message of the newest FailedCreate event of this Job (missing ServiceAccount, unknown PriorityClass,
    a quota or LimitRange refusal) since its newest pod was created; None when there is none."""
    uid = (job.get("metadata") or {}).get("uid")
    since = max((str((p.get("metadata") or {}).get("creationTimestamp") or "") for p in pods), default="")
    found = [e for e in events if e.get("reason") == "FailedCreate"
             and (e.get("involvedObject") or {}).get("uid") in (None, uid) and _event_time(e) >= since]
    return str(max(found, key=_event_time).get("message") or "FailedCreate") if found else None


def _event_time(event: Mapping[str, Any]) -> str:
    return str(event.get("lastTimestamp") or event.get("eventTime") or
               (event.get("metadata") or {}).get("creationTimestamp") or "")
