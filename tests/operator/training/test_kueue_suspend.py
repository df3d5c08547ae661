"""Kueue and the operator never fight over spec.suspend (issue 22, defect 4): Kueue starts any Job whose Workload is
admitted (kueue reconciler.go ReconcileGenericJob step 7), so a placement edit's replacement Job joins the queue
only when the Job it replaces is gone, and a suspended TweetBot's Job is stopped by deactivating its Workload.
Against the Kueue stand-in (tests/support/kueue.py), with the operator's RBAC."""

from __future__ import annotations

import asyncio
import copy

from tweetbot_operator.k8s.client import pods_path, tweetbot_path
from tweetbot_operator.reconcile import reconcile
from tweetbot_operator.spec import constants as c

from tests.operator.factories import KEY, NS, TB
from tests.support.k8s_fixtures import eventually
from tests.support.kueue import QUEUE_LABEL, WORKLOADS, KueueStandIn, install, workload_name

RUN_JOBS = ("spiraltoo-g1", "spiraltoo-g2")


def started_jobs(cluster) -> list[str]:
    """The run's Jobs that may have running pods: not suspended."""
    jobs = [cluster.read("batch/v1/jobs", NS, name) for name in RUN_JOBS]
    return [j["metadata"]["name"] for j in jobs if j is not None and not j["spec"].get("suspend")]


def bound_pod(job: dict) -> dict:
    """A pod of `job` on a node: its Job's foreground deletion waits until the pod's kubelet stopped it."""
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"{job['metadata']['name']}-pod",
                         "labels": {"batch.kubernetes.io/job-name": job["metadata"]["name"]},
                         "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": job["metadata"]["name"],
                                              "uid": job["metadata"]["uid"], "controller": True,
                                              "blockOwnerDeletion": True}]},
            "spec": {"nodeName": "node-1", "containers": [{"name": "trainer", "image": "x"}]}}


async def watch_at_most_one_started(cluster, seen: list[list[str]], stop: asyncio.Event) -> None:
    while not stop.is_set():
        seen.append(started_jobs(cluster))
        await asyncio.sleep(0.02)


async def test_a_placement_edit_never_runs_two_jobs_of_one_run_under_kueue(cluster, client, ctx):
    cluster.call(install)
    body = copy.deepcopy(TB)
    body["metadata"]["labels"] = {c.LABEL_KUEUE_QUEUE: "gpu"}
    await client.create(tweetbot_path(NS), body)
    seen: list[list[str]] = []
    stop = asyncio.Event()
    with KueueStandIn(cluster.url, poll_interval=0.05) as kueue:
        watcher = asyncio.create_task(watch_at_most_one_started(cluster, seen, stop))
        await reconcile(ctx, KEY)
        g1 = await eventually(lambda: (job := cluster.read("batch/v1/jobs", NS, "spiraltoo-g1")) and
                              not job["spec"].get("suspend") and job)  # admitted and started by Kueue
        await client.create(pods_path(NS), bound_pod(g1))
        # A placement edit: the run continues in a new Job, from its checkpoint.
        await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"backoffLimit": 5}})
        await reconcile(ctx, KEY)
        g2 = cluster.read("batch/v1/jobs", NS, "spiraltoo-g2")
        assert g2["spec"]["suspend"] and QUEUE_LABEL not in g2["metadata"]["labels"]  # outside the queue
        await asyncio.sleep(0.5)  # Kueue polls several times: it must not start g2 while g1 is there
        await reconcile(ctx, KEY)
        assert cluster.read("batch/v1/jobs", NS, "spiraltoo-g1") is not None  # held by its pod
        assert started_jobs(cluster) == ["spiraltoo-g1"]  # g1 stopping (its pod terminating), g2 waiting
        # g1's pod ends (its kubelet stopped it): g1 goes, and g2 joins the queue and starts.
        await client.request("DELETE", pods_path(NS, "spiraltoo-g1-pod"), body={"gracePeriodSeconds": 0})
        await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-g1") is None)
        await reconcile(ctx, KEY)
        await eventually(lambda: started_jobs(cluster) == ["spiraltoo-g2"])
        g2 = cluster.read("batch/v1/jobs", NS, "spiraltoo-g2")
        assert g2["metadata"]["labels"][QUEUE_LABEL] == "gpu"
        assert g2["metadata"]["annotations"][c.ANNOTATION_RUN_ID] == g1["metadata"]["annotations"][c.ANNOTATION_RUN_ID]
        stop.set()
        await watcher
        assert kueue.errors == []
    assert seen and all(len(started) <= 1 for started in seen), [s for s in seen if len(s) > 1][:3]


async def test_suspending_a_queued_tweetbot_deactivates_its_workload(cluster, client, ctx):
    cluster.call(install)
    body = copy.deepcopy(TB)
    body["metadata"]["labels"] = {c.LABEL_KUEUE_QUEUE: "gpu"}
    await client.create(tweetbot_path(NS), body)
    with KueueStandIn(cluster.url, poll_interval=0.05) as kueue:
        await reconcile(ctx, KEY)
        await eventually(lambda: started_jobs(cluster) == ["spiraltoo-g1"])
        await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"suspend": True}})
        await reconcile(ctx, KEY)
        job = cluster.read("batch/v1/jobs", NS, "spiraltoo-g1")
        assert cluster.read(WORKLOADS, NS, workload_name(job))["spec"]["active"] is False
        await eventually(lambda: started_jobs(cluster) == [])  # Kueue evicts it and keeps it suspended
        await asyncio.sleep(0.5)
        assert started_jobs(cluster) == []  # not started again
        await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"suspend": False}})
        await reconcile(ctx, KEY)
        await eventually(lambda: started_jobs(cluster) == ["spiraltoo-g1"])
        assert kueue.errors == []
