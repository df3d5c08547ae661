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
