"""Trainer pods die under a real run (operator, local kubelet, real trainer, real S3): a SIGTERMed pod
(preemption, replaced while the operator is down) checkpoints and the Job's next pod resumes from S3; a SIGKILLed
one (OOM kill, node loss) in the middle of writing a checkpoint resumes from the newest complete one; a run that
keeps failing ends Failed after backoffLimit with the trainer's own message; a user error fails at once
(podFailurePolicy, exit code 2)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from tweetbot_operator.k8s.client import tweetbot_path

from tests.operator.factories import condition_of, events_of, status_of
from tests.reliability.conftest import job_names, json_events, pod_logs, x_api_tweetbot
from tests.support.http_replay import ReplayServer
from tests.support.k8s_fixtures import eventually
from tests.support.local_kubelet import LocalKubelet
from tests.support.s3server import S3Server
from tests.system.conftest import NS, SAMPLE_ARCHIVE, s3_secret, secret, tweetbot

pytestmark = pytest.mark.slow
MAX_STEPS, EVERY = 20, 4


def final_status(cluster: Any, name: str, timeout: float) -> Any:
    return eventually(lambda: status_of(cluster, name).get("phase") in {"Succeeded", "Failed"}
                      and status_of(cluster, name), timeout=timeout, interval=0.3)


async def log_event(cluster: Any, job: str, pod_index: int, wanted: Any, timeout: float = 120) -> dict[str, Any]:
    """Waits for the `pod_index`-th pod of `job` to log an event that `wanted` accepts; returns it."""

    def find() -> dict[str, Any] | None:
        logs = pod_logs(cluster, job)
        if len(logs) <= pod_index:
            return None
        events = [e for kind in ("progress", "checkpoint") for e in json_events(logs[pod_index][1], kind)]
        return next((e for e in events if wanted(e)), None)

    return await eventually(find, timeout=timeout, interval=0.05)


def written_checkpoints(log: str) -> list[int]:
    return [e["step"] for e in json_events(log, "checkpoint") if "(resumed)" not in e["uri"]]


def resumed_from(log: str) -> list[int]:
    return [e["step"] for e in json_events(log, "checkpoint") if "(resumed)" in e["uri"]]


async def test_killed_trainer_resumes_from_its_s3_checkpoint(s3_server: S3Server, tiny_model_uri: str, cluster,
                                                             client, operator, kubelet: LocalKubelet) -> None:
    s3 = s3_server.client()
    bucket = s3_server.new_bucket("bots")
    s3.upload_file(str(SAMPLE_ARCHIVE), bucket, "archives/sample.js")
    await client.create(f"/api/v1/namespaces/{NS}/secrets", s3_secret(s3_server))
    body = tweetbot("sample", archive_uri=f"s3://{bucket}/archives/{{user}}.js", base_model=tiny_model_uri,
                    output=f"s3://{bucket}/bots/sample/", endpoint=s3_server.endpoint_url,
                    maxSteps=MAX_STEPS, checkpointEvery=EVERY, batchSize=4, blockSize=32)
    await client.create(tweetbot_path(NS), body)
    job = "sample-g1"

    # 1. Preemption: SIGTERM after the first periodic checkpoint; the trainer checkpoints where it is and exits 143.
    await log_event(cluster, job, 0, lambda e: e["event"] == "progress" and e["step"] > EVERY)
    [(first, _)] = pod_logs(cluster, job)
    await eventually(lambda: status_of(cluster, "sample").get("phase") == "Running")
    await operator.stop()  # and the operator is away while the pod is replaced
    await asyncio.to_thread(kubelet.kill_pod, first, grace=60, disruption=True)
    first_log = pod_logs(cluster, job)[0][1]
    sigterm_step = written_checkpoints(first_log)[-1]
    assert sigterm_step > EVERY, first_log[-2000:]  # written on SIGTERM, after the first periodic one
    assert json_events(first_log, "error")[-1]["reason"] == "Interrupted"

    # 2. The next pod resumes from exactly that checkpoint. After its first periodic checkpoint, SIGKILL it (no
    #    SIGTERM, no last checkpoint) the moment it reports the step of the next one, i.e. while that checkpoint
    #    is being written: whatever part of it reached S3 has no marker and must be ignored.
    resumed = await log_event(cluster, job, 1, lambda e: e["event"] == "checkpoint" and "(resumed)" in e["uri"])
    assert resumed["step"] == sigterm_step
    await operator.start()
    assert (await eventually(lambda: status_of(cluster, "sample").get("phase") == "Running" and status_of(
        cluster, "sample")))["jobName"] == job
    periodic = await log_event(cluster, job, 1, lambda e: e["event"] == "checkpoint" and "(resumed)" not in e["uri"])
    next_one = periodic["step"] + EVERY
    await log_event(cluster, job, 1, lambda e: e["event"] == "progress" and e["step"] >= next_one)
    second = pod_logs(cluster, job)[1][0]
    await asyncio.to_thread(kubelet.kill_pod, second, grace=0)
    run = f"bots/sample/{status_of(cluster, 'sample')['runId']}/"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=run + "checkpoints/").get("Contents", [])]
    complete = sorted(int(k.split("/step-")[1].split("/")[0]) for k in keys if k.endswith("/checkpoint.json"))
    assert complete and complete[-1] in (periodic["step"], next_one), keys

    # 3. The third pod resumes from the newest complete checkpoint and finishes the run.
    status = await final_status(cluster, "sample", timeout=240)
    assert status["phase"] == "Succeeded", (status, kubelet.errors)
    logs = pod_logs(cluster, job)
    assert len(logs) == 3, [name for name, _ in logs]
    assert resumed_from(logs[2][1]) == [complete[-1]]
    assert json_events(logs[2][1], "progress")[0]["step"] == complete[-1] + 1

    # Nothing lost: the manifest is there, every step trained exactly once in the run's history, no checkpoints left.
    assert status["modelURI"] == f"s3://{bucket}/{run}"
    manifest = json.loads(s3.get_object(Bucket=bucket, Key=run + "manifest.json")["Body"].read())
    assert {"model.safetensors", "config.json", "README.md", "metrics.json"} <= {f["path"] for f in manifest["files"]}
    sizes = {o["Key"].removeprefix(run): o["Size"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=run)["Contents"]}
    assert all(sizes.get(f["path"]) == f["size"] for f in manifest["files"]), (manifest, sizes)
    metrics = json.loads(s3.get_object(Bucket=bucket, Key=run + "metrics.json")["Body"].read())
    assert [step for step, _ in metrics["losses"]] == list(range(1, MAX_STEPS + 1))
    assert s3.list_objects_v2(Bucket=bucket, Prefix=run + "checkpoints/").get("KeyCount", 0) == 0
    assert job_names(cluster) == [job]
    # The preempted pod does not count towards backoffLimit; the SIGKILLed one does.
    assert cluster.read("batch/v1/jobs", NS, job)["status"]["failed"] == 1


async def test_run_that_keeps_failing_ends_failed_with_the_trainers_message(
        s3_server: S3Server, tiny_model_uri: str, cluster, client, operator, kubelet: LocalKubelet) -> None:
    """The X API answers 503 to everything: each pod gives up (exit 1, worth a retry) until backoffLimit."""
    kubelet.extra_env["TWEETBOT_RATE_LIMIT_MAX_WAIT_S"] = "0.01"  # the trainer's own retries, without the waits
    bucket = s3_server.new_bucket("bots")
    await client.create(f"/api/v1/namespaces/{NS}/secrets", s3_secret(s3_server))
    await client.create(f"/api/v1/namespaces/{NS}/secrets", secret("x-token", {"token": "not-a-real-token"}))
    with ReplayServer() as x_api:
        x_api.add("/2/users/by/username/sample", {"title": "Service Unavailable"}, status=503)
        url = x_api.url
        body = x_api_tweetbot("flaky", url, "x-token", tiny_model_uri, bucket, s3_server)
        body["spec"]["backoffLimit"] = 1
        await client.create(tweetbot_path(NS), body)
        status = await final_status(cluster, "flaky", timeout=120)
    failed = condition_of(status, "Failed")
    assert status["phase"] == "Failed" and failed["status"] == "True"
    assert failed["reason"] == "SourceTemporaryError", failed
    assert f"{url}: HTTP 503 after 5 attempts" in failed["message"]
    job = cluster.read("batch/v1/jobs", NS, "flaky-g1")
    assert {c["type"]: c.get("reason") for c in job["status"]["conditions"]}["Failed"] == "BackoffLimitExceeded"
    assert len(pod_logs(cluster, "flaky-g1")) == 2  # the first try and one retry
    await eventually(lambda: [e for e in events_of(cluster, "flaky") if e[0] == "Warning" and "HTTP 503" in e[2]])
    # The first attempt's failure was told while the Job retried (Pending/Retrying, or Running again).
    attempt_failed = [e for e in events_of(cluster, "flaky") if e[1] == "AttemptFailed"]
    assert len(attempt_failed) == 1 and attempt_failed[0][0] == "Warning", events_of(cluster, "flaky")
    assert "SourceTemporaryError" in attempt_failed[0][2] and "HTTP 503" in attempt_failed[0][2]
    assert status["failedAttempts"] == 2


async def test_user_error_fails_at_once(s3_server: S3Server, tiny_model_uri: str, cluster, client, operator,
                                        kubelet: LocalKubelet) -> None:
    s3 = s3_server.client()
    bucket = s3_server.new_bucket("bots")
    few = [{"tweet": {"id_str": str(i), "full_text": f"only a handful of posts here, number {i}", "lang": "en",
                      "created_at": "Thu Oct 31 15:00:00 +0000 2024", "retweeted": False}} for i in range(5)]
    s3.put_object(Bucket=bucket, Key="archives/sample.js", Body=f"window.YTD.tweets.part0 = {json.dumps(few)}")
    await client.create(f"/api/v1/namespaces/{NS}/secrets", s3_secret(s3_server))
    body = tweetbot("tiny", archive_uri=f"s3://{bucket}/archives/{{user}}.js", base_model=tiny_model_uri,
                    output=f"s3://{bucket}/bots/tiny/", endpoint=s3_server.endpoint_url)
    await client.create(tweetbot_path(NS), body)
    status = await final_status(cluster, "tiny", timeout=120)
    failed = condition_of(status, "Failed")
    assert status["phase"] == "Failed" and failed["reason"] == "NotEnoughPosts"
    assert "not enough posts: @sample" in failed["message"]
    job = cluster.read("batch/v1/jobs", NS, "tiny-g1")
    assert {c["type"]: c.get("reason") for c in job["status"]["conditions"]}["Failed"] == "PodFailurePolicy"
    assert len(pod_logs(cluster, "tiny-g1")) == 1  # no retry of what no retry fixes
    assert "manifest.json" not in str(s3.list_objects_v2(Bucket=bucket).get("Contents", []))
