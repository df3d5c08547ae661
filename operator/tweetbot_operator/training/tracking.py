"""spec.tracking (MLflow, W&B; chart defaults under it) -> the trainer's flags and secretKeyRef env, and what
the trainer says back about it (its termination message's `tracking`) -> status.tracking and the
TrackingDegraded condition. The operator never reads the credentials Secrets nor talks to a tracker."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tweetbot_operator.k8s.container_env import secret_env
from tweetbot_operator.k8s.events import Event, timestamp
from tweetbot_operator.settings import Settings

CONDITION = "TrackingDegraded"
WANDB_MODES = ("online", "offline")
MODEL_LOGGING = ("copy", "reference")


def effective_tracking(spec: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """spec.tracking over the chart's defaults, tracker by tracker (a spec's `mlflow` replaces the default's)."""
    defaults = settings.default_tracking or {}
    own = spec.get("tracking") or {}
    return {key: own.get(key) or defaults.get(key) for key in ("mlflow", "wandb") if own.get(key) or defaults.get(key)}


def tracking_args(spec: Mapping[str, Any], settings: Settings) -> list[str]:
    tracking = effective_tracking(spec, settings)
    args: list[str] = []
    mlflow, wandb = tracking.get("mlflow") or {}, tracking.get("wandb") or {}
    if mlflow.get("trackingURI"):
        args += ["--mlflow-tracking-uri", str(mlflow["trackingURI"])]
        if mlflow.get("experiment"):
            args += ["--mlflow-experiment", str(mlflow["experiment"])]
        if mlflow.get("logModel") in MODEL_LOGGING:
            args += ["--mlflow-log-model", str(mlflow["logModel"])]
    if wandb.get("project"):
        args += ["--wandb-project", str(wandb["project"])]
        if wandb.get("entity"):
            args += ["--wandb-entity", str(wandb["entity"])]
        if wandb.get("mode") in WANDB_MODES:
            args += ["--wandb-mode", str(wandb["mode"])]
    return args


def tracking_env(spec: Mapping[str, Any], settings: Settings) -> list[dict[str, Any]]:
    """The clients' own credential variables, from the user's Secrets (secretKeyRef only)."""
    tracking = effective_tracking(spec, settings)
    env: list[dict[str, Any]] = []
    mlflow, wandb = tracking.get("mlflow") or {}, tracking.get("wandb") or {}
    ref = mlflow.get("credentialsSecret") or {}
    if mlflow.get("trackingURI") and ref.get("name"):
        if ref.get("tokenKey"):
            env.append(secret_env("MLFLOW_TRACKING_TOKEN", ref["name"], ref["tokenKey"]))
        else:
            env.append(secret_env("MLFLOW_TRACKING_USERNAME", ref["name"], ref.get("usernameKey") or "username"))
            env.append(secret_env("MLFLOW_TRACKING_PASSWORD", ref["name"], ref.get("passwordKey") or "password"))
    key_ref = wandb.get("apiKeySecret") or {}
    if wandb.get("project") and key_ref.get("name"):
        env.append(secret_env("WANDB_API_KEY", key_ref["name"], key_ref.get("key") or "apiKey"))
    return env


def tracking_status(old: Mapping[str, Any], result: Mapping[str, Any] | None) -> dict[str, Any]:
    """status.tracking of the run whose success message is `result`; else as it was."""
    reported = (result or {}).get("tracking")
    if not isinstance(reported, Mapping):
        return {"tracking": old["tracking"]} if old.get("tracking") else {}
    fields = {key: str(reported[key])[:1024] for key in ("url", "degraded") if reported.get(key)}
    return {"tracking": fields} if fields else {}


def tracking_condition(status: Mapping[str, Any], old: Mapping[str, Any], generation: int,
                       now: datetime) -> list[dict[str, Any]]:
    """TrackingDegraded: True while the last run's tracker was down; False once one tracked fine; absent
    for TweetBots that never tracked."""
    tracking = status.get("tracking")
    before = next((cnd for cnd in old.get("conditions") or [] if cnd.get("type") == CONDITION), None)
    if not tracking and before is None:
        return []
    degraded = (tracking or {}).get("degraded")
    value = "True" if degraded else "False"
    return [{
        "type": CONDITION,
        "status": value,
        "reason": CONDITION if degraded else "TrackingOK",
        "message": f"the run went on without its tracker: {degraded}" if degraded else "",
        "observedGeneration": generation,
        "lastTransitionTime": before.get("lastTransitionTime") if before and before.get("status") == value
        and before.get("lastTransitionTime") else timestamp(now),
    }]


def tracking_events(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Event]:
    """A Warning when a run's tracker was down (each time the reason changes)."""
    def degraded(status: Mapping[str, Any]) -> str | None:
        return ((status.get("tracking") or {}).get("degraded")) or None

    now_degraded = degraded(new)
    if not now_degraded or (now_degraded == degraded(old) and old.get("runId") == new.get("runId")):
        return []
    return [Event("Warning", CONDITION, f"run {new.get('runId')}: the run went on without its tracker: "
                  f"{now_degraded}"[:1024])]
