"""What a training run logs to its trackers, and when: the plan once the model and batches are set, the losses,
learning rate and throughput as progress is reported, the eval numbers, then the data, outputs and model."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from tweetbot_trainer.publish.ownership import Owner
from tweetbot_trainer.publish.tracking.tracking import RunIdentity, Tracking
from tweetbot_trainer.report import NullReporter, Progress
from tweetbot_trainer.s3 import upload_dir
from tweetbot_trainer.train.context import Outcome, RunContext, TokenizedData, TrainedModel
from tweetbot_trainer.train.schedule import lr_at

# The run folder's files logged as outputs (the model files go with the model).
OUTPUT_FILES = ("README.md", "loss.png", "metrics.json", "predictions.json")
DATA_FILES = ("train.txt", "eval.txt", "stats.json")
OFFLINE_FOLDER = "wandb"  # the run folder's offline tracker runs (after the manifest: finished with the run)


class TrackingReporter(NullReporter):
    """Progress and eval events -> tracker metrics by step (the learning rate from the schedule: a pure function
    of the step, set once the plan is known)."""

    def __init__(self, tracking: Tracking) -> None:
        self.tracking = tracking
        self.learning_rate: Callable[[int], float] | None = None
        self.step = 0

    def progress(self, progress: Progress) -> None:
        self.step = progress.step
        metrics = {"train/loss": progress.loss, "train/epoch": progress.epoch,
                   "train/tokens_per_s": progress.tokens_per_s}
        if self.learning_rate is not None:
            metrics["train/learning_rate"] = self.learning_rate(progress.step - 1)  # the step's own rate
        self.tracking.log_metrics(metrics, progress.step)

    def evaluation(self, when: str, loss: float, perplexity: float) -> None:
        suffix = "_before" if when == "before" else ""
        self.tracking.log_metrics({f"eval/loss{suffix}": loss, f"eval/perplexity{suffix}": perplexity},
                                  0 if when == "before" else self.step)


def identity(ctx: RunContext) -> RunIdentity:
    owner = Owner.parse(ctx.config.owner) if ctx.config.owner else None
    return RunIdentity(ctx.config.run_id, owner.name if owner else ctx.config.run_id)


def plan_params(ctx: RunContext, trained: TrainedModel, data: TokenizedData) -> dict[str, Any]:
    """Hyperparameters, the plan (precision, batches, LoRA, hardware) and the data stats per user."""
    config, accelerator = ctx.config, ctx.accelerator
    cuda = accelerator.device.type == "cuda"
    params: dict[str, Any] = {
        **data.hyperparameters(config), **trained.parameters,
        "run_id": config.run_id, "total_steps": data.total_steps, "steps_per_epoch": data.steps_per_epoch,
        "train_blocks": int(data.train.shape[0]), "eval_blocks": int(data.eval.shape[0]),
        "mixed_precision": accelerator.mixed_precision, "device": str(accelerator.device),
        "gpu": torch.cuda.get_device_name(accelerator.device) if cuda else "none",
        "processes": accelerator.num_processes, "nodes": config.nnodes, "merge": config.merge,
        "resumed_from_step": trained.state.step,
    }
    for user, counts in ctx.data_stats.get("users", {}).items():
        params.update({f"data.{user}.{name}": value for name, value in counts.items()})
    return params


def log_plan(ctx: RunContext, trained: TrainedModel, data: TokenizedData) -> None:
    if not ctx.tracking.enabled:
        return
    ctx.tracking.log_params(plan_params(ctx, trained, data))
    warmup = int(ctx.config.warmup_ratio * data.total_steps)
    for reporter in reporters_of(ctx):
        reporter.learning_rate = lambda step: lr_at(step, data.total_steps, ctx.config.learning_rate, warmup)


def reporters_of(ctx: RunContext) -> list[TrackingReporter]:
    found = [ctx.reporter, *getattr(ctx.reporter, "reporters", ())]
    return [r for r in found if isinstance(r, TrackingReporter)]


def log_outputs(ctx: RunContext, summary: dict[str, Any]) -> None:
    """The cleaned text and stats, the card, loss plot and metrics, then the model (files or its S3 URI)."""
    if not ctx.tracking.enabled:
        return
    out = ctx.workdir / "out"
    ctx.tracking.log_metrics({"throughput/tokens_per_s": float(_metric(out, "tokensPerSecond")),
                              "duration_s": float(summary.get("durationSeconds") or 0.0)}, _metric(out, "steps"))
    ctx.tracking.log_files(existing(ctx.data_dir, DATA_FILES), "data")
    ctx.tracking.log_files(existing(out, OUTPUT_FILES), "outputs")
    ctx.tracking.log_model(out, str(ctx.run_uri))


def _metric(out: Path, key: str) -> Any:
    path = out / "metrics.json"
    return json.loads(path.read_text())[key] if path.is_file() else 0


def existing(folder: Path, names: tuple[str, ...]) -> list[Path]:
    return [folder / name for name in names if (folder / name).is_file()]


def tracked(ctx: RunContext, body: Callable[[], Outcome]) -> Outcome:
    """Runs the phases inside the tracker run: ended as failed on an error, killed on SIGTERM (a retried attempt
    resumes it); the outcome's summary gets `tracking` (url, degraded)."""
    if not ctx.tracking.enabled:
        return body()
    ctx.tracking.start(identity(ctx))
    try:
        outcome = body()
    except BaseException:
        ctx.tracking.finish("failed")
        raise
    ctx.tracking.finish("interrupted" if outcome.interrupted else "succeeded")
    # An offline run's files (W&B offline) beside the run's files, for `wandb sync` from anywhere.
    ctx.tracking.keep_offline(lambda folder: upload_dir(ctx.client, folder, ctx.run_uri.child(OFFLINE_FOLDER,
                                                                                              folder.name)))
    outcome.summary["tracking"] = ctx.tracking.summary()
    return outcome
