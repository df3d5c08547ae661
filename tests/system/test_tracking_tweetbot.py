"""Experiment tracking through the operator (issue 30), with every real part: two TweetBots train at once in
the local kubelet's pods. "tracked" logs to a real `mlflow server` on loopback (behind a proxy that wants the
basic-auth credentials of the TweetBot's Secret, so the Secret must reach the trainer through the pod's env) and to
W&B offline; "refused" names an MLflow server whose port refuses connections. One cluster, one operator and one
MLflow server serve both runs (they run side by side: about one run's wall time)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tweetbot_operator.k8s.client import tweetbot_path

from tests.fixtures.basic_auth_proxy import BasicAuthProxy
from tests.fixtures.mlflow_server import free_port
from tests.fixtures.wandb_records import records
from tests.operator.factories import condition_of, events_of, status_of
from tests.support.k8s_fixtures import eventually
from tests.support.s3server import S3Server
from tests.system.conftest import NS, SAMPLE_ARCHIVE, s3_secret, secret, tweetbot

pytest.importorskip("mlflow")
pytest.importorskip("wandb")
pytestmark = pytest.mark.slow

STEPS = 6
EXPERIMENT = "tweetbots-system"  # the session's MLflow server is shared with tests/trainer
USERNAME, PASSWORD = "tracker-user-51c0e2", "tracker-pass-9e4d27"
WANDB_KEY = "wandbkey" + "fedcba9876543210" * 2


@pytest.fixture(scope="module")
def mlflow(mlflow_server: str) -> Iterator[tuple[str, BasicAuthProxy]]:
    """The session's MLflow server (read back without credentials) and the proxy the TweetBot names."""
    with BasicAuthProxy(mlflow_server, USERNAME, PASSWORD) as proxy:
        yield mlflow_server, proxy


async def create_bots(s3_server: S3Server, kube: Any, model: str, proxy_uri: str) -> str:
    bucket = s3_server.new_bucket("bots")
    s3_server.client().upload_file(str(SAMPLE_ARCHIVE), bucket, "archives/sample.js")
    for body in (s3_secret(s3_server), secret("mlflow-auth", {"username": USERNAME, "password": PASSWORD}),
                 secret("wandb", {"apiKey": WANDB_KEY})):
        await kube.create(f"/api/v1/namespaces/{NS}/secrets", body)
    trackers = {
        "tracked": {"mlflow": {"trackingURI": proxy_uri, "experiment": EXPERIMENT,
                               "credentialsSecret": {"name": "mlflow-auth"}},
                    "wandb": {"project": "bots", "mode": "offline", "apiKeySecret": {"name": "wandb"}}},
        # Nothing listens on the port: every connection is refused.
        "refused": {"mlflow": {"trackingURI": f"http://127.0.0.1:{free_port()}", "experiment": EXPERIMENT}},
    }
    for name, tracking in trackers.items():
        body = tweetbot(name, archive_uri=f"s3://{bucket}/archives/{{user}}.js", base_model=model,
                        output=f"s3://{bucket}/bots/{name}/", endpoint=s3_server.endpoint_url, maxSteps=STEPS)
        body["spec"]["tracking"] = tracking
        await kube.create(tweetbot_path(NS), body)
    return bucket


async def finished(cluster: Any, name: str) -> dict[str, Any]:
    return dict(await eventually(lambda: status_of(cluster, name).get("phase") in {"Succeeded", "Failed"}
                                 and status_of(cluster, name), timeout=300, interval=0.5))


def assert_no_secret(texts: list[str], where: str) -> None:
    for value in (PASSWORD, WANDB_KEY):
        assert not any(value in text for text in texts), f"a credential found in {where}"


async def test_tracked_in_mlflow_and_wandb_offline_and_a_refused_tracker_only_degrades(
        s3_server: S3Server, tiny_model_uri: str, mlflow: tuple[str, BasicAuthProxy], cluster, client, operator,
        kubelet, tmp_path: Path) -> None:
    server_uri, proxy = mlflow
    s3 = s3_server.client()
    bucket = await create_bots(s3_server, client, tiny_model_uri, proxy.uri)
    tracked, refused = await finished(cluster, "tracked"), await finished(cluster, "refused")
    assert tracked["phase"] == "Succeeded" and refused["phase"] == "Succeeded", (tracked, refused, kubelet.errors)

    # MLflow: the run's page in the status, the run on the server (read back through MLflow's own client).
    from mlflow.tracking import MlflowClient

    assert proxy.authorized > 0 and proxy.refused == 0, (proxy.authorized, proxy.refused)  # the Secret's creds
    url = tracked["tracking"]["url"]
    assert url.startswith(f"{proxy.uri}/#/experiments/") and "degraded" not in tracked["tracking"], tracked
    assert condition_of(tracked, "TrackingDegraded")["status"] == "False"
    mlflow_client = MlflowClient(tracking_uri=server_uri)
    [run] = mlflow_client.search_runs([mlflow_client.get_experiment_by_name(EXPERIMENT).experiment_id])
    assert url.endswith(f"/runs/{run.info.run_id}") and run.info.status == "FINISHED"
    assert run.data.tags["tweetbot.run_id"] == tracked["runId"] and run.data.tags["tweetbot.bot"] == "tracked"
    assert run.data.tags["tweetbot.model_uri"] == tracked["modelURI"]
    params = run.data.params
    assert params["learning_rate"] == "0.002" and params["total_steps"] == str(STEPS)
    assert params["data.sample.kept"] == str(tracked["stats"]["sample"]["kept"])
    assert [m.step for m in mlflow_client.get_metric_history(run.info.run_id, "train/loss")] == list(range(1, 7))
    assert run.data.metrics["eval/loss"] == pytest.approx(tracked["evalLoss"], rel=1e-4)
    listed = {a.path for folder in ("data", "outputs") for a in mlflow_client.list_artifacts(run.info.run_id, folder)}
    assert {"data/train.txt", "data/eval.txt", "outputs/README.md", "outputs/loss.png"} <= listed

    # The card in S3 links the run.
    run_key = tracked["modelURI"].removeprefix(f"s3://{bucket}/")
    card = s3.get_object(Bucket=bucket, Key=run_key + "README.md")["Body"].read().decode()
    assert f"]({url})" in card

    # W&B offline: the run's files come back with the run folder, ready for `wandb sync`.
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=run_key + "wandb/").get("Contents", [])]
    [log_key] = [k for k in keys if k.endswith(f"/run-{tracked['runId']}.wandb")]
    s3.download_file(bucket, log_key, str(tmp_path / "run.wandb"))
    found = list(records(tmp_path / "run.wandb"))
    config = {u.key: json.loads(u.value_json) for kind, r in found if kind == "config" for u in r.update}
    assert config["learning_rate"] == 0.002 and config["data.sample.kept"] == tracked["stats"]["sample"]["kept"]
    history = [{i.nested_key[0] if i.nested_key else i.key: json.loads(i.value_json) for i in r.item}
               for kind, r in found if kind == "history"]
    assert [h["_step"] for h in history if "train/loss" in h] == list(range(1, 7))
    assert {("dataset", "tracked-data"), ("model", "tracked")} <= {(r.type, r.name) for kind, r in found
                                                                  if kind == "artifact"}
    assert "offline" in card and "wandb sync" in card
    wandb_texts = [s3.get_object(Bucket=bucket, Key=k)["Body"].read().decode(errors="replace") for k in keys]
    assert_no_secret([card, json.dumps(params), json.dumps(run.data.tags), *wandb_texts],
                     "the card, the MLflow run or the W&B files")

    # A tracker that refuses connections: the model is there, the run Succeeded with TrackingDegraded.
    assert refused["modelURI"] and "url" not in refused["tracking"]
    assert refused["tracking"]["degraded"].startswith("mlflow: start: ")
    degraded = condition_of(refused, "TrackingDegraded")
    assert degraded["status"] == "True" and degraded["reason"] == "TrackingDegraded"
    assert "\n" not in degraded["message"] and len(degraded["message"]) < 300, degraded["message"]
    assert condition_of(refused, "Succeeded")["status"] == "True"
    await eventually(lambda: ("Warning", "TrackingDegraded") in [(t, r) for t, r, _ in events_of(cluster, "refused")])
    refused_card = s3.get_object(Bucket=bucket, Key=refused["modelURI"].removeprefix(f"s3://{bucket}/")
                                 + "README.md")["Body"].read().decode()
    assert "training run" not in refused_card
    assert_no_secret([json.dumps(status_of(cluster, n)) for n in ("tracked", "refused")], "a status")
