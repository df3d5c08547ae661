"""Deletion (finalizer and cleanup Job, or none), TTL-deleted Jobs, cron runs, and `python -m tweetbot_operator`."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import socket
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime, timedelta

import kopf
from tweetbot_operator.context import Context
from tweetbot_operator.k8s.client import Kube, jobs_path, tweetbot_path
from tweetbot_operator.ops.poller import poll_once
from tweetbot_operator.reconcile import reconcile
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec import constants as c

from tests.operator.factories import (
    COMPLETE,
    NS,
    TB,
    TWEETBOTS,
    events_of,
    jobs_of,
    set_job_status,
    status_of,
    with_policy,
)
from tests.support.k8s_fixtures import OperatorRunner, eventually
from tests.support.operator_rbac import OPERATOR_TOKEN, operator_grants


async def test_delete_policy_cleans_up_then_releases(cluster, client, operator):
    await client.create(tweetbot_path(NS), with_policy("Delete"))
    await eventually(lambda: (cluster.read(TWEETBOTS, NS, "spiraltoo") or {}).get("metadata", {}).get("finalizers"))
    assert cluster.read(TWEETBOTS, NS, "spiraltoo")["metadata"]["finalizers"] == ["tweetbot.io/artifacts"]
    await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-g1"))

    await client.delete(tweetbot_path(NS, "spiraltoo"))
    cleanup = await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-delete"))
    args = cleanup["spec"]["template"]["spec"]["containers"][0]["args"]
    uid = cluster.read(TWEETBOTS, NS, "spiraltoo")["metadata"]["uid"]
    assert args == ["delete", "--output", "s3://bots/spiraltoo/", "--owner", f"{NS}/spiraltoo/{uid}"]
    assert cluster.read("batch/v1/jobs", NS, "spiraltoo-g1") is None  # the active run was stopped first
    assert cluster.read(TWEETBOTS, NS, "spiraltoo") is not None  # held by the finalizer meanwhile

    await set_job_status(client, "spiraltoo-delete", COMPLETE)
    await eventually(lambda: cluster.read(TWEETBOTS, NS, "spiraltoo") is None)
    await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-delete") is None)  # garbage-collected
    await eventually(lambda: {"CleanupStarted", "ArtifactsDeleted"} <= {reason for _, reason, _ in events_of(cluster)})


async def test_cleanup_that_never_ends_does_not_hang_deletion(cluster, client, kubeconfig):
    runner = OperatorRunner(Settings(poll_interval=0.2, delete_timeout=1.0))
    await runner.start()
    try:
        await client.create(tweetbot_path(NS), with_policy("Delete"))
        await eventually(lambda: (cluster.read(TWEETBOTS, NS, "spiraltoo") or {}).get("metadata", {}).get(
            "finalizers"))
        await client.delete(tweetbot_path(NS, "spiraltoo"))
        await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-delete"))
        await eventually(lambda: cluster.read(TWEETBOTS, NS, "spiraltoo") is None, timeout=15)
        await eventually(lambda: [reason for kind, reason, _ in events_of(cluster) if kind == "Warning"][-1:]
                         == ["CleanupTimedOut"])
    finally:
        await runner.stop()


async def test_retain_policy_has_no_finalizer_and_jobs_are_collected(cluster, client, operator):
    await client.create(tweetbot_path(NS), with_policy("Retain"))
    await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-g1"))
    assert not cluster.read(TWEETBOTS, NS, "spiraltoo")["metadata"].get("finalizers")
    await client.delete(tweetbot_path(NS, "spiraltoo"))
    assert cluster.read(TWEETBOTS, NS, "spiraltoo") is None
    assert cluster.read("batch/v1/jobs", NS, "spiraltoo-g1") is None
    assert cluster.read("batch/v1/jobs", NS, "spiraltoo-delete") is None


async def test_policy_change_adds_and_removes_the_finalizer(cluster, client, operator):
    await client.create(tweetbot_path(NS), with_policy("Retain"))
    await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-g1"))
    await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"deletionPolicy": "Delete"}})
    await eventually(lambda: cluster.read(TWEETBOTS, NS, "spiraltoo")["metadata"].get("finalizers"))
    await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"deletionPolicy": "Retain"}})
    await eventually(lambda: not cluster.read(TWEETBOTS, NS, "spiraltoo")["metadata"].get("finalizers"))
    assert len(jobs_of(cluster)) == 1  # deletionPolicy does not shape a run


async def test_ttl_deleted_job_keeps_results_and_starts_nothing(cluster, client, operator):
    await client.create(tweetbot_path(NS), TB)
    await eventually(lambda: jobs_of(cluster))
    await set_job_status(client, "spiraltoo-g1", COMPLETE)
    await eventually(lambda: status_of(cluster).get("phase") == "Succeeded")
    await client.delete(jobs_path(NS, "spiraltoo-g1"))  # what ttlSecondsAfterFinished does
    await operator.stop()  # and a restart re-reconciles everything (on.resume)
    await operator.start()
    await asyncio.sleep(1.0)
    assert jobs_of(cluster) == []
    assert status_of(cluster)["phase"] == "Succeeded" and status_of(cluster)["jobName"] == "spiraltoo-g1"


async def test_schedule_starts_one_run_per_slot_and_one_at_a_time(cluster, client):
    body = copy.deepcopy(TB)
    body["spec"]["schedule"] = "*/5 * * * *"
    created = await client.create(tweetbot_path(NS), body)
    born = datetime.strptime(created["metadata"]["creationTimestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    clock = {"now": born}
    ctx = Context(settings=Settings(), kube=Kube(kopf.ConnectionInfo(server=cluster.url)), clock=lambda: clock["now"])
    key = (NS, "spiraltoo")
    try:
        await reconcile(ctx, key)
        assert [j["metadata"]["name"] for j in jobs_of(cluster)] == ["spiraltoo-g1"]  # the first run at once
        slot = born.replace(second=0) + timedelta(minutes=5 - born.minute % 5)
        clock["now"] = slot + timedelta(seconds=10)
        await reconcile(ctx, key)
        assert len(jobs_of(cluster)) == 1  # the first run is still active: at most one at a time

        await set_job_status(client, "spiraltoo-g1", COMPLETE)
        await reconcile(ctx, key)
        scheduled = f"spiraltoo-g1-{slot:%Y%m%d%H%M}"
        assert [j["metadata"]["name"] for j in jobs_of(cluster)] == ["spiraltoo-g1", scheduled]
        status = status_of(cluster)
        uid8 = cluster.read(TWEETBOTS, NS, "spiraltoo")["metadata"]["uid"].replace("-", "")[:8]
        scheduled_run = f"spiraltoo-{uid8}-g1-{slot:%Y%m%d%H%M}"
        assert status["jobName"] == scheduled and status["runId"] == scheduled_run
        assert status["lastScheduleTime"] == f"{slot:%Y-%m-%dT%H:%M:%SZ}"
        assert any(reason == "ScheduledRun" for _, reason, _ in events_of(cluster))
        job = cluster.read("batch/v1/jobs", NS, scheduled)
        args = job["spec"]["template"]["spec"]["containers"][0]["args"]
        assert args[args.index("--run-id") + 1] == scheduled_run and job["metadata"]["labels"][c.LABEL_SLOT]

        await reconcile(ctx, key)
        assert len(jobs_of(cluster)) == 2  # once per slot
        assert key in ctx.scheduled
    finally:
        await ctx.kube.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_main_refuses_bad_settings():
    env = {**os.environ, "TWEETBOT_DEFAULT_NODE_SELECTOR": "not json"}
    proc = subprocess.run([sys.executable, "-m", "tweetbot_operator"], env=env, capture_output=True, text=True,
                          check=False, timeout=60)
    assert proc.returncode == 2 and "TWEETBOT_DEFAULT_NODE_SELECTOR" in proc.stderr


async def test_main_serves_health_metrics_and_json_logs(cluster, client, kubeconfig):
    # Serving one namespace, as the chart's watchNamespaces renders it: with its Roles, not the ClusterRole.
    user, grants = operator_grants("chart-watch-namespaces", (NS,))
    cluster.call(lambda api: api.gate.bind(OPERATOR_TOKEN, user, list(grants)))
    health, metrics = free_port(), free_port()
    env = {**os.environ, "KUBECONFIG": str(kubeconfig), "TWEETBOT_HEALTH_PORT": str(health),
           "TWEETBOT_METRICS_PORT": str(metrics), "TWEETBOT_LOG_FORMAT": "json", "TWEETBOT_WATCH_NAMESPACES": NS}
    proc = subprocess.Popen([sys.executable, "-m", "tweetbot_operator"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        await client.create(tweetbot_path(NS), TB)
        await eventually(lambda: jobs_of(cluster), timeout=30)

        def get(port: int, path: str) -> str:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
                return str(resp.read().decode())

        await eventually(lambda: _try(get, health, "/healthz"), timeout=15)
        info = f'tweetbot_info{{name="{TB["metadata"]["name"]}",namespace="{NS}",phase='

        def metrics_with_info() -> str | None:  # set once the reconcile has written the status, after the Job
            text = _try(get, metrics, "/metrics")
            return text if text and info in text else None
        text = await eventually(metrics_with_info, timeout=15)
        assert f'tweetbot_runs_started_total{{namespace="{NS}"}} 1.0' in text
        assert "tweetbot_reconcile_duration_seconds_count" in text and "tweetbot_build_info{" in text
        assert "tweetbot_reconcile_errors_total" in text and "tweetbot_run_duration_seconds" in text
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines and all(json.loads(line) for line in lines), output[-2000:]


def _try(fn, *args):
    try:
        return fn(*args)
    except OSError:
        return None


async def test_poller_retries_failed_reconciles_until_one_succeeds(cluster, client):
    """Job events are not retried by kopf: a reconcile that failed after one is kept for the poller."""
    await client.create(tweetbot_path(NS), TB)
    ctx = Context(settings=Settings(), kube=Kube(kopf.ConnectionInfo(server=cluster.url)))
    key = (NS, "spiraltoo")
    ctx.retry.add(key)
    try:
        await poll_once(ctx)
        assert key not in ctx.retry
        assert status_of(cluster)["phase"] == "Pending" and jobs_of(cluster)
        ctx.retry.add((NS, "gone"))  # a TweetBot deleted meanwhile is forgotten, not retried forever
        await poll_once(ctx)
        assert not ctx.retry
    finally:
        await ctx.kube.close()


async def test_a_stale_watched_body_does_not_repeat_the_first_transition(cluster, client):
    """kopf hands a handler the TweetBot as listed, which may predate this process's own first status write (a
    Job event reconciled it in between): the creation path's GET-free shortcut must not take that body."""
    await client.create(tweetbot_path(NS), TB)
    listed = cluster.read(TWEETBOTS, NS, "spiraltoo")  # as kopf's list saw it: no status yet
    ctx = Context(settings=Settings(), kube=Kube(kopf.ConnectionInfo(server=cluster.url)))
    try:
        await reconcile(ctx, (NS, "spiraltoo"))  # e.g. after the Job's event
        await reconcile(ctx, (NS, "spiraltoo"), body=listed)
    finally:
        await ctx.kube.close()
    assert status_of(cluster)["phase"] == "Pending"
    assert [reason for _, reason, _ in events_of(cluster)] == ["Starting"]
