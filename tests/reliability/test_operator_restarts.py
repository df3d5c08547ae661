"""The operator stopped and started again at every step of a run, and once SIGKILLed as a real process: exactly
one Job per generation, and the final status right.

The steps where a crash hurts most are between a write and the next one: the Job created but no status yet, the
Job finished but its status not written. The fault proxy holds the operator exactly there (its status writes
fail) while the test stops it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from tweetbot_operator.k8s.client import tweetbot_path

from tests.operator.factories import (
    NS,
    SUCCESS_MESSAGE,
    TB,
    condition,
    events_of,
    make_pod,
    set_job_status,
    status_of,
)
from tests.reliability.conftest import (
    FAST,
    OperatorProcess,
    finish_run,
    job_conflicts,
    job_creations,
    job_names,
    write_kubeconfig,
)
from tests.support.fault_proxy import FaultProxy
from tests.support.k8s_fixtures import OperatorRunner, eventually

pytestmark = pytest.mark.slow

def status_writes(method: str, path: str) -> bool:
    return method == "PATCH" and path.endswith("/status") and "/tweetbots/" in path


def job_posts(method: str, path: str) -> bool:
    return method == "POST" and path.endswith("/jobs")



async def restart(runner: OperatorRunner, proxy: FaultProxy) -> None:
    """Stop the operator while the proxy still holds it at a step, lift the fault, start it again."""
    await runner.stop()
    proxy.set_mode("pass")
    await runner.start()


async def test_restart_at_every_step_of_a_run(cluster, client, proxy: FaultProxy, proxied_kubeconfig):
    runner = OperatorRunner(FAST)
    try:
        # 1. Created while the operator is down.
        await client.create(tweetbot_path(NS), TB)
        await runner.start()
        await eventually(lambda: status_of(cluster).get("phase") == "Pending")
        await runner.stop()

        # 2. Stopped after it saw the TweetBot but before its Job existed (the Job POST fails).
        await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"training": {"epochs": 2}}})
        proxy.set_mode("error500", only=job_posts)
        await runner.start()
        await eventually(lambda: proxy.faulted_requests > 0)
        await asyncio.sleep(1.0)  # every trigger (resume, update, the Job's event) has tried and failed
        assert job_names(cluster) == ["spiraltoo-g1"]
        await restart(runner, proxy)
        await eventually(lambda: status_of(cluster).get("jobName") == "spiraltoo-g2")

        # 3. Stopped after the Job was created but before its status was written.
        await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"training": {"epochs": 3}}})
        proxy.set_mode("error500", only=status_writes)
        await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-g3"))
        faulted = proxy.faulted_requests
        await eventually(lambda: proxy.faulted_requests > faulted)
        assert status_of(cluster)["jobName"] == "spiraltoo-g2"
        await restart(runner, proxy)
        await eventually(lambda: status_of(cluster).get("jobName") == "spiraltoo-g3")
        assert status_of(cluster)["phase"] == "Pending" and status_of(cluster)["observedGeneration"] == 3

        # 4. Stopped while Running; the pod goes on meanwhile.
        pod = await make_pod(client, "spiraltoo-g3", {"running": {}})
        await set_job_status(client, "spiraltoo-g3", {"active": 1, "ready": 1, "startTime": "2026-11-25T10:00:00Z"})
        await eventually(lambda: status_of(cluster).get("phase") == "Running")
        await runner.stop()
        cluster.set_log(NS, pod, '{"event": "progress", "step": 5, "total_steps": 10, "percent": 50.0}')
        await runner.start()
        await eventually(lambda: (status_of(cluster).get("progress") or {}).get("step") == 5)

        # 5. Stopped after the Job succeeded but before the status said so.
        proxy.set_mode("error500", only=status_writes)
        faulted = proxy.faulted_requests
        await finish_run(client, "spiraltoo-g3", pod)
        await eventually(lambda: proxy.faulted_requests > faulted)
        assert status_of(cluster)["phase"] == "Running"
        await restart(runner, proxy)
        status = await eventually(lambda: status_of(cluster).get("phase") == "Succeeded" and status_of(cluster))
        await eventually(lambda: "TrainingSucceeded" in [r for _, r, _ in events_of(cluster)])  # posted just after

        # 6. Restarted once more after the end: nothing moves.
        await runner.stop()
        await runner.start()
        await asyncio.sleep(1.5)
    finally:
        await runner.stop()

    assert status_of(cluster) == status
    assert status["modelURI"] == SUCCESS_MESSAGE["modelURI"] and status["observedGeneration"] == 3
    assert condition(status, "Succeeded")["status"] == "True" and status["jobName"] == "spiraltoo-g3"
    # One Job per generation (each superseded one stopped: only g3 is left); generation 2 needed a second POST
    # only because the first one failed with a 500.
    assert job_names(cluster) == ["spiraltoo-g3"]
    assert len(job_creations(cluster)) == 3
    assert [r for _, r, _ in events_of(cluster)].count("TrainingSucceeded") == 1


def reasons(cluster) -> list[str]:
    return [reason for _, reason, _ in events_of(cluster)]


async def test_operator_process_sigkilled_mid_run(cluster, client, tmp_path: Path):
    """The operator image's entry point, SIGKILLed (no cleanup, no last writes) after it made the Job and while
    the run is Running; each time a new process takes over."""
    config = write_kubeconfig(tmp_path / "kubeconfig", cluster.url)
    processes: list[OperatorProcess] = []

    def start() -> OperatorProcess:
        processes.append(OperatorProcess(config, tmp_path / f"operator-{len(processes)}.log").start())
        return processes[-1]

    try:
        await client.create(tweetbot_path(NS), TB)
        first = start()
        await eventually(lambda: job_names(cluster), timeout=30)
        assert first.kill() == -9

        second = start()
        await eventually(lambda: status_of(cluster).get("phase") == "Pending", timeout=30)
        pod = await make_pod(client, "spiraltoo-g1", {"running": {}})
        await set_job_status(client, "spiraltoo-g1", {"active": 1, "ready": 1})
        await eventually(lambda: status_of(cluster).get("phase") == "Running")
        assert second.kill() == -9

        # the run finishes while no operator runs
        await finish_run(client, "spiraltoo-g1", pod)
        start()
        status = await eventually(lambda: status_of(cluster).get("phase") == "Succeeded" and status_of(cluster),
                                  timeout=30)
        # Events are posted just after the status write they report, at most once, as Kubernetes' own
        # controllers do: a process killed between the two loses that event (here Starting or Training, the
        # kills land right after those writes). The last process lives: its event must come, once.
        await eventually(lambda: "TrainingSucceeded" in reasons(cluster))
    finally:
        for process in processes:
            process.stop()
    assert status["modelURI"] == SUCCESS_MESSAGE["modelURI"] and status["jobName"] == "spiraltoo-g1"
    assert job_names(cluster) == ["spiraltoo-g1"]
    # One POST created it. A process killed before its first status write leaves a TweetBot that looks new, and
    # the next process's POST (no listing on the creation path) is answered 409: idempotent, nothing created.
    assert len(job_creations(cluster)) - job_conflicts(cluster) == 1
    assert [r for r in ["Starting", "Training", "TrainingSucceeded"] if r in reasons(cluster)] == reasons(cluster)
