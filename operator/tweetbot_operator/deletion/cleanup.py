"""deletionPolicy: Delete — what the finalizer does next, decided from the cleanup Job alone. Pure.

The finalizer never blocks forever: a failed or slow cleanup releases the TweetBot with a Warning event.
While the operator is down nothing removes the finalizer; release a stuck TweetBot by hand with
`kubectl patch tb NAME --type=merge -p '{"metadata":{"finalizers":null}}'` (its S3 artifacts then stay).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from tweetbot_operator.training.schedule import parse_time


class Step(Enum):
    CREATE = "create"  # no cleanup Job yet
    WAIT = "wait"  # running
    DONE = "done"  # artifacts deleted: release
    FAILED = "failed"  # the Job failed: release with a Warning
    TIMED_OUT = "timed-out"  # took too long: release with a Warning


def next_step(job: Mapping[str, Any] | None, now: datetime, timeout: float) -> Step:
    if job is None:
        return Step.CREATE
    for cond in (job.get("status") or {}).get("conditions") or []:
        if cond.get("status") != "True":
            continue
        if cond.get("type") in ("Complete", "SuccessCriteriaMet"):
            return Step.DONE
        if cond.get("type") in ("Failed", "FailureTarget"):
            return Step.FAILED
    created = parse_time((job.get("metadata") or {}).get("creationTimestamp"))
    if created is not None and (now - created).total_seconds() > timeout:
        return Step.TIMED_OUT
    return Step.WAIT


def failure_message(job: Mapping[str, Any]) -> str:
    for cond in (job.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Failed" and cond.get("status") == "True":
            return str(cond.get("message") or cond.get("reason") or "the cleanup Job failed")
    return "the cleanup Job failed"
