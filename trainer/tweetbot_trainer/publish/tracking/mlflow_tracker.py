"""MLflow through its official client (MlflowClient: no global active run). Credentials are the client's own
variables (MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN), read by it, never logged by us."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tweetbot_trainer.publish.tracking.settings import TrackingSettings
from tweetbot_trainer.publish.tracking.tracking import RunIdentity

RUN_TAG = "tweetbot.run_id"
MAX_PARAM = 6000  # characters MLflow keeps of a param value
_KEY = re.compile(r"[^\w\-. /]")
_STATUS = {"succeeded": "FINISHED", "failed": "FAILED", "interrupted": "KILLED"}


def metric_key(name: str) -> str:
    return _KEY.sub("_", name)[:250]


def run_page(tracking_uri: str, experiment_id: str, run_id: str) -> str | None:
    """The run's page on an http(s) server, without any user info the URI carries."""
    parts = urlsplit(tracking_uri)
    if parts.scheme not in {"http", "https"}:
        return None
    base = urlunsplit((parts.scheme, parts.hostname + (f":{parts.port}" if parts.port else ""), parts.path.rstrip("/"),
                       "", "")) if parts.hostname else tracking_uri
    return f"{base}/#/experiments/{experiment_id}/runs/{run_id}"


class MlflowTracker:
    name = "mlflow"

    def __init__(self, settings: TrackingSettings) -> None:
        self.settings = settings
        # The client's own bounds (read at each request): a server that is down costs seconds, not the
        # default minutes of retries with backoff. A user's explicit values win.
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", str(max(1, int(settings.timeout))))
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "1")
        self.client: Any = None
        self.experiment_id = ""
        self.run_id = ""
        self.known_params: dict[str, str] = {}

    def start(self, run: RunIdentity) -> None:
        from mlflow.tracking import MlflowClient

        assert self.settings.mlflow_tracking_uri
        self.client = MlflowClient(tracking_uri=self.settings.mlflow_tracking_uri)
        experiment = self.client.get_experiment_by_name(self.settings.mlflow_experiment)
        self.experiment_id = (experiment.experiment_id if experiment is not None
                              else self.client.create_experiment(self.settings.mlflow_experiment))
        # A retried attempt of the same TweetBot run continues its MLflow run (run ids are [a-z0-9-._]).
        found = self.client.search_runs([self.experiment_id], filter_string=f"tags.`{RUN_TAG}` = '{run.run_id}'",
                                        max_results=1)
        if found:
            self.run_id = found[0].info.run_id
            self.known_params = dict(found[0].data.params)
            self.client.update_run(self.run_id, status="RUNNING")
        else:
            created = self.client.create_run(self.experiment_id, run_name=run.run_id,
                                             tags={RUN_TAG: run.run_id, "tweetbot.bot": run.bot})
            self.run_id = created.info.run_id

    def url(self) -> str | None:
        assert self.settings.mlflow_tracking_uri
        return run_page(self.settings.mlflow_tracking_uri, self.experiment_id, self.run_id)

    def log_params(self, params: Mapping[str, Any]) -> None:
        from mlflow.entities import Param

        # Params are immutable in MLflow: a resumed run logs only what it did not log before.
        fresh = {metric_key(k): str(v)[:MAX_PARAM] for k, v in params.items()}
        fresh = {k: v for k, v in fresh.items() if k not in self.known_params}
        items = [Param(k, v) for k, v in fresh.items()]
        for start in range(0, len(items), 100):  # the server's limit per batch
            self.client.log_batch(self.run_id, params=items[start : start + 100])
        self.known_params.update(fresh)

    def log_metrics(self, metrics: Mapping[str, float], step: int) -> None:
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        self.client.log_batch(self.run_id, metrics=[Metric(metric_key(k), float(v), now, step)
                                                    for k, v in metrics.items()])

    def log_files(self, paths: Sequence[Path], folder: str) -> None:
        for path in paths:
            if path.is_dir():
                self.client.log_artifacts(self.run_id, str(path), artifact_path=f"{folder}/{path.name}")
            else:
                self.client.log_artifact(self.run_id, str(path), artifact_path=folder)

    def log_model(self, model_dir: Path, model_uri: str) -> None:
        self.client.set_tag(self.run_id, "tweetbot.model_uri", model_uri)
        if self.settings.mlflow_log_model == "copy":
            self.client.log_artifacts(self.run_id, str(model_dir), artifact_path="model")

    def finish(self, status: str) -> None:
        self.client.set_terminated(self.run_id, status=_STATUS.get(status, "FAILED"))
