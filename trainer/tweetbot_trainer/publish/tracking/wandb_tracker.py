"""Weights & Biases through its official client. WANDB_API_KEY is read by the client itself; offline mode writes
the run under WANDB_DIR (default: the working directory) for a later `wandb sync`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tweetbot_trainer.publish.tracking.settings import TrackingSettings
from tweetbot_trainer.publish.tracking.tracking import RunIdentity

_ARTIFACT_NAME = re.compile(r"[^A-Za-z0-9._-]")
_EXIT_CODES = {"succeeded": 0, "interrupted": 143}


def artifact_name(name: str) -> str:
    return _ARTIFACT_NAME.sub("-", name)[:120] or "tweetbot"


class WandbTracker:
    name = "wandb"

    def __init__(self, settings: TrackingSettings) -> None:
        self.settings = settings
        self.run: Any = None
        self.bot = ""
        self.sync_dir: Path | None = None

    def start(self, run: RunIdentity) -> None:
        import wandb

        timeout = max(1, int(self.settings.timeout))
        self.bot = artifact_name(run.bot)
        # id = the TweetBot run id: a retried attempt resumes the same W&B run.
        self.run = wandb.init(
            project=self.settings.wandb_project, entity=self.settings.wandb_entity, mode=self.settings.wandb_mode,  # type: ignore[arg-type]
            id=artifact_name(run.run_id), name=run.run_id, group=self.bot, job_type="train", resume="allow",
            reinit="finish_previous", tags=["tweetbot"],
            settings=wandb.Settings(init_timeout=timeout, login_timeout=timeout, console="off", silent=True,
                                    save_code=False, disable_git=True, x_disable_stats=True),
        )
        if self.settings.wandb_mode == "offline":
            self.sync_dir = Path(self.run.settings.sync_dir)

    def offline_dir(self) -> Path | None:
        """The offline run's folder (what `wandb sync` reads); None online."""
        return self.sync_dir

    def url(self) -> str | None:
        url = self.run.url if self.run is not None else None
        return str(url) if url else None

    def log_params(self, params: Mapping[str, Any]) -> None:
        self.run.config.update(dict(params), allow_val_change=True)

    def log_metrics(self, metrics: Mapping[str, float], step: int) -> None:
        self.run.log(dict(metrics), step=step)

    def log_files(self, paths: Sequence[Path], folder: str) -> None:
        import wandb

        # huggingtweets' data artifacts: one per bot and kind, a new version per run.
        artifact = wandb.Artifact(f"{self.bot}-{folder}", type="dataset" if folder == "data" else "run-files")
        for path in paths:
            if path.is_dir():
                artifact.add_dir(str(path), name=path.name)
            else:
                artifact.add_file(str(path))
        self.run.log_artifact(artifact)

    def log_model(self, model_dir: Path, model_uri: str) -> None:
        import wandb

        artifact = wandb.Artifact(self.bot, type="model", metadata={"model_uri": model_uri, "run_id": self.run.name})
        if self.settings.mlflow_log_model == "copy":
            artifact.add_dir(str(model_dir))
        else:  # the S3 run folder by reference: not downloaded or hashed here
            artifact.add_reference(model_uri, checksum=False)
        self.run.log_artifact(artifact, aliases=["latest", self.run.name])

    def finish(self, status: str) -> None:
        self.run.finish(exit_code=_EXIT_CODES.get(status, 1))
