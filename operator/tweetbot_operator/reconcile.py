"""The one idempotent reconcile: read -> training sync -> derive status -> serving sync -> write.

Every trigger (create, update, resume, a Job event, the poller) calls `reconcile`. It reads the TweetBot and its
Jobs, lets training/sync.py create what is missing, derives the status with pure functions (training/status.py),
lets serving/dispatcher.py bring the served bot in line, writes the status if it changed, and only then stops
superseded Jobs (the status says why before anything is deleted)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_operator.context import Context, Key
from tweetbot_operator.k8s.client import ApiError, jobs_path, pods_path, tweetbot_path
from tweetbot_operator.k8s.owned import base_labels
from tweetbot_operator.k8s.secrets import secret_problems
from tweetbot_operator.ops import metrics
from tweetbot_operator.ops.metrics import count_transition
from tweetbot_operator.serving.dispatcher import serving_retry, sync_serving
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.tenancy import policy_errors
from tweetbot_operator.spec.validation import validate_spec
from tweetbot_operator.training import blocked
from tweetbot_operator.training import sync as training
from tweetbot_operator.training.runs import awaiting_pods, is_finished, plan_run
from tweetbot_operator.training.status import (
    Observation,
    derive_status,
    held_status,
    invalid_status,
    ready_condition,
    status_patch,
    transition_events,
)

JOB_NAME_LABEL = "batch.kubernetes.io/job-name"  # set on a Job's pods by the Job controller


async def reconcile(ctx: Context, key: Key, *, read_logs: bool = False, read_events: bool = False,
                    body: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """Bring one TweetBot's Job and status in line with its spec; returns the status (None if it is gone).
    `read_logs`: look at the trainer's log for progress; `read_events`: at the Job's FailedCreate events;
    `body`: the TweetBot as just watched, instead of a fresh GET (only where no write of ours can be missing)."""
    async with ctx.lock(key):
        if key in ctx.reconciled:
            body = None  # kopf's body may predate our own writes since (a Job event reconciled it in between)
        try:
            with metrics.RECONCILE_DURATION.time():
                status = await _reconcile(ctx, key, read_logs, read_events, body)
        except Exception:
            ctx.reconciled.add(key)  # it may have written before it failed
            raise
        if status is not None:  # (None: gone, forgotten)
            ctx.reconciled.add(key)
            metrics.observe_status(key, status)
        else:
            metrics.forget(key)
        # A transient serving error left the training status written: the poller tries serving again.
        (ctx.retry.add if status is not None and serving_retry(status) else ctx.retry.discard)(key)
        return status


async def _reconcile(ctx: Context, key: Key, read_logs: bool, read_events: bool,
                     body: Mapping[str, Any] | None) -> dict[str, Any] | None:
    namespace, name = key
    tb = body if body is not None else await ctx.kube.get(tweetbot_path(namespace, name))
    if tb is None or tb["metadata"].get("deletionTimestamp"):
        ctx.forget(key)
        return None
    now = ctx.clock()
    spec = tb.get("spec") or {}
    old = tb.get("status") or {}

    errors = validate_spec(spec)
    if errors:
        ctx.active.discard(key)
        ctx.scheduled.discard(key)
        return await _write_status(ctx, tb, old, invalid_status(tb, errors, now))
    refused = blocked.blocked_observation(spec, await blocked.blocked_handles(ctx.kube))
    if refused is not None:  # a takedown: nothing of this handle trains, here or later
        ctx.active.add(key)  # the list may lose the handle without an event of this TweetBot: the poller looks
        ctx.scheduled.discard(key)
        status = await _write_status(ctx, tb, old, held_status(tb, refused, now))
        await blocked.stop_runs(ctx.kube, tb, lambda event: ctx.post(tb, event))
        return status
    refusals = policy_errors(spec, namespace, ctx.settings.tenancy)
    secrets = await secret_problems(ctx.kube, namespace, spec, ctx.settings.tenancy)
    if refusals or secrets:  # a Secret may be labelled or created later: the poller looks again
        (ctx.active.add if secrets else ctx.active.discard)(key)
        held = Observation("Failed", "NotPermitted", "not permitted: " + "; ".join(refusals + secrets))
        return await _write_status(ctx, tb, old, held_status(tb, held, now))

    # A TweetBot never reconciled before has no Jobs yet: skip the listing on the (hot) creation path.
    fresh = not old and not spec.get("schedule")
    jobs = [] if fresh else await ctx.kube.list(jobs_path(namespace), base_labels(name, c.COMPONENT_TRAIN))
    plan = plan_run(tb, jobs)
    job = await training.ensure_run(ctx, tb, jobs, plan, now)
    if isinstance(job, training.Held):
        (ctx.active.add if job.look_again else ctx.active.discard)(key)
        return await _write_status(ctx, tb, old, held_status(tb, job.observation, now))
    if job is None:
        ctx.active.discard(key)
        return dict(old)
    job = await training.propagate_suspend(ctx, tb, job, jobs)

    pods: list[dict[str, Any]] = []
    jstatus = job.get("status") or {}
    if jstatus.get("active") or jstatus.get("failed") or jstatus.get("succeeded") or jstatus.get("conditions"):
        pods = await ctx.kube.list(pods_path(namespace), {JOB_NAME_LABEL: job["metadata"]["name"]})
    progress = await training.read_progress(ctx, namespace, pods) if read_logs and not is_finished(job) else None
    # Events are read when one came (handlers.pod_creation_failed), and again while the status reports one.
    told = ready_condition(old).get("reason") == "PodCreationFailed" and old.get("jobName") == job["metadata"]["name"]
    failure = await training.read_creation_failure(ctx, namespace, job, pods) if (read_events or told) and \
        awaiting_pods(job, pods) else None

    new = derive_status(tb, job, pods, now, progress, creation_failure=failure)
    new = await sync_serving(ctx.kube, ctx.settings, tb, old, new, post=lambda event: ctx.post(tb, event), now=now)
    await _write_status(ctx, tb, old, new)
    await training.stop_superseded(ctx, tb, [j for j in plan.stop if j is not job], job)  # after the status
    ctx.remember(job)
    # Pods change without Job events (a missing Secret, progress in the log): the poller looks at runs with
    # pods. A Job with none yet (queued, just created) brings its own events when that changes, and a Job whose
    # pod cannot be created brings FailedCreate events (handlers.pod_creation_failed).
    (ctx.active.add if jstatus.get("active") and not is_finished(job) else ctx.active.discard)(key)
    return new


async def _write_status(ctx: Context, tb: Mapping[str, Any], old: Mapping[str, Any],
                        new: dict[str, Any]) -> dict[str, Any]:
    """Patch what changed of the status, then post the events its transitions make; returns `new`."""
    patch = status_patch(old, new)
    if patch is None:
        return new
    meta = tb["metadata"]
    try:
        await ctx.kube.merge_patch(tweetbot_path(meta["namespace"], meta["name"], "status"), {"status": patch})
    except ApiError as exc:
        if exc.status == 404:
            return new
        raise
    for event in transition_events(old, new):
        await ctx.post(tb, event)
    count_transition(old, new, meta["namespace"])
    return new
