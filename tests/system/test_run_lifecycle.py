"""Run lifecycle with every real part (operator, local kubelet running the real trainer, real S3; the API is the
emulator, which deletes pods on a node gracefully and Jobs in the foreground as the API server documents):
a model edit stops the superseded run; a placement edit continues the same run from its checkpoint; the last good
model survives a failed retrain and keepRuns prunes after the next success; deleting a TweetBot deletes only its own
runs; the cleanup starts only once the trainer pods are gone; a time-based checkpoint survives a SIGKILL."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from tweetbot_operator.k8s.client import tweetbot_path

from tests.operator.factories import events_of, status_of
from tests.reliability.conftest import json_events
from tests.support.k8s_fixtures import eventually
from tests.support.local_kubelet import LocalKubelet
from tests.support.s3server import S3Server
from tests.system.conftest import NS, SAMPLE_ARCHIVE, s3_secret, tweetbot

pytestmark = pytest.mark.slow
TWEETBOTS = "tweetbot.io/v1alpha1/tweetbots"


class Bots:
    """One bucket with the sample archive, and TweetBots writing under s3://<bucket>/bots/."""

    def __init__(self, s3_server: S3Server, model: str, client: Any) -> None:
        self.server, self.model, self.client = s3_server, model, client
        self.s3 = s3_server.client()
        self.bucket = s3_server.new_bucket("bots")
        self.s3.upload_file(str(SAMPLE_ARCHIVE), self.bucket, "archives/sample.js")
        self.namespaces: set[str] = set()

    async def create(self, name: str, namespace: str = NS, **training: Any) -> dict[str, Any]:
        if namespace not in self.namespaces:
            secret = s3_secret(self.server)
            secret["metadata"]["namespace"] = namespace
            await self.client.create(f"/api/v1/namespaces/{namespace}/secrets", secret)
            self.namespaces.add(namespace)
        spec_extra = training.pop("spec", {})
        body = tweetbot(name, archive_uri=f"s3://{self.bucket}/archives/{{user}}.js", base_model=self.model,
                        output=f"s3://{self.bucket}/bots/", endpoint=self.server.endpoint_url, **training)
        body["metadata"]["namespace"] = namespace
        for key, value in copy.deepcopy(spec_extra).items():  # one level deep: output.keepRuns keeps output.s3
            body["spec"][key] = {**body["spec"][key], **value} if isinstance(value, dict) else value
        return dict(await self.client.create(tweetbot_path(namespace), body))

    async def edit(self, name: str, spec: dict[str, Any]) -> None:
        await self.client.merge_patch(tweetbot_path(NS, name), {"spec": spec})

    def objects(self, prefix: str = "bots/") -> set[str]:
        listed = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return {o["Key"] for o in listed.get("Contents", [])}

    def json(self, key: str) -> Any:
        return json.loads(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read())


@pytest.fixture
def bots(s3_server: S3Server, tiny_model_uri: str, client: Any) -> Bots:
    return Bots(s3_server, tiny_model_uri, client)


def ended(cluster: Any, name: str, namespace: str = NS) -> Any:
    def check() -> Any:
        status = (cluster.read(TWEETBOTS, namespace, name) or {}).get("status") or {}
        return status.get("phase") in {"Succeeded", "Failed"} and status
    return check


def progressed(kubelet: LocalKubelet, job: str, step: int, pod: int = 0) -> Any:
    def check() -> bool:
        logs = kubelet.logs(job)
        return len(logs) > pod and any(e["step"] >= step for e in json_events(logs[pod][1], "progress"))
    return check


def reasons(cluster: Any, name: str = "sample") -> list[str]:
    return [reason for _, reason, _ in events_of(cluster, name)]


async def test_a_model_edit_stops_the_superseded_run(bots: Bots, cluster, operator, kubelet: LocalKubelet) -> None:
    await bots.create("sample", maxSteps=5000, epochs=50, batchSize=2, blockSize=32)
    await eventually(progressed(kubelet, "sample-g1", 3), timeout=120, interval=0.2)
    await bots.edit("sample", {"training": {"learningRate": 1e-3}})
    await eventually(lambda: cluster.read("batch/v1/jobs", NS, "sample-g2"), timeout=30)
    # The old Job is deleted with its pods (its trainer SIGTERMed), not left holding its GPUs.
    await eventually(lambda: cluster.read("batch/v1/jobs", NS, "sample-g1") is None, timeout=60)
    assert kubelet.stopped("sample-g1")
    assert json_events(kubelet.logs("sample-g1")[0][1], "error")[-1]["reason"] == "Interrupted"
    assert "RunSuperseded" in reasons(cluster)
    [message] = [m for _, r, m in events_of(cluster, "sample") if r == "RunSuperseded"]
    g2 = cluster.read("batch/v1/jobs", NS, "sample-g2")
    assert "sample-g1" in message and g2["metadata"]["annotations"]["tweetbot.io/run-id"] in message


async def test_a_placement_edit_resumes_the_same_run(bots: Bots, cluster, operator, kubelet: LocalKubelet) -> None:
    steps = 150
    await bots.create("sample", maxSteps=steps, batchSize=2, blockSize=32)
    await eventually(progressed(kubelet, "sample-g1", 10), timeout=120, interval=0.1)
    run_id = status_of(cluster, "sample")["runId"]
    await bots.edit("sample", {"backoffLimit": 4})
    final = await eventually(ended(cluster, "sample"), timeout=300, interval=0.5)
    assert final["phase"] == "Succeeded", (final, kubelet.errors)
    assert final["runId"] == run_id and final["jobName"] == "sample-g2"
    assert final["modelURI"] == f"s3://{bots.bucket}/bots/{run_id}/"
    # g1 stopped on a SIGTERM checkpoint; g2 (same run id, new placement) started only then, and from it.
    [(_, first)] = kubelet.logs("sample-g1")
    stopped_at = [e["step"] for e in json_events(first, "checkpoint")][-1]
    [(_, second)] = kubelet.logs("sample-g2")
    resumed = [e["step"] for e in json_events(second, "checkpoint") if "(resumed)" in e["uri"]]
    assert resumed == [stopped_at] and json_events(second, "progress")[0]["step"] == stopped_at + 1
    metrics = bots.json(f"bots/{run_id}/metrics.json")
    assert [step for step, _ in metrics["losses"]] == list(range(1, steps + 1))  # every step once
    assert cluster.read("batch/v1/jobs", NS, "sample-g1") is None
    assert "RunMoved" in reasons(cluster)
    args = cluster.read("batch/v1/jobs", NS, "sample-g2")["spec"]["backoffLimit"]
    assert args == 4


async def test_the_last_good_model_survives_a_failed_retrain_and_keep_runs_prunes(
    bots: Bots, cluster, operator, kubelet: LocalKubelet
) -> None:
    await bots.create("sample", maxSteps=4, spec={"output": {"keepRuns": 1}})
    first = await eventually(ended(cluster, "sample"), timeout=240, interval=0.5)
    assert first["phase"] == "Succeeded", (first, kubelet.errors)
    good_run, good_model = first["runId"], first["modelURI"]

    # A retrain that fails (its archive is gone): the status still points at the good model, Ready stays True.
    await bots.edit("sample", {"source": {"archive": {"uri": f"s3://{bots.bucket}/archives/missing-{{user}}.js"}}})
    failed = await eventually(lambda: (s := status_of(cluster, "sample")).get("phase") == "Failed"
                              and s.get("observedGeneration") == 2 and s, timeout=240, interval=0.5)
    assert failed["modelURI"] == good_model and failed["lastSuccessfulRun"]["runId"] == good_run
    assert failed["latestRun"]["phase"] == "Failed" and failed["latestRun"]["runId"] != good_run
    assert {c["type"]: c["status"] for c in failed["conditions"]}["Ready"] == "True"
    assert failed["evalLoss"] == first["evalLoss"]

    # The next good run replaces it. keepRuns 1, but the run modelURI pointed at when this one started stays
    # (it was being served until now).
    await bots.edit("sample", {"source": {"archive": {"uri": f"s3://{bots.bucket}/archives/{{user}}.js"}}})
    third = await eventually(lambda: status_of(cluster, "sample").get("observedGeneration") == 3
                             and ended(cluster, "sample")(), timeout=240, interval=0.5)
    assert third["phase"] == "Succeeded" and third["modelURI"] != good_model
    assert third["lastSuccessfulRun"]["runId"] == third["runId"]
    assert f"bots/{good_run}/manifest.json" in bots.objects()
    # One more success: now the first run goes; the one served until then and the new one stay.
    await bots.edit("sample", {"training": {"learningRate": 1e-3}})
    fourth = await eventually(lambda: status_of(cluster, "sample").get("observedGeneration") == 4
                              and ended(cluster, "sample")(), timeout=240, interval=0.5)
    assert fourth["phase"] == "Succeeded", (fourth, kubelet.errors)
    keys = bots.objects()
    assert not any(k.startswith(f"bots/{good_run}/") for k in keys)
    assert {f"bots/{third['runId']}/manifest.json", f"bots/{fourth['runId']}/manifest.json"} <= keys


async def test_deleting_a_tweetbot_deletes_only_its_own_runs(bots: Bots, cluster, operator,
                                                             kubelet: LocalKubelet) -> None:
    await bots.create("gone", maxSteps=3, spec={"deletionPolicy": "Delete"})
    await bots.create("gone-extra", maxSteps=3)
    await bots.create("gone", namespace="other", maxSteps=3)
    bots.s3.put_object(Bucket=bots.bucket, Key="bots/gone-notes.txt", Body=b"a user's own file")
    done = [await eventually(ended(cluster, name, ns), timeout=400, interval=0.5)
            for name, ns in (("gone", NS), ("gone-extra", NS), ("gone", "other"))]
    assert all(s["phase"] == "Succeeded" for s in done), (done, kubelet.errors)
    mine, extra, twin = (s["runId"] for s in done)
    assert len({mine, extra, twin}) == 3  # same-named TweetBots in two namespaces: two run folders
    assert bots.json(f"bots/{twin}/manifest.json")["owner"]["namespace"] == "other"

    await bots.client.delete(tweetbot_path(NS, "gone"))
    await eventually(lambda: cluster.read(TWEETBOTS, NS, "gone") is None, timeout=120, interval=0.3)
    keys = bots.objects()
    assert not any(k.startswith(f"bots/{mine}/") for k in keys)
    for other in (extra, twin):
        assert f"bots/{other}/manifest.json" in keys and f"bots/{other}/model.safetensors" in keys
    assert "bots/gone-notes.txt" in keys
    assert "ArtifactsDeleted" in reasons(cluster, "gone")


async def test_the_cleanup_starts_only_after_the_trainer_pods_are_gone(bots: Bots, cluster, operator,
                                                                       kubelet: LocalKubelet) -> None:
    await bots.create("sample", maxSteps=5000, epochs=50, batchSize=2, blockSize=32, spec={"deletionPolicy": "Delete"})
    await eventually(progressed(kubelet, "sample-g1", 3), timeout=120, interval=0.2)
    run_id = status_of(cluster, "sample")["runId"]
    await bots.client.delete(tweetbot_path(NS, "sample"))
    await eventually(lambda: cluster.read(TWEETBOTS, NS, "sample") is None, timeout=120, interval=0.3)
    # The SIGTERMed trainer wrote its last checkpoint before it exited; the cleanup ran after that, so it is
    # gone too: nothing of the run is left.
    [(_, log)] = kubelet.logs("sample-g1")
    assert json_events(log, "checkpoint"), log[-2000:]
    assert kubelet.stopped("sample-g1") and kubelet.stopped("sample-delete")
    assert not any(k.startswith(f"bots/{run_id}/") for k in bots.objects())
    cleanup = kubelet.logs("sample-delete")
    assert cleanup and json_events(cleanup[0][1], "deleted")


async def test_a_time_based_checkpoint_survives_a_sigkill(bots: Bots, cluster, operator,
                                                         kubelet: LocalKubelet) -> None:
    # No step-based checkpoints: only the time-based ones (here every 0.6 s of training; 10 minutes by default).
    await bots.create("sample", maxSteps=400, batchSize=2, blockSize=32, checkpointMinutes=0.01)

    def checkpointed() -> bool:
        logs = kubelet.logs("sample-g1")
        return bool(logs) and bool(json_events(logs[0][1], "checkpoint"))

    await eventually(checkpointed, timeout=180, interval=0.1)
    [(pod, _)] = kubelet.logs("sample-g1")
    kubelet.kill_pod(pod, grace=0)  # the OOM killer, a lost node: no SIGTERM, no last checkpoint
    final = await eventually(ended(cluster, "sample"), timeout=300, interval=0.5)
    assert final["phase"] == "Succeeded", (final, kubelet.errors)
    logs = kubelet.logs("sample-g1")
    assert len(logs) == 2
    resumed = [e["step"] for e in json_events(logs[1][1], "checkpoint") if "(resumed)" in e["uri"]]
    assert resumed and resumed[0] > 0
