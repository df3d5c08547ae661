"""Which of a TweetBot's Jobs is its current run. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import constants as c
from .jobs import run_spec_hash


def owned_by(job: Mapping[str, Any], tb: Mapping[str, Any]) -> bool:
    uid = tb["metadata"].get("uid")
    return any(ref.get("uid") == uid for ref in (job.get("metadata") or {}).get("ownerReferences") or [])


def is_finished(job: Mapping[str, Any]) -> bool:
    return any(
        cond.get("type") in ("Complete", "Failed") and cond.get("status") == "True"
        for cond in (job.get("status") or {}).get("conditions") or []
    )


def _order(job: Mapping[str, Any]) -> tuple[int, str, str]:
    meta = job.get("metadata") or {}
    labels = meta.get("labels") or {}
    return (int(labels.get(c.LABEL_GENERATION) or 0), labels.get(c.LABEL_SLOT) or "", meta.get("name") or "")


def current_job(tb: Mapping[str, Any], jobs: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The Job this generation reports on: the newest run of this generation (scheduled ones included), else
    the newest Job of all when its run-shaping spec is unchanged (a suspend or schedule edit keeps the run);
    None when a new run must start."""
    generation = str(tb["metadata"].get("generation") or 1)
    own = [j for j in jobs if owned_by(j, tb)]
    if not own:
        return None
    this_generation = [j for j in own if (j["metadata"].get("labels") or {}).get(c.LABEL_GENERATION) == generation]
    if this_generation:
        return max(this_generation, key=_order)
    newest = max(own, key=_order)
    if (newest["metadata"].get("annotations") or {}).get(c.ANNOTATION_SPEC_HASH) == run_spec_hash(tb["spec"]):
        return newest
    return None


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
REFUSED = "the API server refused the training Job: "


def refused(tb: Mapping[str, Any]) -> bool:
    """The API server refused this generation's Job: no new attempt until the spec changes (a retry would be
    refused the same way, every few seconds, forever)."""
    status = tb.get("status") or {}
    generation = int(tb["metadata"].get("generation") or 1)
    return status.get("observedGeneration") == generation and any(
        cond.get("type") == "Failed" and cond.get("status") == "True" and cond.get("reason") == "InvalidSpec"
        and REFUSED in str(cond.get("message") or "") for cond in status.get("conditions") or [])


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
