"""Paths that broke on a real API server and not on the old emulator (issue 11, defects 3-7): each reconciles
against the emulator, which now refuses what a real API server refuses, as the operator's RBAC allows."""

from __future__ import annotations

import json

from tweetbot_operator.k8s.client import events_path, tweetbot_path
from tweetbot_operator.reconcile import reconcile

from tests.operator.factories import (
    KEY,
    NS,
    SUCCESS_MESSAGE,
    condition_of,
    events_of,
    make_pod,
    set_job_status,
    started,
    status_of,
)

RUNNING = {"running": {"startedAt": "2026-11-25T10:00:00Z"}}


def requests(cluster, method, suffix):
    return [r for r in cluster.call(lambda api: list(api.request_log)) if r[0] == method and
            r[1].split("?")[0].endswith(suffix)]


# -- defect 3: NaN and Infinity never leave the operator --------------------------------------------------------

async def test_non_finite_progress_never_reaches_the_api(cluster, client, ctx):
    job = await started(cluster, client, ctx)
    await set_job_status(client, job, {"active": 1, "startTime": "2026-11-25T10:00:00Z"})
    pod = await make_pod(client, job, RUNNING)
    cluster.set_log(NS, pod, '{"event": "progress", "step": 5, "total_steps": 10, "percent": 50.0, '
                    '"loss": NaN, "eta_s": Infinity, "tokens_per_s": -Infinity}\n')
    status = await reconcile(ctx, KEY, read_logs=True)
    assert status["progress"] == {"step": 5, "totalSteps": 10, "percent": 50.0}
    assert status_of(cluster)["progress"] == status["progress"]


async def test_non_finite_results_in_the_termination_message_are_left_out(cluster, client, ctx):
    job = await started(cluster, client, ctx)
    message = json.dumps({**SUCCESS_MESSAGE, "evalLoss": float("nan"), "perplexity": float("inf")})
    await make_pod(client, job, {"terminated": {"exitCode": 0, "message": message}}, phase="Succeeded")
    await set_job_status(client, job, {"succeeded": 1, "conditions": [
        {"type": "Complete", "status": "True", "lastTransitionTime": "2026-11-25T10:05:00Z"}]})
    status = await reconcile(ctx, KEY)
    assert status["phase"] == "Succeeded" and status["evalLossBefore"] == 3.9
    assert "evalLoss" not in status and "perplexity" not in status
    assert status_of(cluster)["phase"] == "Succeeded"


# -- defect 4: a Job the API server refuses is Failed/InvalidSpec, once -----------------------------------------

async def test_a_refused_job_is_invalid_spec_once_with_an_event(cluster, client, ctx):
    # The CRD passes affinity through as written; the API server refuses it in the Job.
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": "gpu nodes please"}}
    await started(cluster, client, ctx, {"affinity": affinity})
    status = status_of(cluster)
    assert status["phase"] == "Failed"
    failed = condition_of(status, "Failed")
    assert failed["reason"] == "InvalidSpec" and "the API server refused the training Job" in failed["message"]
    assert "requiredDuringSchedulingIgnoredDuringExecution" in failed["message"]
    for _ in range(3):  # resume, the poller, a Job event: no new attempt until the spec changes
        await reconcile(ctx, KEY, read_logs=True)
    assert len(requests(cluster, "POST", "/jobs")) == 1
    assert [reason for _, reason, _ in events_of(cluster)] == ["InvalidSpec"]
    await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"affinity": None}})
    assert (await reconcile(ctx, KEY))["phase"] == "Pending"
    assert cluster.read("batch/v1/jobs", NS, "spiraltoo-g2") is not None


# -- defect 5: pods that cannot be created --------------------------------------------------------------------

async def test_failed_create_events_make_pod_creation_failed(cluster, client, ctx):
    job = await started(cluster, client, ctx)
    uid = cluster.read("batch/v1/jobs", NS, job)["metadata"]["uid"]
    why = ('pods "spiraltoo-g1-x7k2p" is forbidden: error looking up service account default/trainer: '
           'serviceaccount "trainer" not found')
    await client.create(events_path(NS), {
        "apiVersion": "v1", "kind": "Event", "metadata": {"name": f"{job}.1"}, "type": "Warning",
        "reason": "FailedCreate", "message": f"Error creating: {why}", "source": {"component": "job-controller"},
        "involvedObject": {"apiVersion": "batch/v1", "kind": "Job", "name": job, "namespace": NS, "uid": uid}})
    status = await reconcile(ctx, KEY, read_events=True)  # as after the event (handlers.pod_creation_failed)
    ready = condition_of(status, "Ready")
    assert status["phase"] == "Pending" and ready["reason"] == "PodCreationFailed"
    assert why in ready["message"]
    assert await reconcile(ctx, KEY) == status  # a reconcile for another reason keeps telling it
    assert [(t, r) for t, r, _ in events_of(cluster)].count(("Warning", "PodCreationFailed")) == 1


# -- defect 6: status and schema agree, so a second reconcile writes nothing ---------------------------------

async def test_a_second_reconcile_patches_nothing(cluster, client, ctx):
    job = await started(cluster, client, ctx)
    stats = {"spiraltoo": {"downloaded": 10, "retweets": 1, "short": 2, "kept": 6, "skipped": 1}}
    message = json.dumps({**SUCCESS_MESSAGE, "stats": stats})
    await make_pod(client, job, {"terminated": {"exitCode": 0, "message": message}}, phase="Succeeded")
    await set_job_status(client, job, {"succeeded": 1, "startTime": "2026-11-25T10:00:00Z", "conditions": [
        {"type": "Complete", "status": "True", "lastTransitionTime": "2026-11-25T10:05:00Z"}]})
    first = await reconcile(ctx, KEY)
    assert status_of(cluster) == first and status_of(cluster)["stats"] == stats
    patches = len(requests(cluster, "PATCH", "/status"))
    await reconcile(ctx, KEY, read_logs=True)
    assert len(requests(cluster, "PATCH", "/status")) == patches


# -- defect 7: progress lines glued to tqdm output ------------------------------------------------------------

async def test_progress_is_read_from_a_log_as_the_kubelet_writes_it(cluster, client, ctx):
    job = await started(cluster, client, ctx)
    await set_job_status(client, job, {"active": 1, "startTime": "2026-11-25T10:00:00Z"})
    pod = await make_pod(client, job, RUNNING)
    progress = {"event": "progress", "step": 7, "total_steps": 10, "percent": 70.0, "loss": 3.2, "eta_s": 9.0}
    # stdout and stderr of one container, interleaved into one stream: tqdm's \r updates have no newline, so the
    # JSON line that follows them does not start the log line.
    log = ('{"event": "phase", "phase": "train", "ts": 1.0}\n'
           "train:   0%|          | 0/10 [00:00<?, ?it/s]\rtrain:  60%|######    | 6/10 [00:06<00:04]"
           + json.dumps(progress) + "\n\rtrain:  70%|#######   | 7/10 [00:07<00:03]")
    cluster.set_log(NS, pod, log)
    status = await reconcile(ctx, KEY, read_logs=True)
    assert status["progress"] == {"step": 7, "totalSteps": 10, "percent": 70.0, "loss": 3.2, "etaSeconds": 9.0}


# -- issue 14: a GPU that is not NVIDIA's ----------------------------------------------------------------------

async def test_a_tweetbot_asks_for_the_gpus_it_names(cluster, client, ctx):
    job = await started(cluster, client, ctx, {"resources": {"gpus": 2, "gpuResourceName": "amd.com/gpu"}})
    pod = cluster.read("batch/v1/jobs", NS, job)["spec"]["template"]["spec"]
    assert pod["containers"][0]["resources"]["limits"] == {"amd.com/gpu": "2"}
    assert {"key": "amd.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in pod["tolerations"]


async def test_a_gated_base_model_token_reaches_the_job_by_reference(cluster, client, ctx):
    job = await started(cluster, client, ctx, {"baseModel": "org/gated", "baseModelTokenSecret": {"name": "hf"}})
    [container] = cluster.read("batch/v1/jobs", NS, job)["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e.get("valueFrom") for e in container["env"]}
    assert env["HF_TOKEN"] == {"secretKeyRef": {"name": "hf", "key": "token", "optional": False}}  # defaulted key
