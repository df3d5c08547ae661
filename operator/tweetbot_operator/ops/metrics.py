"""Prometheus metrics (served on TWEETBOT_METRICS_PORT by __main__)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

RUNS_STARTED = Counter("tweetbot_runs_started_total", "Training Jobs the operator created")
RUNS_SUCCEEDED = Counter("tweetbot_runs_succeeded_total", "Runs that ended Succeeded")
RUNS_FAILED = Counter("tweetbot_runs_failed_total", "Runs that ended Failed", ["reason"])
RUN_DURATION = Histogram(
    "tweetbot_run_duration_seconds",
    "From a run's start to its end (succeeded or failed)",
    buckets=(60, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400, float("inf")),
)
RECONCILE_ERRORS = Counter("tweetbot_reconcile_errors_total", "Reconciles that raised", ["kind"])
