"""Two "nodes" of one training group: a hand-written Indexed Job (what the operator renders for `nodes: 2`) with a
headless Service, run by the local kubelet with the real trainer and a real S3. One Job runs through; the other
loses its index-1 pod to a SIGKILL after a checkpoint: index 0 sees the lost peer (reason PeerLost, exit code 1:
counted, like the SIGKILL), both indexes get new pods, resume from the checkpoint and end with the same model."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import pytest

from tests.reliability.conftest import json_events
from tests.support.k8s_fixtures import eventually
from tests.support.local_kubelet import LocalKubelet
from tests.support.s3server import S3Server
from tests.system.conftest import NS, SAMPLE_ARCHIVE

pytestmark = pytest.mark.slow
STEPS, EVERY = 40, 10
POLICY = {"rules": [{"action": "FailJob", "onExitCodes": {"containerName": "trainer", "operator": "In", "values": [2]}},
                    {"action": "Ignore", "onExitCodes": {"containerName": "trainer", "operator": "In", "values": [75]}},
                    {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]}


def group_job(name: str, s3: S3Server, bucket: str, model: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Indexed Job of a two-node run and its headless Service (named like the Job)."""
    args = ["run", "--user", "sample", "--source", "archive", "--source-uri", f"s3://{bucket}/archives/{{user}}.js",
            "--base-model", model, "--output", f"s3://{bucket}/bots/", "--run-id", name, "--s3-endpoint",
            s3.endpoint_url, "--epochs", "50", "--max-steps", str(STEPS), "--checkpoint-every", str(EVERY),
            "--block-size", "32", "--batch-size", "2", "--learning-rate", "2e-3", "--precision", "fp32",
            "--nnodes", "2", "--node-rank", "$(JOB_COMPLETION_INDEX)", "--master-addr", f"{name}-0.{name}",
            "--master-port", "29500", "--termination-log", "/dev/termination-log"]
    container = {"name": "trainer", "image": "tweetbot-trainer", "command": ["tweetbot-train"], "args": args,
                 "ports": [{"name": "rendezvous", "containerPort": 29500}],
                 "env": [{"name": "AWS_ACCESS_KEY_ID", "value": s3.access_key},
                         {"name": "AWS_SECRET_ACCESS_KEY", "value": s3.secret_key}],
                 "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "FallbackToLogsOnError"}
    labels = {"tweetbot.io/run": name}
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "namespace": NS},
           "spec": {"completionMode": "Indexed", "completions": 2, "parallelism": 2, "backoffLimit": 3,
                    "podFailurePolicy": POLICY, "template": {"metadata": {"labels": labels}, "spec": {
                        "restartPolicy": "Never", "subdomain": name, "terminationGracePeriodSeconds": 20,
                        "containers": [container]}}}}
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": NS},
               "spec": {"clusterIP": "None", "publishNotReadyAddresses": True, "selector": labels,
                        "ports": [{"name": "rendezvous", "port": 29500}]}}
    return job, service


def finished(cluster: Any, name: str) -> Any:
    status = (cluster.read("batch/v1/jobs", NS, name) or {}).get("status") or {}
    return any(c["type"] in {"Complete", "Failed"} for c in status.get("conditions") or []) and status


def run_files(s3: Any, bucket: str, run: str) -> tuple[dict[str, Any], str]:
    metrics = json.loads(s3.get_object(Bucket=bucket, Key=f"bots/{run}/metrics.json")["Body"].read())
    weights = s3.get_object(Bucket=bucket, Key=f"bots/{run}/model.safetensors")["Body"].read()
    return metrics, hashlib.sha256(weights).hexdigest()


async def test_two_nodes_train_one_model_and_resume_together_after_losing_one(
        s3_server: S3Server, tiny_model_uri: str, cluster, client, kubelet: LocalKubelet) -> None:
    s3, bucket = s3_server.client(), s3_server.new_bucket("bots")
    s3.upload_file(str(SAMPLE_ARCHIVE), bucket, "archives/sample.js")
    for name in ("calm", "hit"):
        job, service = group_job(name, s3_server, bucket, tiny_model_uri)
        await client.create(f"/api/v1/namespaces/{NS}/services", service)
        await client.create(f"/apis/batch/v1/namespaces/{NS}/jobs", job)

    def checkpointed() -> Any:  # index 0's first pod (rank 0) has written a checkpoint and trains on
        logs = kubelet.logs("hit")
        first = next((log for pod, log in logs if pod.startswith("hit-0-")), "")
        return json_events(first, "checkpoint") and json_events(first, "progress")[-1]["step"] > EVERY and logs

    logs = await eventually(checkpointed, timeout=240, interval=0.05)
    [victim] = [pod for pod, _ in logs if pod.startswith("hit-1-")]
    await asyncio.to_thread(kubelet.kill_pod, victim, grace=0)  # SIGKILL: a node lost, no last checkpoint

    calm = await eventually(lambda: finished(cluster, "calm"), timeout=300, interval=0.5)
    hit = await eventually(lambda: finished(cluster, "hit"), timeout=300, interval=0.5)
    assert calm["conditions"][-1]["type"] == "Complete", (calm, kubelet.errors)
    assert hit["conditions"][-1]["type"] == "Complete", (hit, kubelet.logs("hit")[-1][1][-3000:])
    assert (hit["completedIndexes"], hit["failed"]) == ("0,1", 2)  # the SIGKILLed pod and the peer that lost it

    pods = {p["metadata"]["name"]: p for p in cluster.list_objects("v1/pods", NS)}
    hit_logs = kubelet.logs("hit")
    assert sorted(pod[:5] for pod, _ in hit_logs) == ["hit-0", "hit-0", "hit-1", "hit-1"]  # a new pod each
    lost = next(pod for pod, _ in hit_logs if pod.startswith("hit-0-"))
    terminated = pods[lost]["status"]["containerStatuses"][0]["state"]["terminated"]
    assert terminated["exitCode"] == 1 and json.loads(terminated["message"])["reason"] == "PeerLost"
    resumed = next(log for pod, log in reversed(hit_logs) if pod.startswith("hit-0-"))
    assert [e["step"] for e in json_events(resumed, "checkpoint") if "(resumed)" in e["uri"]] == [EVERY]
    assert json_events(resumed, "progress")[0]["step"] == EVERY + 1

    (calm_metrics, calm_weights), (hit_metrics, hit_weights) = (run_files(s3, bucket, r) for r in ("calm", "hit"))
    assert calm_metrics["processes"] == hit_metrics["processes"] == 2
    assert [s for s, _ in hit_metrics["losses"]] == list(range(1, STEPS + 1))  # every step once in the history
    assert hit_metrics["losses"] == calm_metrics["losses"] and hit_weights == calm_weights
    progress_pods = {pod[:5] for pod, log in kubelet.logs("calm") if json_events(log, "progress")}
    assert progress_pods == {"calm-"} and all(not json_events(log, "progress") for pod, log in
                                              kubelet.logs("calm") if pod.startswith("calm-1-"))
