"""Several training processes through our launcher (`--nproc-per-node 2`, gloo on CPU): one model, one set of
checkpoints and outputs, both ranks stopping at the same step on SIGTERM, exit codes that survive the launcher."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer.train.launcher import chosen_message, combined_exit_code

from tests.fixtures.trainer_models import build_tiny, json_events, sigterm_after_step, write_prepared

REPO = Path(__file__).resolve().parents[2]
SAMPLE_ARCHIVE = REPO / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"
FAST = ["--block-size", "32", "--batch-size", "2", "--learning-rate", "1e-3"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("tiny") / "model", n_positions=64)


def _env(s3_env: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **s3_env, "PYTHONPATH": os.pathsep.join([str(REPO / "trainer"), str(REPO)]),
            "OMP_NUM_THREADS": "1"}


def _object(client: Any, bucket: str, key: str) -> Any:
    return json.loads(client.get_object(Bucket=bucket, Key=key)["Body"].read())


def test_exit_codes_keep_their_meaning_through_the_launcher() -> None:
    assert combined_exit_code([0, 0]) == 0
    assert combined_exit_code([143, 143]) == 143
    assert combined_exit_code([0, 143]) == 143  # one finished as the other checkpointed: resume
    assert combined_exit_code([1, 2]) == 2  # an input error anywhere: no retry helps
    assert combined_exit_code([143, 1]) == 1
    assert combined_exit_code([137, 0]) == 1  # SIGKILLed (OOM): worth a retry
    ok = json.dumps({"status": "succeeded", "runId": "r"})
    assert chosen_message(0, [0, 0], [ok, None]) == ok
    assert json.loads(chosen_message(1, [143, 1], ["{}", None]))["reason"] == "WorkerFailed"
    assert "process 1 of 2 exited with code 1" in json.loads(chosen_message(1, [143, 1], ["{}", None]))["message"]


@pytest.mark.slow
def test_run_with_two_workers_prepares_once_and_trains_one_model(tmp_path: Path, tiny_model: Path,
                                                                 s3_bucket: str, s3_env: dict[str, str],
                                                                 s3_client: Any) -> None:
    termination = tmp_path / "termination-log"
    done = subprocess.run(
        [sys.executable, "-m", "tweetbot_trainer.cli", "run", "--user", "sample", "--source", "archive",
         "--source-uri", str(SAMPLE_ARCHIVE), "--base-model", str(tiny_model), "--output", f"s3://{s3_bucket}/b/",
         "--run-id", "two-g1", "--max-steps", "4", *FAST, "--nproc-per-node", "2",
         "--termination-log", str(termination)],
        env=_env(s3_env), capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    events = json_events(done.stdout)
    phases = [e["phase"] for e in events if e["event"] == "phase"]
    assert phases.count("prepare") == 1 and phases.count("train") == 1  # once, and rank 0 alone reports
    assert [e["event"] for e in events].count("stats") == 1
    metrics = _object(s3_client, s3_bucket, "b/two-g1/metrics.json")
    assert metrics["processes"] == 2 and metrics["steps"] == 4 and metrics["phaseSeconds"]["prepare"] > 0
    assert json.loads(termination.read_text())["status"] == "succeeded"
    keys = [o["Key"] for o in s3_client.list_objects_v2(Bucket=s3_bucket, Prefix="b/")["Contents"]]
    assert all(k.startswith("b/two-g1/") for k in keys) and "b/two-g1/manifest.json" in keys


@pytest.mark.slow
def test_sigterm_stops_both_workers_at_one_step_and_the_next_attempt_resumes(
    tmp_path: Path, tiny_model: Path, s3_bucket: str, s3_env: dict[str, str], s3_client: Any
) -> None:
    data = write_prepared(tmp_path / "data", n_train=300)
    termination = tmp_path / "termination-log"
    command = [sys.executable, "-m", "tweetbot_trainer.cli", "train", "--data", str(data), "--base-model",
               str(tiny_model), "--output", f"s3://{s3_bucket}/b/", "--run-id", "stop-g1", "--max-steps", "40",
               *FAST, "--nproc-per-node", "2", "--termination-log", str(termination)]
    proc = subprocess.Popen(command, env=_env(s3_env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = sigterm_after_step(proc, 3)  # the SIGTERM goes to the launcher
    assert proc.wait(timeout=300) == 143, proc.stderr.read()[-4000:] if proc.stderr else ""
    [checkpoint] = [e for e in seen if e["event"] == "checkpoint"]  # one set of checkpoints: rank 0's
    stopped_at = checkpoint["step"]
    assert stopped_at % 10 == 0 and stopped_at < 40  # the ranks agree at a stop check, every 10 steps
    assert json.loads(termination.read_text())["reason"] == "Interrupted"

    resumed = subprocess.run(command, env=_env(s3_env), capture_output=True, text=True, timeout=600, check=False)
    assert resumed.returncode == 0, resumed.stderr[-4000:]
    steps = [e["step"] for e in json_events(resumed.stdout) if e["event"] == "progress"]
    assert steps[0] == stopped_at + 1 and steps[-1] == 40
    metrics = _object(s3_client, s3_bucket, "b/stop-g1/metrics.json")
    assert metrics["processes"] == 2 and [s for s, _ in metrics["losses"]] == list(range(1, 41))


@pytest.mark.slow
def test_an_input_error_in_the_workers_is_exit_2_with_its_reason(tmp_path: Path, tiny_model: Path,
                                                                 s3_bucket: str, s3_env: dict[str, str]) -> None:
    data = write_prepared(tmp_path / "data", n_train=80)
    termination = tmp_path / "termination-log"
    done = subprocess.run(
        [sys.executable, "-m", "tweetbot_trainer.cli", "train", "--data", str(data), "--base-model", str(tiny_model),
         "--output", f"s3://{s3_bucket}/b/", "--run-id", "nan-g1", "--max-steps", "6", "--block-size", "32",
         "--batch-size", "2", "--learning-rate", "1e30", "--nproc-per-node", "2",
         "--termination-log", str(termination)],
        env=_env(s3_env), capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 2, done.stderr[-4000:]
    assert json.loads(termination.read_text())["reason"] == "LossDiverged"
