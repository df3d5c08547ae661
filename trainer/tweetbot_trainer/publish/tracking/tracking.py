"""The trackers of one run behind one guarded front: a tracker that fails or does not answer in time is dropped
for the rest of the run (one bounded wait, not one per step) and named in the summary's `degraded`; the run goes on.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tweetbot_trainer.publish.tracking.settings import TrackingSettings

# Variables whose values must never reach a log line, a reason or the tracker (they hold credentials).
SECRET_ENV = ("MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN", "WANDB_API_KEY", "AWS_SECRET_ACCESS_KEY")
# Uploads (the model folder with `copy`) may take long; other calls are small requests.
UPLOAD_TIMEOUT = 1800.0
_USERINFO = re.compile(r"//[^/@\s]*@")


@dataclass(frozen=True)
class RunIdentity:
    run_id: str  # the TweetBot run id: one tracker run per run id, resumed by a retried attempt
    bot: str  # the TweetBot's name: W&B artifacts are versioned under it


class Tracker(Protocol):
    """One tracking backend; every call may raise (Tracking guards them)."""

    name: str

    def start(self, run: RunIdentity) -> None: ...
    def url(self) -> str | None: ...
    def log_params(self, params: Mapping[str, Any]) -> None: ...
    def log_metrics(self, metrics: Mapping[str, float], step: int) -> None: ...
    def log_files(self, paths: Sequence[Path], folder: str) -> None: ...
    def log_model(self, model_dir: Path, model_uri: str) -> None: ...
    def finish(self, status: str) -> None: ...  # succeeded | failed | interrupted


def scrub(text: str) -> str:
    """One line of at most 200 characters without credentials (URL user info, the secret variables' values)."""
    line = _USERINFO.sub("//", " ".join(text.split()))
    for name in SECRET_ENV:
        value = os.environ.get(name)
        if value:
            line = line.replace(value, "***")
    return line[:200]


def bounded(call: Callable[[], Any], seconds: float) -> None:
    """`call()` in a daemon thread; TimeoutError when it has not returned in `seconds` (it is left behind)."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            call()
        except BaseException as exc:  # handed to the caller's thread
            errors.append(exc)

    worker = threading.Thread(target=target, name="tweetbot-tracking", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"no answer in {seconds:g} s")
    if errors:
        raise errors[0]


class Tracking:
    """The run's trackers; a no-op with none."""

    def __init__(self, trackers: Sequence[Tracker] = (), timeout: float = TrackingSettings.timeout) -> None:
        self.live = list(trackers)
        self.enabled = bool(self.live)
        self.timeout = timeout
        self.degraded: dict[str, str] = {}
        self.urls: dict[str, str] = {}

    def _each(self, what: str, call: Callable[[Tracker], Any], timeout: float | None = None) -> None:
        for tracker in list(self.live):
            try:
                bounded(lambda t=tracker: call(t), timeout or self.timeout)  # type: ignore[misc]
            except Exception as exc:
                reason = scrub(f"{what}: {type(exc).__name__}: {exc}")
                self.degraded[tracker.name] = reason
                self.live.remove(tracker)
                print(f"[tweetbot] tracking with {tracker.name} degraded, the run goes on: {reason}",
                      file=sys.stderr, flush=True)

    def start(self, run: RunIdentity) -> None:
        self._each("start", lambda t: t.start(run))
        for tracker in self.live:
            url = tracker.url()
            if url:
                self.urls[tracker.name] = url

    @property
    def url(self) -> str | None:
        return next(iter(self.urls.values()), None)

    def log_params(self, params: Mapping[str, Any]) -> None:
        self._each("params", lambda t: t.log_params(params))

    def log_metrics(self, metrics: Mapping[str, float], step: int) -> None:
        self._each("metrics", lambda t: t.log_metrics(metrics, step))

    def log_files(self, paths: Sequence[Path], folder: str) -> None:
        self._each(f"{folder} files", lambda t: t.log_files(paths, folder), UPLOAD_TIMEOUT)

    def log_model(self, model_dir: Path, model_uri: str) -> None:
        self._each("model", lambda t: t.log_model(model_dir, model_uri), UPLOAD_TIMEOUT)

    def finish(self, status: str) -> None:
        self._each("finish", lambda t: t.finish(status), UPLOAD_TIMEOUT)

    def offline_dirs(self) -> dict[str, Path]:
        """Tracker name -> its offline run's folder (W&B offline), of the trackers still live."""
        found = {t.name: getattr(t, "offline_dir", lambda: None)() for t in self.live}
        return {name: folder for name, folder in found.items() if folder is not None}

    def keep_offline(self, upload: Callable[[Path], Any]) -> None:
        """Hands each offline run's folder to `upload` once the run is finished: the pod's disk goes with the pod."""
        folders = self.offline_dirs()
        self._each("offline upload", lambda t: upload(folders[t.name]) if t.name in folders else None,
                   UPLOAD_TIMEOUT)

    def summary(self) -> dict[str, Any]:
        """The termination message's `tracking`: the run's page, and why a tracker dropped out."""
        out: dict[str, Any] = {}
        if self.url:
            out["url"] = self.url
        if len(self.urls) > 1:
            out["urls"] = dict(self.urls)
        if self.degraded:
            out["degraded"] = "; ".join(f"{name}: {reason}" for name, reason in self.degraded.items())
        return out


def preload(module: str) -> None:
    """Imports a tracker's client before its bounded calls: importing mlflow or wandb takes seconds (more on a busy
    training node), which is no tracker being down. A missing client is left to the tracker's start to report."""
    with contextlib.suppress(ImportError):
        importlib.import_module(module)


def open_tracking(settings: TrackingSettings) -> Tracking:
    """The configured trackers (their clients imported only now: optional extras)."""
    trackers: list[Tracker] = []
    if settings.mlflow_tracking_uri:
        from tweetbot_trainer.publish.tracking.mlflow_tracker import MlflowTracker

        preload("mlflow.tracking")
        trackers.append(MlflowTracker(settings))
    if settings.wandb_project:
        from tweetbot_trainer.publish.tracking.wandb_tracker import WandbTracker

        preload("wandb")
        trackers.append(WandbTracker(settings))
    return Tracking(trackers, settings.timeout)
