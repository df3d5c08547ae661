"""Training checkpoints: everything a resumed run needs to end exactly where an uninterrupted one would.

A checkpoint is a directory (model weights, optimizer state, step, RNG states, loss history) that goes to
`<run>/checkpoints/step-N/`, with `checkpoint.json` uploaded last: a step without it is incomplete and ignored.
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from tweetbot_trainer.s3 import S3Uri, delete_prefix, download_prefix, exists, list_keys, upload_files

MARKER = "checkpoint.json"


@dataclass
class TrainState:
    """The loop's own state beyond weights and optimizer."""

    step: int = 0
    losses: list[tuple[int, float]] = field(default_factory=list)  # (step, train loss) for the curve
    eval_before: float | None = None
    train_seconds: float = 0.0  # time spent in steps, summed over interrupted attempts
    tokens_seen: int = 0


def rng_state() -> dict[str, Any]:
    state: dict[str, Any] = {"torch": torch.get_rng_state(), "python": random.getstate()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"])
    random.setstate(state["python"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def trained_state_dict(model: Any) -> dict[str, torch.Tensor]:
    """What a checkpoint keeps of the model: everything in a full fine-tune; only the trainable tensors (LoRA's
    adapters, a few MB) when the rest is frozen, since the frozen base comes back from the base model itself."""
    trainable = {name for name, p in model.named_parameters() if p.requires_grad}
    state = model.state_dict()
    if len(trainable) == sum(1 for _ in model.parameters()):
        return dict(state)
    return {name: tensor for name, tensor in state.items() if name in trainable}


def load_trained_state(model: Any, state: dict[str, torch.Tensor]) -> None:
    """Loads a checkpoint's model tensors; a partial one (LoRA) must hold every trainable tensor."""
    missing, unexpected = model.load_state_dict(state, strict=False)
    trainable = {name for name, p in model.named_parameters() if p.requires_grad}
    lost = sorted(trainable & set(missing))
    if lost or unexpected:
        raise ValueError(f"checkpoint does not fit the model: missing {lost[:5]}, unexpected {unexpected[:5]}")


def save_local(directory: Path, model: Any, optimizer: Any, state: TrainState, scaler: Any = None) -> Path:
    """`scaler`: fp16's GradScaler (T4, V100), whose loss scale and growth tracker a resume needs to be exact."""
    directory.mkdir(parents=True, exist_ok=True)
    torch.save(trained_state_dict(model), directory / "model.pt")
    torch.save(optimizer.state_dict(), directory / "optimizer.pt")
    torch.save(
        {
            "step": state.step,
            "losses": state.losses,
            "eval_before": state.eval_before,
            "train_seconds": state.train_seconds,
            "tokens_seen": state.tokens_seen,
            "rng": rng_state(),
            "scaler": scaler.state_dict() if scaler is not None else None,
        },
        directory / "state.pt",
    )
    (directory / MARKER).write_text(json.dumps({"step": state.step}))
    return directory


def load_local(directory: Path, model: Any, optimizer: Any,
               scaler: Any = None) -> tuple[TrainState, dict[str, Any]]:
    """Restores weights, optimizer and fp16's loss scaler in place; returns the loop state and the RNG states
    (restore those last, right before the first step, so nothing in between consumes random numbers)."""
    # weights_only: a checkpoint is data, never code, even when someone else could write to the bucket.
    load_trained_state(model, torch.load(directory / "model.pt", map_location="cpu", weights_only=True))
    optimizer.load_state_dict(torch.load(directory / "optimizer.pt", map_location="cpu", weights_only=True))
    raw = torch.load(directory / "state.pt", map_location="cpu", weights_only=True)
    if scaler is not None and raw.get("scaler"):  # older checkpoints have none
        scaler.load_state_dict(raw["scaler"])
    state = TrainState(
        step=int(raw["step"]),
        losses=[(int(s), float(v)) for s, v in raw["losses"]],
        eval_before=raw["eval_before"],
        train_seconds=float(raw["train_seconds"]),
        tokens_seen=int(raw["tokens_seen"]),
    )
    return state, raw["rng"]


def _step_of(name: str) -> int | None:
    prefix = "step-"
    if name.startswith(prefix) and name[len(prefix) :].isdigit():
        return int(name[len(prefix) :])
    return None


@dataclass(frozen=True)
class CheckpointStore:
    """The checkpoints of one run, below `<run>/checkpoints/`."""

    client: Any
    root: S3Uri  # s3://bucket/prefix/<run-id>/checkpoints/

    def uri_of(self, step: int) -> S3Uri:
        return self.root.child(f"step-{step}").as_dir()

    def upload(self, local: Path, step: int) -> S3Uri:
        """Uploads the files, the marker last, then drops older checkpoints (one is enough to resume)."""
        dest = self.uri_of(step)
        files = sorted(p for p in local.iterdir() if p.is_file() and p.name != MARKER)
        upload_files(self.client, [(p, dest.child(p.name)) for p in files])
        upload_files(self.client, [(local / MARKER, dest.child(MARKER))])
        for other in self.steps():
            if other != step:
                delete_prefix(self.client, self.uri_of(other))
        return dest

    def steps(self) -> list[int]:
        """Steps with at least one object (from keys, not "directories": some servers keep empty ones)."""
        base = self.root.as_dir().key
        found = {_step_of(obj["Key"][len(base) :].split("/", 1)[0]) for obj in list_keys(self.client, self.root)}
        return sorted(s for s in found if s is not None)

    def newest_complete(self) -> int | None:
        for step in reversed(self.steps()):
            if exists(self.client, self.uri_of(step).child(MARKER)):
                return step
        return None

    def download(self, step: int, workdir: Path) -> Path:
        target = Path(tempfile.mkdtemp(prefix=f"step-{step}-", dir=workdir))
        download_prefix(self.client, self.uri_of(step), target)
        return target

    def clear(self) -> int:
        return delete_prefix(self.client, self.root.as_dir())
