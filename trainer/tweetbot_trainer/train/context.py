"""What every phase of a training run shares: the run's settings and handles, the phase timer, the outcome."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.publish.tracking.tracking import Tracking
from tweetbot_trainer.report import Reporter
from tweetbot_trainer.s3 import S3Uri
from tweetbot_trainer.train.batching import BatchPlan
from tweetbot_trainer.train.checkpoint import CheckpointStore, TrainState


@dataclass
class Outcome:
    interrupted: bool
    summary: dict[str, Any] = field(default_factory=dict)  # the termination message's fields


class PhaseTimer:
    """Wall time of each phase, reported as it starts."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self.seconds: dict[str, float] = {}
        self._current: tuple[str, float] | None = None

    def start(self, phase: str) -> None:
        self.stop()
        self.reporter.phase(phase)
        self._current = (phase, time.perf_counter())

    def stop(self) -> None:
        if self._current is not None:
            name, began = self._current
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - began, 3)
            self._current = None


@dataclass
class RunContext:
    """One run's fixed parts: set up once by `run_training`, read by every phase."""

    config: TrainConfig
    data_dir: Path
    workdir: Path  # temporary; gone when the run returns
    accelerator: Any
    reporter: Reporter  # a NullReporter on every process but the main one
    timer: PhaseTimer
    client: Any  # boto3 S3 client
    run_uri: S3Uri
    store: CheckpointStore
    data_stats: dict[str, Any]
    started: float  # wall clock when the job began (prepare included)
    tracking: Tracking = field(default_factory=Tracking)  # MLflow / W&B on the main process; none elsewhere

    @property
    def main(self) -> bool:
        return bool(self.accelerator.is_main_process)


@dataclass
class TokenizedData:
    train: torch.Tensor  # [n_blocks, block_size] token ids
    eval: torch.Tensor
    block_size: int
    batches: BatchPlan
    steps_per_epoch: int
    total_steps: int
    gradient_checkpointing: bool = False
    compile: bool = False  # torch.compile the training graph (the plan's decision)
    compile_key: str = ""  # its shapes in the compile cache (train.compile_policy.shape_key)

    def hyperparameters(self, config: TrainConfig) -> dict[str, Any]:
        """The config's, with what the run picked (block size capped by the model, the batch plan)."""
        return {**config.hyperparameters(), "block_size": self.block_size, "batch_size": self.batches.micro,
                "gradient_accumulation": self.batches.accum, "global_batch_size": self.batches.global_batch,
                "gradient_checkpointing": self.gradient_checkpointing}


@dataclass
class TrainedModel:
    """What the train phase hands to eval and publish."""

    model: Any  # as prepared by accelerate (maybe compiled)
    tokenizer: Any
    optimizer: Any
    state: TrainState
    rng: dict[str, Any] | None = None  # RNG states from the checkpoint resumed, restored right before step one
    eval_model: Any = None  # the model uncompiled: eval batches have other shapes than the training graph
    parameters: dict[str, Any] = field(default_factory=dict)  # lora.parameter_summary, before a merge changes it
