"""Preemption: SIGTERM mid-run writes a checkpoint to S3 and exits 143; the next attempt of the same run id
resumes from it and ends with exactly the model an uninterrupted run produces."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import torch
from tweetbot_trainer.s3 import S3Uri, make_client
from tweetbot_trainer.train.checkpoint import CheckpointStore, TrainState, load_local, save_local

from tests.fixtures.trainer_models import build_tiny, sigterm_after_step, trainer_env, write_prepared

pytestmark = pytest.mark.slow
STEPS = 16


def _command(data: Path, model: Path, bucket: str, run_id: str, termination: Path) -> list[str]:
    return [sys.executable, "-m", "tweetbot_trainer.cli", "train", "--data", str(data), "--base-model", str(model),
            "--output", f"s3://{bucket}/bots/", "--run-id", run_id, "--max-steps", str(STEPS),
            "--block-size", "64", "--batch-size", "4", "--learning-rate", "1e-3",
            "--termination-log", str(termination)]


def _events(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _run(command: list[str], env: dict[str, str]) -> tuple[int, list[dict[str, Any]]]:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.returncode, _events(done.stdout)


def _object(client: Any, bucket: str, key: str) -> Any:
    return json.loads(client.get_object(Bucket=bucket, Key=key)["Body"].read())


def _model_sha(client: Any, bucket: str, run_id: str) -> str:
    manifest = _object(client, bucket, f"bots/{run_id}/manifest.json")
    return next(f["sha256"] for f in manifest["files"] if f["path"] == "model.safetensors")


def test_checkpoint_round_trip_restores_weights_optimizer_and_rng(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.1)
    model(torch.randn(3, 4)).sum().backward()
    optimizer.step()
    state = TrainState(step=7, losses=[(6, 1.5), (7, 1.25)], eval_before=3.0, train_seconds=2.0, tokens_seen=99)
    save_local(tmp_path / "ckpt", model, optimizer, state)
    expected_next = torch.rand(3)  # what the RNG gives right after the checkpoint

    fresh = torch.nn.Linear(4, 2)
    fresh_optimizer = torch.optim.AdamW(fresh.parameters(), lr=0.1)
    restored, rng = load_local(tmp_path / "ckpt", fresh, fresh_optimizer)
    assert restored == state
    assert torch.equal(fresh.weight, model.weight)
    assert fresh_optimizer.state_dict()["state"][0]["step"] == optimizer.state_dict()["state"][0]["step"]
    torch.rand(5)  # anything in between...
    torch.random.set_rng_state(rng["torch"])  # ...is undone by restoring the RNG
    assert torch.equal(torch.rand(3), expected_next)


@pytest.mark.usefixtures("s3_env")
def test_newest_complete_checkpoint_wins_and_older_ones_go(tmp_path: Path, s3_bucket: str, s3_client: Any) -> None:
    store = CheckpointStore(make_client(), S3Uri.parse(f"s3://{s3_bucket}/bots/r-g1/checkpoints/"))
    assert store.newest_complete() is None
    model = torch.nn.Linear(2, 2)
    optimizer = torch.optim.AdamW(model.parameters())
    store.upload(save_local(tmp_path / "a", model, optimizer, TrainState(step=5)), 5)
    store.upload(save_local(tmp_path / "b", model, optimizer, TrainState(step=10)), 10)
    assert store.steps() == [10]  # one checkpoint is enough to resume
    # A newer checkpoint whose upload was cut short (no checkpoint.json) is ignored.
    s3_client.put_object(Bucket=s3_bucket, Key="bots/r-g1/checkpoints/step-15/model.pt", Body=b"partial")
    assert store.newest_complete() == 10
    restored, _ = load_local(store.download(10, tmp_path), model, optimizer)
    assert restored.step == 10
    assert store.clear() > 0 and store.steps() == []


def test_sigterm_checkpoints_and_resume_matches_an_uninterrupted_run(
    tmp_path: Path, s3_bucket: str, s3_env: dict[str, str], s3_client: Any
) -> None:
    model = build_tiny(tmp_path / "tiny", n_positions=64)
    data = write_prepared(tmp_path / "data", n_train=300)
    # One thread each: the two runs below overlap without fighting over the cores (and all three attempts use
    # the same thread count, so their float reductions are the same).
    env = trainer_env(s3_env)
    termination = tmp_path / "termination-log"
    # The uninterrupted run to compare with runs meanwhile (results do not depend on the machine's load).
    straight = subprocess.Popen(_command(data, model, s3_bucket, "straight-g1", tmp_path / "t2"), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    # 1. Interrupted: SIGTERM once a few steps have run.
    proc = subprocess.Popen(_command(data, model, s3_bucket, "resume-g1", termination), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen = sigterm_after_step(proc, 3)
    assert proc.wait(timeout=120) == 143
    checkpoints = [e for e in seen if e["event"] == "checkpoint"]
    assert len(checkpoints) == 1
    stopped_at = checkpoints[0]["step"]
    assert 3 <= stopped_at < STEPS
    assert checkpoints[0]["uri"] == f"s3://{s3_bucket}/bots/resume-g1/checkpoints/step-{stopped_at}/"
    keys = {o["Key"] for o in s3_client.list_objects_v2(Bucket=s3_bucket, Prefix="bots/resume-g1/")["Contents"]}
    prefix = f"bots/resume-g1/checkpoints/step-{stopped_at}/"
    assert {prefix + name for name in ("model.pt", "optimizer.pt", "state.pt", "checkpoint.json")} <= keys
    assert "bots/resume-g1/manifest.json" not in keys  # not finished
    assert json.loads(termination.read_text())["reason"] == "Interrupted"

    # 2. The next attempt resumes from the checkpoint and finishes.
    _, resumed = _run(_command(data, model, s3_bucket, "resume-g1", termination), env)
    assert any(e["event"] == "checkpoint" and "(resumed)" in e["uri"] for e in resumed)
    steps = [e["step"] for e in resumed if e["event"] == "progress"]
    assert steps[0] == stopped_at + 1 and steps[-1] == STEPS
    assert not any(e["event"] == "eval" and e["when"] == "before" for e in resumed)  # kept from the first attempt
    left = s3_client.list_objects_v2(Bucket=s3_bucket, Prefix="bots/resume-g1/checkpoints/").get("KeyCount", 0)
    assert left == 0  # checkpoints go when the run finishes

    # 3. The uninterrupted run with the same settings: the same weights, bit for bit, and the same losses.
    _, straight_err = straight.communicate(timeout=300)
    assert straight.returncode == 0, straight_err[-3000:]
    assert _model_sha(s3_client, s3_bucket, "resume-g1") == _model_sha(s3_client, s3_bucket, "straight-g1")
    resumed_metrics = _object(s3_client, s3_bucket, "bots/resume-g1/metrics.json")
    straight_metrics = _object(s3_client, s3_bucket, "bots/straight-g1/metrics.json")
    assert resumed_metrics["losses"] == straight_metrics["losses"]
    for key in ("evalLossBefore", "evalLoss", "trainTokens"):
        assert resumed_metrics[key] == straight_metrics[key]
