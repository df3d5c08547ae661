"""spec.serving.runtime: kserve with the real operator (kopf, the chart's RBAC) on the emulator with KServe's CRD
installed: an InferenceService once a run succeeds, pointed at each newer run, status.serving from what KServe
writes, switching runtime in both directions, a cluster without KServe, and a second reconcile writing nothing."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator

import pytest
from tweetbot_operator.k8s.client import tweetbot_path
from tweetbot_operator.serving.dispatcher import sync_serving
from tweetbot_operator.serving.kserve import PLURAL, inferenceservices_path
from tweetbot_operator.settings import Settings

from tests.operator.factories import TB, events_of, status_of
from tests.operator.factories import succeed_job as _succeed
from tests.support.crds import INFERENCESERVICES, install_kserve
from tests.support.k8s_emulator import EmulatorThread
from tests.support.k8s_fixtures import eventually, setup_api

MODEL_1, MODEL_2 = "s3://bots/spiraltoo/spiraltoo-g1/", "s3://bots/spiraltoo/spiraltoo-g2/"
NAME = "spiraltoo-serve"


@pytest.fixture
def cluster(request: pytest.FixtureRequest) -> Iterator[EmulatorThread]:
    """The emulator with KServe's CRD installed (parametrize indirectly with False for a cluster without it)."""
    with_kserve = getattr(request, "param", True)
    thread = EmulatorThread(lambda api: (setup_api(api), with_kserve and install_kserve(api))).start()
    yield thread
    thread.stop()


def _isvc(cluster):
    return cluster.read(INFERENCESERVICES, "default", NAME)


def _storage_uri(cluster):
    return ((_isvc(cluster) or {}).get("spec", {}).get("predictor", {}).get("model", {})).get("storageUri")


def _serving_condition(cluster):
    return next((cnd for cnd in status_of(cluster).get("conditions") or [] if cnd["type"] == "Serving"), {})


async def _create(client, serving):
    body = copy.deepcopy(TB)
    body["spec"]["serving"] = serving
    return await client.create(tweetbot_path("default"), body)


async def _kserve_ready(client, cluster, url):
    """What KServe's controller writes once the predictor serves the current spec."""
    isvc = _isvc(cluster)
    await client.merge_patch(inferenceservices_path("default", NAME) + "/status", {"status": {
        "observedGeneration": isvc["metadata"]["generation"], "url": url,
        "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-11-25T10:06:00Z"}]}})


async def test_kserve_serves_the_run_follows_its_status_and_rolls(cluster, client, operator) -> None:
    created = await _create(client, {"enabled": True, "runtime": "kserve", "kserve": {"serviceAccountName": "s3"}})
    await eventually(lambda: cluster.read("batch/v1/jobs", "default", "spiraltoo-g1"))
    assert _isvc(cluster) is None  # nothing to serve before a run succeeds
    await _succeed(client, "spiraltoo-g1", MODEL_1)
    isvc = await eventually(lambda: _isvc(cluster))
    assert isvc["spec"]["predictor"]["model"]["storageUri"] == MODEL_1
    await eventually(lambda: status_of(cluster).get("modelURI") == MODEL_1)  # written just after the create
    assert isvc["spec"]["predictor"]["serviceAccountName"] == "s3"
    assert isvc["metadata"]["ownerReferences"][0]["uid"] == created["metadata"]["uid"]
    assert cluster.read("apps/v1/deployments", "default", NAME) is None  # instead of the Deployment
    assert cluster.read("v1/services", "default", NAME) is None
    await eventually(lambda: status_of(cluster).get("serving") == {"modelURI": MODEL_1, "ready": False,
                                                                   "runtime": "kserve"})
    assert _serving_condition(cluster)["status"] == "False"

    url = "http://spiraltoo-serve.default.example.com"
    await _kserve_ready(client, cluster, url)
    await eventually(lambda: status_of(cluster).get("serving") == {"url": url, "modelURI": MODEL_1, "ready": True,
                                                                   "runtime": "kserve"})
    assert _serving_condition(cluster)["reason"] == "InferenceServiceReady"

    # A newer run that succeeds: storageUri follows (KServe rolls), Ready waits for KServe to observe it.
    await client.merge_patch(tweetbot_path("default", "spiraltoo"), {"spec": {"training": {"epochs": 2}}})
    await eventually(lambda: cluster.read("batch/v1/jobs", "default", "spiraltoo-g2"))
    assert _storage_uri(cluster) == MODEL_1  # the old model serves while the new one trains
    await _succeed(client, "spiraltoo-g2", MODEL_2)
    await eventually(lambda: _storage_uri(cluster) == MODEL_2)
    await eventually(lambda: status_of(cluster).get("serving") == {"url": url, "modelURI": MODEL_2, "ready": False,
                                                                   "runtime": "kserve"})
    await _kserve_ready(client, cluster, url)
    await eventually(lambda: status_of(cluster).get("serving", {}).get("ready") is True)
    reasons = [r for _, r, _ in events_of(cluster)]
    for reason in ("ServingStarted", "ServingReady", "ServingRolled"):
        assert reason in reasons, reasons

    await client.merge_patch(tweetbot_path("default", "spiraltoo"), {"spec": {"serving": {"enabled": False}}})
    await eventually(lambda: _isvc(cluster) is None and "serving" not in status_of(cluster))
    assert _serving_condition(cluster) == {}


async def test_switching_runtime_removes_the_other_runtimes_objects(cluster, client, operator) -> None:
    await _create(client, {"enabled": True})
    await eventually(lambda: cluster.read("batch/v1/jobs", "default", "spiraltoo-g1"))
    await _succeed(client, "spiraltoo-g1", MODEL_1)
    await eventually(lambda: cluster.read("v1/services", "default", NAME))

    await client.merge_patch(tweetbot_path("default", "spiraltoo"), {"spec": {"serving": {"runtime": "kserve"}}})
    await eventually(lambda: _storage_uri(cluster) == MODEL_1)
    await eventually(lambda: cluster.read("apps/v1/deployments", "default", NAME) is None
                     and cluster.read("v1/services", "default", NAME) is None)

    await client.merge_patch(tweetbot_path("default", "spiraltoo"), {"spec": {"serving": {"runtime": "deployment"}}})
    await eventually(lambda: cluster.read("apps/v1/deployments", "default", NAME) and _isvc(cluster) is None)
    # (the emulator's KServe reports the same in-cluster URL: wait for the runtime too)
    await eventually(lambda: status_of(cluster).get("serving", {}).get("url") == f"http://{NAME}.default.svc:8000"
                     and status_of(cluster)["serving"]["runtime"] == "deployment")
    assert _serving_condition(cluster) == {}
    assert [r for _, r, _ in events_of(cluster)].count("ServingStopped") == 2


@pytest.mark.parametrize("cluster", [False], indirect=True)
async def test_without_kserve_the_tweetbot_says_so_once(cluster, client, operator) -> None:
    await _create(client, {"enabled": True, "runtime": "kserve"})
    await eventually(lambda: cluster.read("batch/v1/jobs", "default", "spiraltoo-g1"))
    await _succeed(client, "spiraltoo-g1", MODEL_1)
    condition = await eventually(lambda: _serving_condition(cluster))
    assert (condition["status"], condition["reason"]) == ("False", "KServeNotInstalled")
    assert condition["message"] == "KServe is not installed: serving.kserve.io/v1beta1 InferenceService not found"
    assert status_of(cluster)["conditions"][0]["status"] == "True"  # the model is there all the same (Ready)
    def creates() -> int:
        return len(cluster.call(lambda api: [p for m, p, _ in api.error_log if m == "POST" and PLURAL in p]))

    tried = creates()
    await asyncio.sleep(1.5)  # five poll intervals: no retries (the status write starts no reconcile)
    assert creates() == tried and tried >= 1
    warnings = [e for e in events_of(cluster) if e[1] == "KServeNotInstalled"]
    assert len(warnings) == 1 and warnings[0][0] == "Warning"


async def test_a_second_reconcile_writes_nothing_and_a_foreign_object_is_left_alone(api, client) -> None:
    install_kserve(api)
    tb = copy.deepcopy(TB)
    tb["spec"]["serving"] = {"enabled": True, "runtime": "kserve", "replicas": 1}
    tb["metadata"].update(uid="0a1b2c3d-0000-4000-8000-000000000000", generation=1)
    events: list = []

    async def post(event) -> None:
        events.append(event)

    status = {"modelURI": MODEL_1}
    first = await sync_serving(client, Settings(), tb, {}, dict(status), post=post)
    writes = len([m for m, _ in api.request_log if m != "GET"])
    second = await sync_serving(client, Settings(), tb, first, dict(status), post=post)
    assert len([m for m, _ in api.request_log if m != "GET"]) == writes  # nothing patched
    assert second == first and [e.reason for e in events] == ["ServingStarted"]

    # Someone else's InferenceService of that name: a condition, and switching back never deletes it.
    other = copy.deepcopy(tb)
    other["metadata"]["uid"] = "ffffffff-0000-4000-8000-000000000000"
    refused = await sync_serving(client, Settings(), other, {}, dict(status), post=post)
    cond = refused["conditions"][-1]
    assert (cond["reason"], cond["status"]) == ("InferenceServiceConflict", "False") and "serving" not in refused
    other["spec"]["serving"]["runtime"] = "deployment"
    await sync_serving(client, Settings(), other, refused, dict(status), post=post)
    assert api.read(INFERENCESERVICES, "default", NAME) is not None
