"""Prometheus metrics (served on TWEETBOT_METRICS_PORT by __main__)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prometheus_client import Counter, Histogram

from tweetbot_operator.training.schedule import parse_time

RUNS_STARTED = Counter("tweetbot_runs_started_total", "Training Jobs the operator created")
RUNS_SUCCEEDED = Counter("tweetbot_runs_succeeded_total", "Runs that ended Succeeded")
RUNS_FAILED = Counter("tweetbot_runs_failed_total", "Runs that ended Failed", ["reason"])
RUN_DURATION = Histogram(
    "tweetbot_run_duration_seconds",
    "From a run's start to its end (succeeded or failed)",
    buckets=(60, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400, float("inf")),
)
RECONCILE_ERRORS = Counter("tweetbot_reconcile_errors_total", "Reconciles that raised", ["kind"])


def count_transition(old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    """Count a run that ended (once: the status moved to Succeeded or Failed, or a new run ended)."""
    same_run = old.get("runId") == new.get("runId")
    if same_run and old.get("phase") == new.get("phase"):
        return
    if new.get("phase") == "Succeeded":
        RUNS_SUCCEEDED.inc()
    elif new.get("phase") == "Failed":
        reason = next((cnd["reason"] for cnd in new.get("conditions") or [] if cnd["type"] == "Failed"), "Unknown")
        RUNS_FAILED.labels(reason=reason).inc()
    else:
        return
    start, end = parse_time(new.get("startTime")), parse_time(new.get("completionTime"))
    if start and end:
        RUN_DURATION.observe(max(0.0, (end - start).total_seconds()))
