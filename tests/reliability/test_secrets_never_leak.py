"""Canaries: a TweetBot whose X bearer token and S3 secret key are unique strings, run through the whole system
(operator, local kubelet, real trainer, a real S3 server that only accepts that secret key). Neither string may
appear anywhere but the Secrets: operator logs, Events, the TweetBot, Jobs and Pods (env only as secretKeyRef),
the trainer pod's log and termination message, and everything the run uploads to S3.

Positive controls keep the checks honest: the X API really received the token, and S3 really took the key."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tweetbot_operator.k8s.client import tweetbot_path
from tweetbot_trainer.data.sources.http import JsonHttpClient

from tests.operator.factories import condition_of, status_of
from tests.reliability.conftest import pod_logs, serve_sample_timeline, x_api_tweetbot
from tests.support.http_replay import RecordedRequest, ReplayServer
from tests.support.k8s_fixtures import eventually
from tests.support.local_kubelet import LocalKubelet
from tests.support.s3server import S3Server
from tests.system.conftest import NS, secret

pytestmark = pytest.mark.slow
TOKEN = f"canary-x-token-{uuid.uuid4().hex}"
S3_KEY = f"canary-s3-secret-{uuid.uuid4().hex}"
S3_ID = "canary-access"
CANARIES = (TOKEN, S3_KEY)
TOKEN_ENV = "X_BEARER_TOKEN"


@pytest.fixture(scope="module")
def canary_s3(tmp_path_factory: pytest.TempPathFactory, s3_server: S3Server, tiny_model_uri: str
              ) -> Iterator[tuple[S3Server, str]]:
    """An S3 server whose only identity has the canary secret key, holding a copy of the tiny base model."""
    server = S3Server(data_dir=tmp_path_factory.mktemp("canary-s3"), access_key=S3_ID, secret_key=S3_KEY)
    server.start()
    try:
        source, target = s3_server.client(), server.client()
        src_bucket, prefix = tiny_model_uri.removeprefix("s3://").split("/", 1)
        bucket = server.new_bucket("bots")
        for obj in source.list_objects_v2(Bucket=src_bucket, Prefix=prefix)["Contents"]:
            body = source.get_object(Bucket=src_bucket, Key=obj["Key"])["Body"].read()
            target.put_object(Bucket=bucket, Key="models/" + obj["Key"], Body=body)
        yield server, bucket
    finally:
        server.stop()


@pytest.fixture
def operator_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Everything the operator and kopf log, DEBUG included (kopf logs object bodies and patches there)."""
    caplog.set_level(logging.DEBUG, logger="kopf")
    caplog.set_level(logging.DEBUG, logger="tweetbot_operator")
    return caplog


async def run_bot(name: str, x_api: ReplayServer, canary_s3: tuple[S3Server, str], cluster: Any, client: Any,
                  **training: Any) -> dict[str, Any]:
    server, bucket = canary_s3
    for secret_name, data in ((f"{name}-x", {"token": TOKEN}),
                              ("s3-creds", {"AWS_ACCESS_KEY_ID": S3_ID, "AWS_SECRET_ACCESS_KEY": S3_KEY})):
        if cluster.read("v1/secrets", NS, secret_name) is None:
            await client.create(f"/api/v1/namespaces/{NS}/secrets", secret(secret_name, data))
    body = x_api_tweetbot(name, x_api.url, f"{name}-x", f"s3://{bucket}/models/tiny-gpt2/", bucket, server,
                          **training)
    await client.create(tweetbot_path(NS), body)
    return await eventually(lambda: status_of(cluster, name).get("phase") in {"Succeeded", "Failed"}
                            and status_of(cluster, name), timeout=240, interval=0.3)


def assert_no_canary(where: str, text: str) -> None:
    for canary in CANARIES:
        assert canary not in text, f"a secret value leaked into {where}"


def assert_cluster_clean(cluster: Any, kubelet: LocalKubelet, log_text: str, job_name: str) -> None:
    assert_no_canary("the operator's log", log_text)
    for resource in ("tweetbot.io/v1alpha1/tweetbots", "v1/events", "batch/v1/jobs", "v1/pods"):
        for obj in cluster.list_objects(resource, NS):
            assert_no_canary(f"{resource} {obj['metadata'].get('name')}", json.dumps(obj))
    # Secrets reach the pod only by reference.
    job = cluster.read("batch/v1/jobs", NS, job_name)
    env = {e["name"]: e for e in job["spec"]["template"]["spec"]["containers"][0]["env"]}
    for name in (TOKEN_ENV, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        assert "value" not in env[name] and env[name]["valueFrom"]["secretKeyRef"]["name"], env[name]
    logs = pod_logs(cluster, job_name)
    assert logs
    for pod, text in logs:
        assert_no_canary(f"pod {pod}'s log", text)
    for run in kubelet._pods.values():  # the termination-log files themselves, not only what the API kept
        if run.job_name == job_name and run.termination_path.exists():
            assert_no_canary(f"pod {run.name}'s termination message", run.termination_path.read_text())


def bearer_seen(x_api: ReplayServer) -> bool:
    return any(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in x_api.requests)


async def test_rejected_token_fails_clearly_and_leaks_nowhere(canary_s3, cluster, client, operator, kubelet,
                                                              operator_log) -> None:
    with ReplayServer() as x_api:
        x_api.add("/2/users/by/username/sample", {"title": "Unauthorized", "detail": "Unauthorized"}, status=401)
        status = await run_bot("denied", x_api, canary_s3, cluster, client)
        assert bearer_seen(x_api)  # the canary really went out
    failed = condition_of(status, "Failed")
    assert status["phase"] == "Failed" and failed["reason"] == "BadCredentials", failed
    assert "rejected the bearer token" in failed["message"]
    assert_cluster_clean(cluster, kubelet, operator_log.text, "denied-g1")


async def test_api_that_echoes_the_token_does_not_get_it_into_the_status(canary_s3, cluster, client, operator,
                                                                         kubelet, operator_log) -> None:
    """A hostile or broken endpoint (spec.source.xApi.url is the user's to set) quotes the Authorization header
    in its error; the trainer puts API error details in its messages, but must never put the token there."""

    def echo(request: RecordedRequest) -> dict[str, Any]:
        return {"title": "Forbidden", "detail": f"token {request.headers.get('authorization')} is not allowed"}

    with ReplayServer() as x_api:
        x_api.add("/2/users/by/username/sample", echo, status=403)
        status = await run_bot("echoed", x_api, canary_s3, cluster, client)
        assert bearer_seen(x_api)
    failed = condition_of(status, "Failed")
    assert status["phase"] == "Failed" and failed["reason"] == "BadCredentials", failed
    assert "is not allowed" in failed["message"]  # the detail is still there to read, less the token
    assert_cluster_clean(cluster, kubelet, operator_log.text, "echoed-g1")


async def test_successful_run_uploads_no_secret(canary_s3, cluster, client, operator, kubelet, operator_log,
                                                tmp_path: Path) -> None:
    server, bucket = canary_s3
    with ReplayServer() as x_api:
        serve_sample_timeline(x_api)
        status = await run_bot("quiet", x_api, canary_s3, cluster, client, maxSteps=4)
        assert bearer_seen(x_api)
    assert status["phase"] == "Succeeded", status
    assert_cluster_clean(cluster, kubelet, operator_log.text, "quiet-g1")
    s3 = server.client()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="bots/quiet/")["Contents"]]
    run = f"bots/quiet/{status['runId']}/"
    assert run + "manifest.json" in keys and run + "README.md" in keys
    for key in keys:  # model card, metrics, predictions, stats, manifest, weights: every byte
        data = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        for canary in CANARIES:
            assert canary.encode() not in data, f"a secret value leaked into s3://{bucket}/{key}"


def test_http_client_redacts_its_own_credentials_from_answers() -> None:
    with ReplayServer() as server:
        server.add("/echo", lambda r: {"detail": f"bad header {r.headers.get('authorization')}"}, status=403)
        response = JsonHttpClient(server.url, headers={"Authorization": f"Bearer {TOKEN}"}).get("/echo")
        assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert response.status == 403 and response.body == {"detail": "bad header [redacted]"}
