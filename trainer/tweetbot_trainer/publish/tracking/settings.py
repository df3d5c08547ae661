"""The tracking flags of `train` and `run`; credentials only ever come from the environment (never a flag: a
flag is in the pod spec and the process list)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

MODEL_LOGGING = ("copy", "reference")
WANDB_MODES = ("online", "offline")


@dataclass(frozen=True)
class TrackingSettings:
    mlflow_tracking_uri: str | None = None
    mlflow_experiment: str = "tweetbot"
    mlflow_log_model: str = "reference"  # copy: the model folder as run artifacts; reference: its S3 URI
    wandb_project: str | None = None
    wandb_entity: str | None = None
    wandb_mode: str = "online"
    timeout: float = 10.0  # seconds one tracker call may take before the tracker counts as down

    @property
    def enabled(self) -> bool:
        return bool(self.mlflow_tracking_uri or self.wandb_project)


def add_tracking_arguments(parser: argparse.ArgumentParser) -> None:
    d = TrackingSettings()
    group = parser.add_argument_group("experiment tracking (credentials from MLFLOW_TRACKING_USERNAME/PASSWORD, "
                                      "MLFLOW_TRACKING_TOKEN, WANDB_API_KEY)")
    group.add_argument("--mlflow-tracking-uri", default=None, help="log the run to this MLflow server")
    group.add_argument("--mlflow-experiment", default=d.mlflow_experiment)
    group.add_argument("--mlflow-log-model", choices=MODEL_LOGGING, default=d.mlflow_log_model,
                       help="copy: the model files as run artifacts; reference: the run folder's S3 URI")
    group.add_argument("--wandb-project", default=None, help="log the run to this W&B project")
    group.add_argument("--wandb-entity", default=None)
    group.add_argument("--wandb-mode", choices=WANDB_MODES, default=d.wandb_mode)
    group.add_argument("--tracking-timeout", type=float, default=d.timeout,
                       help="seconds a tracker call may take before the tracker counts as down (the run goes on)")


def settings_from_args(args: argparse.Namespace) -> TrackingSettings:
    return TrackingSettings(
        mlflow_tracking_uri=getattr(args, "mlflow_tracking_uri", None) or None,
        mlflow_experiment=getattr(args, "mlflow_experiment", TrackingSettings.mlflow_experiment),
        mlflow_log_model=getattr(args, "mlflow_log_model", TrackingSettings.mlflow_log_model),
        wandb_project=getattr(args, "wandb_project", None) or None,
        wandb_entity=getattr(args, "wandb_entity", None) or None,
        wandb_mode=getattr(args, "wandb_mode", TrackingSettings.wandb_mode),
        timeout=getattr(args, "tracking_timeout", TrackingSettings.timeout),
    )
