"""Prometheus metrics (served on TWEETBOT_METRICS_PORT by __main__): what the bots are doing (tweetbot_info,
tweetbot_condition), what their runs did (counters by namespace), and how the operator itself fares (reconcile
duration and errors, tweetbot_build_info). docs/design.md lists them; the chart's PrometheusRule and Grafana
dashboard use them."""

from __future__ import annotations

import platform
import threading
from collections.abc import Mapping
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

from tweetbot_operator._version import __version__
from tweetbot_operator.training.schedule import parse_time

RUNS_STARTED = Counter("tweetbot_runs_started_total", "Training Jobs the operator created", ["namespace"])
RUNS_SUCCEEDED = Counter("tweetbot_runs_succeeded_total", "Runs that ended Succeeded", ["namespace"])
RUNS_FAILED = Counter("tweetbot_runs_failed_total", "Runs that ended Failed", ["namespace", "reason"])
RUN_DURATION = Histogram(
    "tweetbot_run_duration_seconds",
    "From a run's start to its end (succeeded or failed)",
    buckets=(60, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400, float("inf")),
)
RECONCILE_ERRORS = Counter("tweetbot_reconcile_errors_total", "Reconciles that raised", ["kind"])
RECONCILE_DURATION = Histogram(
    "tweetbot_reconcile_duration_seconds", "One TweetBot's reconcile: read, sync the Job and serving, write status",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
INFO = Gauge("tweetbot_info", "1 for each TweetBot, labelled with its phase", ["namespace", "name", "phase"])
CONDITION = Gauge("tweetbot_condition", "1 when the TweetBot's condition has this status, else 0 (as "
                  "kube-state-metrics' *_status_condition)", ["namespace", "name", "condition", "status"])
BUILD_INFO = Gauge("tweetbot_build_info", "The operator's version (always 1)", ["version", "python_version"])
BUILD_INFO.labels(version=__version__, python_version=platform.python_version()).set(1)

CONDITION_STATUSES = ("True", "False", "Unknown")
Key = tuple[str, str]
_lock = threading.Lock()
_shown: dict[Key, tuple[str, frozenset[str]]] = {}  # what each TweetBot's series are now: phase, condition types


def observe_status(key: Key, status: Mapping[str, Any]) -> None:
    """tweetbot_info and tweetbot_condition for one TweetBot's status (old series removed: one phase at a time)."""
    namespace, name = key
    phase = str(status.get("phase") or "Pending")
    conditions = {str(c["type"]): str(c.get("status", "Unknown")) for c in status.get("conditions") or []
                  if isinstance(c, Mapping) and c.get("type")}
    with _lock:
        _remove(key, keep_phase=phase, keep_conditions=frozenset(conditions))
        INFO.labels(namespace=namespace, name=name, phase=phase).set(1)
        for ctype, value in conditions.items():
            for candidate in CONDITION_STATUSES:
                CONDITION.labels(namespace=namespace, name=name, condition=ctype, status=candidate).set(
                    1 if candidate == value else 0)
        _shown[key] = (phase, frozenset(conditions))


def forget(key: Key) -> None:
    """A deleted TweetBot has no series left."""
    with _lock:
        _remove(key, keep_phase=None, keep_conditions=frozenset())
        _shown.pop(key, None)


def _remove(key: Key, keep_phase: str | None, keep_conditions: frozenset[str]) -> None:
    if key not in _shown:
        return
    phase, conditions = _shown[key]
    if phase != keep_phase:
        INFO.remove(*key, phase)
    for ctype in conditions - keep_conditions:
        for candidate in CONDITION_STATUSES:
            CONDITION.remove(*key, ctype, candidate)


def count_transition(old: Mapping[str, Any], new: Mapping[str, Any], namespace: str = "") -> None:
    """Count a run that ended (once: the status moved to Succeeded or Failed, or a new run ended)."""
    same_run = old.get("runId") == new.get("runId")
    if same_run and old.get("phase") == new.get("phase"):
        return
    if new.get("phase") == "Succeeded":
        RUNS_SUCCEEDED.labels(namespace=namespace).inc()
    elif new.get("phase") == "Failed":
        reason = next((cnd["reason"] for cnd in new.get("conditions") or [] if cnd["type"] == "Failed"), "Unknown")
        RUNS_FAILED.labels(namespace=namespace, reason=reason).inc()
    else:
        return
    start, end = parse_time(new.get("startTime")), parse_time(new.get("completionTime"))
    if start and end:
        RUN_DURATION.observe(max(0.0, (end - start).total_seconds()))
