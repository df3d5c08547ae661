"""The real operator (kopf and our handlers, in-process) against the emulated Kubernetes API on loopback."""

from __future__ import annotations

import copy
import json

from tweetbot_operator.k8s.client import pods_path, tweetbot_path

from tests.operator.factories import (
    NS,
    SUCCESS_MESSAGE,
    TB,
    condition_of,
    event_reasons_become,
    events_of,
    jobs_of,
    make_pod,
    set_job_status,
    status_of,
)
from tests.support.k8s_fixtures import OperatorRunner, eventually


async def test_apply_creates_the_job_and_status_follows_it(cluster, client, operator):
    created = await client.create(tweetbot_path(NS), TB)
    [job] = await eventually(lambda: jobs_of(cluster))
    assert job["metadata"]["name"] == "spiraltoo-g1"
    assert job["metadata"]["ownerReferences"][0]["uid"] == created["metadata"]["uid"]
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["args"][:4] == ["run", "--user", "spiraltoo", "--source"]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert job["spec"]["podFailurePolicy"]["rules"][0]["onExitCodes"]["values"] == [2]
    await eventually(lambda: status_of(cluster).get("phase") == "Pending")
    uid8 = created["metadata"]["uid"].replace("-", "")[:8]
    assert status_of(cluster)["jobName"] == "spiraltoo-g1" and status_of(cluster)["runId"] == f"spiraltoo-{uid8}-g1"
    meta = cluster.read("tweetbot.io/v1alpha1/tweetbots", NS, "spiraltoo")["metadata"]
    assert "finalizers" not in meta  # Retain: nothing to clean up, nothing to block deletion
    # Level-triggered: kopf keeps no state of its own on the object, and our status write starts no reconcile.
    assert not meta.get("annotations")
    writes = cluster.call(lambda api: [r for r in api.request_log if r[0] == "PATCH" and "/tweetbots/" in r[1]])
    assert [path.rsplit("/", 1)[-1] for _, path in writes] == ["status"]

    # Running, with live progress from the trainer's log tail.
    pod = await make_pod(client, "spiraltoo-g1", {"running": {"startedAt": "2026-11-25T10:00:00Z"}})
    cluster.set_log(NS, pod, "\n".join([
        '{"event": "phase", "phase": "train", "ts": 1}',
        '{"event": "progress", "step": 120, "total_steps": 400, "percent": 30.0, "loss": 3.21, "eta_s": 85.2}',
    ]))
    await set_job_status(client, "spiraltoo-g1", {"active": 1, "ready": 1, "startTime": "2026-11-25T10:00:00Z"})
    await eventually(lambda: status_of(cluster).get("phase") == "Running")
    progress = await eventually(lambda: status_of(cluster).get("progress"))
    assert progress == {"percent": 30.0, "step": 120, "totalSteps": 400, "etaSeconds": 85.2, "loss": 3.21}
    assert condition_of(status_of(cluster), "Running")["status"] == "True"

    # Succeeded: the termination message becomes the status.
    await client.merge_patch(pods_path(NS, pod) + "/status", {"status": {"phase": "Succeeded", "containerStatuses": [
        {"name": "trainer", "state": {"terminated": {"exitCode": 0, "message": json.dumps(SUCCESS_MESSAGE)}}}]}})
    await set_job_status(client, "spiraltoo-g1", {
        "active": 0, "succeeded": 1, "completionTime": "2026-11-25T10:05:00Z",
        "conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": "2026-11-25T10:05:00Z"}]})
    await eventually(lambda: status_of(cluster).get("phase") == "Succeeded")
    status = status_of(cluster)
    assert status["modelURI"] == "s3://bots/spiraltoo/spiraltoo-g1/"
    assert status["evalLoss"] == 3.1 and status["perplexity"] == 22.2 and status["keptPosts"] == 1113
    assert status["completionTime"] == "2026-11-25T10:05:00Z" and status["observedGeneration"] == 1
    assert condition_of(status, "Ready")["status"] == "True"
    await event_reasons_become(cluster, ["Starting", "Training", "TrainingSucceeded"])
    assert len(jobs_of(cluster)) == 1


async def test_failed_run_reports_the_trainers_message(cluster, client, operator):
    await client.create(tweetbot_path(NS), TB)
    await eventually(lambda: jobs_of(cluster))
    message = {"status": "failed", "reason": "NotEnoughPosts", "message": "not enough posts: 12 < 100"}
    await make_pod(client, "spiraltoo-g1", {"terminated": {"exitCode": 2, "message": json.dumps(message)}}, "Failed")
    await set_job_status(client, "spiraltoo-g1", {"failed": 1, "conditions": [
        {"type": "Failed", "status": "True", "reason": "PodFailurePolicy", "message": "exit code 2"}]})
    await eventually(lambda: status_of(cluster).get("phase") == "Failed")
    failed = condition_of(status_of(cluster), "Failed")
    assert failed["reason"] == "NotEnoughPosts" and "12 < 100" in failed["message"]
    warning = await eventually(lambda: [e for e in events_of(cluster) if e[0] == "Warning"])
    assert warning[0][1] == "NotEnoughPosts" and "12 < 100" in warning[0][2]


async def test_missing_secret_is_a_condition_and_an_event(cluster, client, operator):
    await client.create(tweetbot_path(NS), TB)
    await eventually(lambda: jobs_of(cluster))
    await make_pod(client, "spiraltoo-g1", {"waiting": {"reason": "CreateContainerConfigError",
                                                        "message": 'secret "s3-creds" not found'}}, "Pending")
    await set_job_status(client, "spiraltoo-g1", {"active": 1})

    def missing_secret():
        status = status_of(cluster)
        ready = condition_of(status, "Ready") if status.get("conditions") else {}
        return ready if ready.get("reason") == "MissingSecret" else None

    ready = await eventually(missing_secret)
    assert 's3-creds' in ready["message"] and status_of(cluster)["phase"] == "Pending"
    await eventually(lambda: any(e[0] == "Warning" and e[1] == "MissingSecret" for e in events_of(cluster)))


async def test_spec_change_makes_a_new_job_and_suspend_keeps_it(cluster, client, operator):
    await client.create(tweetbot_path(NS), TB)
    [first] = await eventually(lambda: jobs_of(cluster))
    await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"training": {"epochs": 2}}})
    # A model edit: a new run, and the superseded one is stopped (deleted with its pods) with an event.
    jobs = await eventually(lambda: [j["metadata"]["name"] for j in jobs_of(cluster)] == ["spiraltoo-g2"]
                            and jobs_of(cluster))
    args = jobs[0]["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args[args.index("--epochs") + 1] == "2"
    new_run = args[args.index("--run-id") + 1]
    assert new_run != first["metadata"]["annotations"]["tweetbot.io/run-id"]
    await eventually(lambda: status_of(cluster).get("jobName") == "spiraltoo-g2")
    [superseded] = await eventually(lambda: [m for _, r, m in events_of(cluster) if r == "RunSuperseded"])
    assert "spiraltoo-g1" in superseded and new_run in superseded

    # suspend is not a new run: the current Job is suspended in place
    await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"suspend": True}})
    await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-g2")["spec"]["suspend"] is True)
    await eventually(lambda: status_of(cluster).get("phase") == "Suspended")
    assert len(jobs_of(cluster)) == 1 and status_of(cluster)["observedGeneration"] == 3
    await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"suspend": False}})
    await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-g2")["spec"]["suspend"] is False)
    await eventually(lambda: status_of(cluster).get("phase") == "Pending")
    assert len(jobs_of(cluster)) == 1


async def test_restart_mid_run_makes_no_duplicate(cluster, client, operator):
    await client.create(tweetbot_path(NS), TB)
    await eventually(lambda: jobs_of(cluster))
    await make_pod(client, "spiraltoo-g1", {"running": {}})
    await set_job_status(client, "spiraltoo-g1", {"active": 1, "ready": 1})
    await eventually(lambda: status_of(cluster).get("phase") == "Running")
    await operator.stop()

    # while it is down, the run finishes
    await set_job_status(client, "spiraltoo-g1", {"active": 0, "succeeded": 1, "conditions": [
        {"type": "Complete", "status": "True"}]})
    restarted = OperatorRunner(operator.settings)
    await restarted.start()
    try:
        await eventually(lambda: status_of(cluster).get("phase") == "Succeeded")
        assert [j["metadata"]["name"] for j in jobs_of(cluster)] == ["spiraltoo-g1"]
        creates = cluster.call(lambda api: [r for r in api.request_log if r[0] == "POST" and r[1].endswith("/jobs")])
        assert len(creates) == 1
    finally:
        await restarted.stop()


async def test_invalid_spec_gets_a_clear_condition_and_no_job(cluster, client, operator):
    bad = copy.deepcopy(TB)
    bad["metadata"]["name"] = "bad"
    bad["spec"]["schedule"] = "every tuesday"  # the schema takes any string; the operator checks cron syntax
    await client.create(tweetbot_path(NS), bad)
    await eventually(lambda: status_of(cluster, "bad").get("phase") == "Failed")
    failed = condition_of(status_of(cluster, "bad"), "Failed")
    assert failed["reason"] == "InvalidSpec" and "spec.schedule" in failed["message"]
    assert jobs_of(cluster, "bad") == []
    await eventually(lambda: any(e[:2] == ("Warning", "InvalidSpec") for e in events_of(cluster, "bad")))
    # fixed -> a run starts
    await client.merge_patch(tweetbot_path(NS, "bad"), {"spec": {"schedule": None}})
    await eventually(lambda: jobs_of(cluster, "bad"))
    await eventually(lambda: status_of(cluster, "bad").get("phase") == "Pending")
