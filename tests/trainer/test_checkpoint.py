"""Preemption: SIGTERM mid-run writes a checkpoint to S3 and exits 143; the next attempt of the same run id
resumes from it and ends with exactly the model an uninterrupted run produces."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.trainer_models import build_tiny, write_prepared

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


def test_sigterm_checkpoints_and_resume_matches_an_uninterrupted_run(
    tmp_path: Path, s3_bucket: str, s3_env: dict[str, str], s3_client: Any
) -> None:
    model = build_tiny(tmp_path / "tiny", n_positions=64)
    data = write_prepared(tmp_path / "data", n_train=300)
    # One thread each: the two runs below overlap without fighting over the cores (and all three attempts use
    # the same thread count, so their float reductions are the same).
    env = {**os.environ, **s3_env, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "OMP_NUM_THREADS": "1"}
    termination = tmp_path / "termination-log"
    # The uninterrupted run to compare with runs meanwhile (results do not depend on the machine's load).
    straight = subprocess.Popen(_command(data, model, s3_bucket, "straight-g1", tmp_path / "t2"), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    # 1. Interrupted: SIGTERM once a few steps have run.
    proc = subprocess.Popen(_command(data, model, s3_bucket, "resume-g1", termination), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    seen: list[dict[str, Any]] = []
    for line in proc.stdout:
        if line.startswith("{"):
            seen.append(json.loads(line))
            if seen[-1]["event"] == "progress" and seen[-1]["step"] >= 3:
                proc.send_signal(signal.SIGTERM)
                break
    seen += _events(proc.stdout.read())
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
