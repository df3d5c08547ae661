"""Experiment tracking with the real clients: a real `mlflow server` on loopback (SQLite, artifacts in the test
S3 server) gets a tiny run's params, metric histories, data, card, loss plot and model, read back through
MlflowClient; W&B offline writes the run's records, read back as wandb's own protobuf records; a tracker that
refuses connections leaves the run succeeded with `tracking.degraded`; no credential reaches a tracker."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer.cli import main as cli_main

from tests.fixtures.mlflow_server import free_port
from tests.fixtures.trainer_models import build_tiny, write_prepared
from tests.fixtures.wandb_records import records

pytest.importorskip("mlflow")
pytest.importorskip("wandb")
pytestmark = pytest.mark.slow

FAST = ["--block-size", "64", "--batch-size", "4", "--learning-rate", "1e-3", "--max-steps", "6"]
SECRETS = {"MLFLOW_TRACKING_USERNAME": "tracking-user-3f9a1c", "MLFLOW_TRACKING_PASSWORD": "tracking-pass-7d2e5b",
           "WANDB_API_KEY": "wandbkey" + "0123456789abcdef" * 2}


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("tiny") / "model", n_positions=128)


def train(tmp_path: Path, tiny_model: Path, bucket: str, run_id: str, *extra: str) -> dict[str, Any]:
    """A tiny `tweetbot-train train`; its termination message."""
    data = write_prepared(tmp_path / "data")
    termination = tmp_path / "termination-log"
    code = cli_main(["train", "--data", str(data), "--base-model", str(tiny_model), "--output",
                     f"s3://{bucket}/bots/", "--run-id", run_id, "--owner", "default/spiraltoo/uid-1", *FAST,
                     "--termination-log", str(termination), *extra])
    message = json.loads(termination.read_text())
    assert code == 0, message
    return dict(message)


def assert_no_secret(texts: list[str], where: str) -> None:
    for name, value in SECRETS.items():
        assert not any(value in text for text in texts), f"{name}'s value found in {where}"


@pytest.mark.usefixtures("s3_env")
def test_mlflow_run_has_params_metrics_artifacts_and_model(tmp_path: Path, tiny_model: Path, s3_bucket: str,
                                                           mlflow_server: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from mlflow.tracking import MlflowClient

    for name, value in SECRETS.items():  # sent by the client (the test server has no auth), never logged
        monkeypatch.setenv(name, value)
    message = train(tmp_path, tiny_model, s3_bucket, "spiraltoo-g1", "--mlflow-tracking-uri", mlflow_server,
                    "--mlflow-experiment", "bots", "--mlflow-log-model", "copy")
    assert "degraded" not in message["tracking"], message["tracking"]
    url = message["tracking"]["url"]
    assert url.startswith(f"{mlflow_server}/#/experiments/")

    client = MlflowClient(tracking_uri=mlflow_server)
    experiment = client.get_experiment_by_name("bots")
    [run] = client.search_runs([experiment.experiment_id])
    assert url.endswith(f"/runs/{run.info.run_id}") and run.info.status == "FINISHED"
    params = run.data.params
    assert params["learning_rate"] == "0.001" and params["block_size"] == "64" and params["total_steps"] == "6"
    assert params["data.spiraltoo.kept"] == "600" and params["data.spiraltoo.downloaded"] == "1000"
    assert {"mixed_precision", "device", "gpu", "processes", "trainableParameters"} <= set(params)
    assert run.data.tags["tweetbot.run_id"] == "spiraltoo-g1" and run.data.tags["tweetbot.bot"] == "spiraltoo"
    losses = client.get_metric_history(run.info.run_id, "train/loss")
    assert [m.step for m in losses] == [1, 2, 3, 4, 5, 6]
    rates = [m.value for m in client.get_metric_history(run.info.run_id, "train/learning_rate")]
    assert len(rates) == 6 and max(rates) == pytest.approx(1e-3) and rates[-1] < rates[0]
    assert run.data.metrics["eval/loss"] < run.data.metrics["eval/loss_before"]
    assert run.data.metrics["throughput/tokens_per_s"] > 0

    listed = {a.path for folder in ("data", "outputs", "model") for a in client.list_artifacts(run.info.run_id, folder)}
    assert {"data/train.txt", "data/eval.txt", "data/stats.json", "outputs/README.md", "outputs/loss.png",
            "outputs/metrics.json", "model/model.safetensors", "model/config.json"} <= listed
    local = Path(client.download_artifacts(run.info.run_id, "outputs", str(tmp_path / "got")))
    assert url in (local / "README.md").read_text()  # the card links the run
    stored = [json.dumps(run.data.params), json.dumps(run.data.tags)]
    stored += [p.read_text(errors="replace") for p in local.rglob("*") if p.is_file()]
    assert_no_secret(stored, "the MLflow run's params, tags or artifacts")


@pytest.mark.usefixtures("s3_env")
def test_wandb_offline_run_and_refused_mlflow_never_fail_the_run(tmp_path: Path, tiny_model: Path, s3_bucket: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("WANDB_DIR", str(tmp_path / "wandb-dir"))
    (tmp_path / "wandb-dir").mkdir()
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens: connections are refused
    started = time.monotonic()
    message = train(tmp_path, tiny_model, s3_bucket, "spiraltoo-g2", "--mlflow-tracking-uri", closed,
                    "--wandb-project", "bots", "--wandb-mode", "offline")
    elapsed = time.monotonic() - started
    assert message["status"] == "succeeded" and message["modelURI"].endswith("/spiraltoo-g2/")
    assert message["tracking"]["degraded"].startswith("mlflow: start: ")
    assert "url" not in message["tracking"]  # offline W&B has no page yet
    assert elapsed < 120, elapsed

    [log] = (tmp_path / "wandb-dir" / "wandb").glob("offline-run-*-spiraltoo-g2/run-spiraltoo-g2.wandb")
    found = list(records(log))
    config = {u.key: json.loads(u.value_json) for kind, r in found if kind == "config" for u in r.update}
    assert config["learning_rate"] == 0.001 and config["data.spiraltoo.kept"] == 600
    history = [{i.nested_key[0] if i.nested_key else i.key: json.loads(i.value_json) for i in r.item}
               for kind, r in found if kind == "history"]
    assert [h["_step"] for h in history if "train/loss" in h] == [1, 2, 3, 4, 5, 6]
    assert any("eval/loss" in h for h in history)
    artifacts = {(r.type, r.name) for kind, r in found if kind == "artifact"}
    assert {("dataset", "spiraltoo-data"), ("run-files", "spiraltoo-outputs"), ("model", "spiraltoo")} <= artifacts
    model = next(r for kind, r in found if kind == "artifact" and r.type == "model")
    assert any(e.ref == message["modelURI"] for e in model.manifest.contents)  # --mlflow-log-model reference
    assert [r.exit_code for kind, r in found if kind == "exit"] == [0]
    files = [p.read_text(errors="replace") for p in (tmp_path / "wandb-dir").rglob("*") if p.is_file()]
    assert_no_secret(files, "the W&B offline run")


def test_a_retried_attempt_continues_the_same_mlflow_run(mlflow_server: str) -> None:
    """SIGTERM ends the MLflow run as KILLED; the next attempt of the same TweetBot run resumes it (params are
    immutable in MLflow: only the new ones are logged)."""
    from mlflow.tracking import MlflowClient
    from tweetbot_trainer.publish.tracking.mlflow_tracker import MlflowTracker
    from tweetbot_trainer.publish.tracking.settings import TrackingSettings
    from tweetbot_trainer.publish.tracking.tracking import RunIdentity

    settings = TrackingSettings(mlflow_tracking_uri=mlflow_server, mlflow_experiment="retries")
    first = MlflowTracker(settings)
    first.start(RunIdentity("spiraltoo-g7", "spiraltoo"))
    first.log_params({"learning_rate": 0.001, "resumed_from_step": 0})
    first.log_metrics({"train/loss": 2.0}, 1)
    first.finish("interrupted")
    second = MlflowTracker(settings)
    second.start(RunIdentity("spiraltoo-g7", "spiraltoo"))
    second.log_params({"learning_rate": 0.001, "resumed_from_step": 1, "total_steps": 6})
    second.log_metrics({"train/loss": 1.5}, 2)
    second.finish("succeeded")

    client = MlflowClient(tracking_uri=mlflow_server)
    [run] = client.search_runs([client.get_experiment_by_name("retries").experiment_id])
    assert run.info.run_id == first.run_id == second.run_id and run.info.status == "FINISHED"
    assert run.data.params == {"learning_rate": "0.001", "resumed_from_step": "0", "total_steps": "6"}
    assert [m.value for m in client.get_metric_history(run.info.run_id, "train/loss")] == [2.0, 1.5]
