"""The Kubernetes API misbehaves under the real operator: 500s, 429s, every connection cut (watches included),
answers lost after the API acted. After each outage: exactly one Job per generation, and a status that follows
what happened while the operator could not see.

The operator talks to the API through a fault proxy; the test plays the Job controller by writing Job and pod
status straight to the API (no training needed)."""

from __future__ import annotations

import asyncio

import pytest
from tweetbot_operator.k8s.client import tweetbot_path

from tests.operator.factories import (
    NS,
    SUCCESS_MESSAGE,
    TB,
    condition,
    event_reasons_become,
    make_pod,
    set_job_status,
    status_of,
)
from tests.reliability.conftest import finish_run, job_conflicts, job_creations, job_names
from tests.support.fault_proxy import FaultProxy
from tests.support.k8s_fixtures import eventually

pytestmark = pytest.mark.slow
OUTAGE_S = 3.0



async def test_500_then_429_then_dropped_connections_mid_run(cluster, client, proxy: FaultProxy, proxied_operator):
    await client.create(tweetbot_path(NS), TB)
    await eventually(lambda: job_names(cluster))
    pod = await make_pod(client, "spiraltoo-g1", {"running": {"startedAt": "2026-11-25T10:00:00Z"}})
    await set_job_status(client, "spiraltoo-g1", {"active": 1, "ready": 1, "startTime": "2026-11-25T10:00:00Z"})
    await eventually(lambda: status_of(cluster).get("phase") == "Running")

    # 500s, then 429s, then no connection at all; the run finishes while the operator is cut off.
    for mode in ("error500", "error429"):
        with proxy.fault(mode):
            faulted = proxy.faulted_requests
            await eventually(lambda n=faulted: proxy.faulted_requests > n, timeout=OUTAGE_S)  # the operator hit it
            await asyncio.sleep(OUTAGE_S)
    with proxy.fault("drop"):
        await finish_run(client, "spiraltoo-g1", pod)
        await asyncio.sleep(OUTAGE_S)
        assert status_of(cluster)["phase"] == "Running"  # nothing could be written meanwhile

    status = await eventually(lambda: status_of(cluster).get("phase") == "Succeeded" and status_of(cluster),
                              timeout=30)
    assert status["modelURI"] == SUCCESS_MESSAGE["modelURI"] and status["completionTime"] == "2026-11-25T10:05:00Z"
    assert condition(status, "Ready")["status"] == "True" and status["observedGeneration"] == 1
    assert job_names(cluster) == ["spiraltoo-g1"] and len(job_creations(cluster)) == 1
    await event_reasons_become(cluster, ["Starting", "Training", "TrainingSucceeded"])
    assert proxied_operator.error is None

    # A spec change made while every connection is cut: the watch resumes and the new generation gets its Job.
    with proxy.fault("drop"):
        await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"training": {"epochs": 2}}})
        await asyncio.sleep(OUTAGE_S)
        assert job_names(cluster) == ["spiraltoo-g1"]
    await eventually(lambda: job_names(cluster) == ["spiraltoo-g1", "spiraltoo-g2"], timeout=30)
    status = await eventually(lambda: status_of(cluster).get("jobName") == "spiraltoo-g2" and status_of(cluster))
    assert status["observedGeneration"] == 2 and status["phase"] == "Pending"
    assert status["modelURI"] == SUCCESS_MESSAGE["modelURI"]  # the last good model, until g2 succeeds
    await asyncio.sleep(1.0)  # time for a duplicate to show up, if there were one
    assert job_names(cluster) == ["spiraltoo-g1", "spiraltoo-g2"] and len(job_creations(cluster)) == 2


async def test_spec_change_during_500s_gets_its_job_after_recovery(cluster, client, proxy: FaultProxy,
                                                                   proxied_operator):
    await client.create(tweetbot_path(NS), TB)
    await eventually(lambda: status_of(cluster).get("phase") == "Pending")
    with proxy.fault("error500"):
        await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"training": {"epochs": 3}}})
        await asyncio.sleep(OUTAGE_S)
        assert job_names(cluster) == ["spiraltoo-g1"]
    # The new generation gets its Job, and the superseded g1 (still active) is stopped once the status says g2.
    await eventually(lambda: job_names(cluster) == ["spiraltoo-g2"], timeout=30)
    assert len(job_creations(cluster)) - job_conflicts(cluster) == 2
    status = await eventually(lambda: status_of(cluster).get("observedGeneration") == 2 and status_of(cluster))
    assert status["jobName"] == "spiraltoo-g2" and status["phase"] == "Pending"
    args = cluster.read("batch/v1/jobs", NS, "spiraltoo-g2")["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args[args.index("--epochs") + 1] == "3"


async def test_job_event_seen_during_500s_is_not_lost(cluster, client, proxy: FaultProxy, proxied_operator):
    """A live watch keeps delivering events while every other request fails: the Job's change arrives, its
    reconcile fails, and the status must still catch up once the API answers again."""
    await client.create(tweetbot_path(NS), TB)
    await eventually(lambda: status_of(cluster).get("phase") == "Pending")
    with proxy.fault("error500"):
        await make_pod(client, "spiraltoo-g1", {"running": {}})
        await set_job_status(client, "spiraltoo-g1", {"active": 1, "ready": 1})
        await asyncio.sleep(OUTAGE_S)
    status = await eventually(lambda: status_of(cluster).get("phase") == "Running" and status_of(cluster),
                              timeout=15)
    assert status["jobName"] == "spiraltoo-g1" and job_names(cluster) == ["spiraltoo-g1"]


async def test_tweetbot_created_during_an_outage_gets_one_job(cluster, client, proxy: FaultProxy, proxied_operator):
    with proxy.fault("error500"):  # the live watch delivers the creation; every reconcile of it fails
        await client.create(tweetbot_path(NS), TB)
        await asyncio.sleep(OUTAGE_S)
    with proxy.fault("drop"):  # then nothing gets through at all
        await asyncio.sleep(OUTAGE_S)
    assert job_names(cluster) == []
    status = await eventually(lambda: status_of(cluster).get("phase") == "Pending" and status_of(cluster),
                              timeout=30)
    assert status["jobName"] == "spiraltoo-g1" and job_names(cluster) == ["spiraltoo-g1"]
    assert len(job_creations(cluster)) == 1


def _is_write(method: str, _path: str) -> bool:
    return method in ("POST", "PATCH")


async def test_lost_answers_to_writes_make_no_duplicate_job(cluster, client, proxy: FaultProxy, proxied_operator):
    """The API creates the Job (and writes status) but the operator never hears back: its retry must find the
    Job it made instead of making another."""
    await client.create(tweetbot_path(NS), TB)
    with proxy.fault("lose_response", only=_is_write):
        await eventually(lambda: job_names(cluster), timeout=10)
        await asyncio.sleep(OUTAGE_S)
    status = await eventually(lambda: status_of(cluster).get("phase") == "Pending" and status_of(cluster),
                              timeout=30)
    assert status["jobName"] == "spiraltoo-g1" and job_names(cluster) == ["spiraltoo-g1"]
    # The retry's POST met the Job the lost one had made (409) and adopted it.
    assert len(job_creations(cluster)) >= 2 and proxy.faulted_requests >= 2
    # and the run still goes on normally afterwards
    pod = await make_pod(client, "spiraltoo-g1", {"running": {}})
    await set_job_status(client, "spiraltoo-g1", {"active": 1, "ready": 1})
    await eventually(lambda: status_of(cluster).get("phase") == "Running")
    await finish_run(client, "spiraltoo-g1", pod)
    await eventually(lambda: status_of(cluster).get("phase") == "Succeeded")
    assert job_names(cluster) == ["spiraltoo-g1"]
