"""A multi-node TweetBot against the emulated API under the chart's RBAC (issue 17): the operator as kopf runs it,
and the reconciler logged in with the operator's token; pod statuses are written into the emulator directly."""

from __future__ import annotations

import copy
import json

import kopf
import pytest
from tweetbot_operator.context import Context
from tweetbot_operator.k8s.client import Kube, pods_path, services_path, tweetbot_path
from tweetbot_operator.reconcile import reconcile
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec import constants as c

from tests.operator.factories import NS, TB, condition_of, events_of, jobs_of, set_job_status, status_of
from tests.support.k8s_fixtures import eventually
from tests.support.operator_rbac import OPERATOR_TOKEN

KEY = (NS, "spiraltoo")
SERVICE = "spiraltoo-nodes"
RUNNING = {"running": {"startedAt": "2026-11-25T10:00:00Z"}}


def two_nodes(**resources):
    body = copy.deepcopy(TB)
    body["spec"]["resources"] = {"nodes": 2, "gpus": 0, **resources}
    return body


@pytest.fixture
async def ctx(cluster):
    context = Context(settings=Settings(), kube=Kube(kopf.ConnectionInfo(server=cluster.url, token=OPERATOR_TOKEN)))
    yield context
    await context.kube.close()


def creates(cluster, suffix):
    return [r for r in cluster.call(lambda api: list(api.request_log))
            if r[0] == "POST" and r[1].split("?")[0].endswith(suffix)]


async def node_pod(client, job_name, index, state, phase="Running"):
    name = f"{job_name}-{index}-abcde"
    await client.create(pods_path(NS), {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"batch.kubernetes.io/job-name": job_name},
                     "annotations": {c.ANNOTATION_COMPLETION_INDEX: str(index)}},
        "spec": {"containers": [{"name": "trainer", "image": "x"}]},
    })
    await client.merge_patch(pods_path(NS, name) + "/status", {"status": {
        "phase": phase, "containerStatuses": [{"name": "trainer", "state": state}]}})
    return name


async def test_a_two_node_tweetbot_gets_its_service_then_an_indexed_job(cluster, client, operator):
    created = await client.create(tweetbot_path(NS), two_nodes())
    [job] = await eventually(lambda: jobs_of(cluster))
    service = cluster.read("v1/services", NS, SERVICE)
    assert service["spec"]["clusterIP"] == "None" and service["spec"]["publishNotReadyAddresses"] is True
    assert service["metadata"]["ownerReferences"][0]["uid"] == created["metadata"]["uid"]
    assert (job["spec"]["completionMode"], job["spec"]["completions"], job["spec"]["parallelism"]) == ("Indexed", 2, 2)
    assert job["spec"]["template"]["spec"]["subdomain"] == SERVICE
    await eventually(lambda: status_of(cluster).get("phase") == "Pending")
    # A restart finds both and creates neither again.
    await operator.stop()
    await operator.start()
    await eventually(lambda: status_of(cluster).get("observedGeneration") == 1)
    assert len(creates(cluster, "/services")) == 1 and len(creates(cluster, "/jobs")) == 1


async def test_reconciling_again_writes_nothing(cluster, client, ctx):
    await client.create(tweetbot_path(NS), two_nodes())
    await reconcile(ctx, KEY)
    await set_job_status(client, "spiraltoo-g1", {"active": 2, "startTime": "2026-11-25T10:00:00Z"})
    await reconcile(ctx, KEY)
    before = len(cluster.call(lambda api: list(api.request_log)))
    await reconcile(ctx, KEY)
    log = cluster.call(lambda api: list(api.request_log))[before:]
    assert [r[0] for r in log if r[0] != "GET"] == []  # the Service is looked at (GET), nothing is written
    assert len(creates(cluster, "/services")) == 1


async def test_a_deleted_service_is_put_back_while_the_run_is_active(cluster, client, ctx):
    await client.create(tweetbot_path(NS), two_nodes())
    await reconcile(ctx, KEY)
    await set_job_status(client, "spiraltoo-g1", {"active": 2, "startTime": "2026-11-25T10:00:00Z"})
    await client.delete(services_path(NS, SERVICE))
    await reconcile(ctx, KEY)
    assert cluster.read("v1/services", NS, SERVICE) is not None


async def test_progress_comes_from_rank_zero(cluster, client, ctx):
    await client.create(tweetbot_path(NS), two_nodes())
    await reconcile(ctx, KEY)
    await set_job_status(client, "spiraltoo-g1", {"active": 2, "ready": 2, "startTime": "2026-11-25T10:00:00Z"})
    for index, step in ((1, 99), (0, 7)):  # node 1's pod is the newest, and logs no progress of the run's own
        pod = await node_pod(client, "spiraltoo-g1", index, RUNNING)
        cluster.set_log(NS, pod, json.dumps({"event": "progress", "step": step, "total_steps": 100}) + "\n")
    status = await reconcile(ctx, KEY, read_logs=True)
    assert status["phase"] == "Running" and status["progress"] == {"step": 7, "totalSteps": 100}


async def test_a_failed_run_names_the_pod_that_failed(cluster, client, ctx):
    await client.create(tweetbot_path(NS), two_nodes())
    await reconcile(ctx, KEY)
    failed = {"status": "failed", "reason": "SourceTemporaryError", "message": "HTTP 503 after 5 attempts"}
    stopped = {"status": "failed", "reason": "GroupStopped", "message": "another node stopped"}
    await node_pod(client, "spiraltoo-g1", 1, {"terminated": {"exitCode": 1, "message": json.dumps(failed)}}, "Failed")
    await node_pod(client, "spiraltoo-g1", 0, {"terminated": {"exitCode": 75, "message": json.dumps(stopped)}},
                   "Failed")
    await set_job_status(client, "spiraltoo-g1", {"failed": 3, "conditions": [
        {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "too many failures"}]})
    await reconcile(ctx, KEY)
    cond = condition_of(status_of(cluster), "Failed")
    assert cond["reason"] == "SourceTemporaryError"
    assert cond["message"].startswith("pod spiraltoo-g1-1-abcde (node rank 1 of 2) failed: exit code 1")
    assert any(e[1] == "SourceTemporaryError" and "node rank 1 of 2" in e[2] for e in events_of(cluster))


async def test_a_nodes_edit_continues_the_run_in_a_new_job(cluster, client, operator):
    await client.create(tweetbot_path(NS), two_nodes())
    [first] = await eventually(lambda: jobs_of(cluster))
    service_uid = cluster.read("v1/services", NS, SERVICE)["metadata"]["uid"]
    await set_job_status(client, "spiraltoo-g1", {"active": 2, "startTime": "2026-11-25T10:00:00Z"})
    await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"resources": {"nodes": 3}}})
    second = await eventually(lambda: [j for j in jobs_of(cluster) if j["metadata"]["name"] == "spiraltoo-g2"])
    job = second[0]
    assert job["spec"]["completions"] == 3 and job["spec"]["template"]["spec"]["subdomain"] == SERVICE
    assert job["metadata"]["annotations"][c.ANNOTATION_RUN_ID] == first["metadata"]["annotations"][c.ANNOTATION_RUN_ID]
    assert job["metadata"]["annotations"][c.ANNOTATION_REPLACES] == "spiraltoo-g1"
    await eventually(lambda: [j["metadata"]["name"] for j in jobs_of(cluster)] == ["spiraltoo-g2"])
    await eventually(lambda: jobs_of(cluster)[0]["spec"]["suspend"] is False)
    assert cluster.read("v1/services", NS, SERVICE)["metadata"]["uid"] == service_uid  # one for every Job


async def test_a_queued_group_waits_for_kueue_as_one_workload(cluster, client, ctx):
    body = two_nodes()
    body["metadata"]["labels"] = {c.LABEL_KUEUE_QUEUE: "gpu-queue"}
    await client.create(tweetbot_path(NS), body)
    status = await reconcile(ctx, KEY)
    [job] = jobs_of(cluster)
    assert job["spec"]["suspend"] is True and job["spec"]["parallelism"] == job["spec"]["completions"] == 2
    assert "kueue.x-k8s.io/job-min-parallelism" not in job["metadata"].get("annotations", {})
    assert status["phase"] == "Pending" and condition_of(status, "Ready")["reason"] == "Queued"


async def test_a_service_that_is_not_ours_is_left_alone(cluster, client, operator):
    foreign = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": SERVICE, "namespace": NS},
               "spec": {"selector": {"app": "other"}, "ports": [{"port": 80}]}}
    await client.create(services_path(NS), foreign)
    await client.create(tweetbot_path(NS), two_nodes())
    await eventually(lambda: status_of(cluster).get("conditions")
                     and condition_of(status_of(cluster), "Ready")["reason"] == "ServiceConflict")
    assert jobs_of(cluster) == [] and status_of(cluster)["phase"] == "Pending"
    assert cluster.read("v1/services", NS, SERVICE)["spec"]["selector"] == {"app": "other"}  # untouched
    assert any(e[:2] == ("Warning", "ServiceConflict") for e in events_of(cluster))
    await client.delete(services_path(NS, SERVICE))
    await eventually(lambda: jobs_of(cluster))  # the poller looks again: the run starts
    owner = cluster.read("v1/services", NS, SERVICE)["metadata"]["ownerReferences"][0]
    assert owner["kind"] == "TweetBot"
