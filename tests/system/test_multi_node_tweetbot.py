"""`resources.nodes: 2` through the whole system: the operator's headless Service and Indexed Job, the local
kubelet's two "nodes" on their own loopback addresses, the real trainer's rendezvous between them. One node is
preempted mid-run (SIGTERM with a DisruptionTarget condition): the group stops together at a checkpoint, neither
pod counts as a failure, both indexes start again and resume where they stopped, and the TweetBot succeeds."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from tweetbot_operator.k8s.client import tweetbot_path

from tests.operator.factories import status_of
from tests.reliability.conftest import json_events
from tests.support.k8s_fixtures import eventually
from tests.support.kubelet_rules import exit_code
from tests.support.local_kubelet import LocalKubelet
from tests.support.s3server import S3Server
from tests.system.conftest import NS, SAMPLE_ARCHIVE, s3_secret, tweetbot

pytestmark = pytest.mark.slow
STEPS, EVERY = 24, 8


def first_log(kubelet: LocalKubelet, job: str, index: int) -> str:
    return next((log for pod, log in kubelet.logs(job) if pod.startswith(f"{job}-{index}-")), "")


async def test_two_node_tweetbot_survives_a_preempted_node(s3_server: S3Server, tiny_model_uri: str, cluster,
                                                           client, operator, kubelet: LocalKubelet) -> None:
    s3, bucket = s3_server.client(), s3_server.new_bucket("bots")
    s3.upload_file(str(SAMPLE_ARCHIVE), bucket, "archives/sample.js")
    await client.create(f"/api/v1/namespaces/{NS}/secrets", s3_secret(s3_server))
    body = tweetbot("pair", archive_uri=f"s3://{bucket}/archives/{{user}}.js", base_model=tiny_model_uri,
                    output=f"s3://{bucket}/bots/pair/", endpoint=s3_server.endpoint_url, maxSteps=STEPS,
                    checkpointEvery=EVERY, epochs=50, blockSize=32, batchSize=2)
    body["spec"]["resources"] = {"gpus": 0, "nodes": 2}
    await client.create(tweetbot_path(NS), body)

    [job] = await eventually(lambda: cluster.list_objects("batch/v1/jobs", NS), timeout=30)
    name = job["metadata"]["name"]
    service = cluster.read("v1/services", NS, job["spec"]["template"]["spec"]["subdomain"])
    assert service["spec"]["clusterIP"] == "None" and service["metadata"]["ownerReferences"][0]["name"] == "pair"

    def training_past_a_checkpoint() -> Any:
        log = first_log(kubelet, name, 0)
        return json_events(log, "checkpoint") and json_events(log, "progress")[-1]["step"] > EVERY
    await eventually(training_past_a_checkpoint, timeout=240, interval=0.05)
    running = await eventually(lambda: status_of(cluster, "pair").get("progress"), timeout=30)
    assert running["totalSteps"] == STEPS  # from rank 0's log
    [victim] = [pod for pod, _ in kubelet.logs(name) if pod.startswith(f"{name}-1-")]
    await asyncio.to_thread(kubelet.kill_pod, victim, disruption=True)  # preemption: SIGTERM, then the grace

    final = await eventually(lambda: status_of(cluster, "pair").get("phase") in {"Succeeded", "Failed"}
                             and status_of(cluster, "pair"), timeout=300, interval=0.5)
    assert final["phase"] == "Succeeded", (final, kubelet.errors, kubelet.logs(name)[-1][1][-3000:])
    ended = [(p["metadata"]["name"], (p["status"]["containerStatuses"][0]["state"].get("terminated") or {}).get(
        "exitCode")) for p in cluster.list_objects("v1/pods", NS)]
    # 143 + 75 of the preempted group: neither counted. Once index 0 succeeds (successPolicy) the Job controller
    # deletes the pods still running; a rank 1 still exiting then ends with SIGTERM's 143 and counts, as the
    # Job controller counts a deleted pod that had not succeeded (job_controller.go isPodFailed).
    stopped_late = [r.name for r in kubelet._pods.values()
                    if r.job_name == name and r.deleting and exit_code(r) != 0]
    failed = cluster.read("batch/v1/jobs", NS, name)["status"].get("failed", 0)
    assert failed == len(stopped_late) <= 1, (ended, stopped_late)
    pods = sorted(pod[: len(name) + 2] for pod, _ in kubelet.logs(name))
    assert pods == [f"{name}-0", f"{name}-0", f"{name}-1", f"{name}-1"]  # the whole group started again

    first = {pod["metadata"]["name"][: len(name) + 2]: pod for pod in cluster.list_objects("v1/pods", NS)
             if pod["metadata"]["name"] in {p for p, _ in kubelet.logs(name)[:2]}}
    codes = {index: pod["status"]["containerStatuses"][0]["state"]["terminated"] for index, pod in first.items()}
    assert codes[f"{name}-1"]["exitCode"] == 143  # preempted: checkpointed after SIGTERM
    assert (codes[f"{name}-0"]["exitCode"], json.loads(codes[f"{name}-0"]["message"])["reason"]) == (75, "PeerStopped")
    stopped_at = json_events(first_log(kubelet, name, 0), "checkpoint")[-1]["step"]  # the stop's checkpoint
    resumed = next(log for pod, log in reversed(kubelet.logs(name)) if pod.startswith(f"{name}-0-"))
    assert json_events(resumed, "progress")[0]["step"] == stopped_at + 1  # no step trained twice
    run_key = final["modelURI"].removeprefix(f"s3://{bucket}/")
    metrics = json.loads(s3.get_object(Bucket=bucket, Key=run_key + "metrics.json")["Body"].read())
    assert metrics["processes"] == 2 and [s for s, _ in metrics["losses"]] == list(range(1, STEPS + 1))
