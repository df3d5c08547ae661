"""The one idempotent reconcile: TweetBot -> its current Job -> its status. Every trigger (create, update,
resume, a Job event, the poller) calls `reconcile`; it reads the cluster, decides with pure functions
(validation, runs, jobs, schedule, status) and writes only what differs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tweetbot_operator.k8s.client import ApiError, Kube, events_path, jobs_path, pods_path, tweetbot_path
from tweetbot_operator.ops import metrics
from tweetbot_operator.serving.deployment_sync import sync_serving
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.validation import validate_spec
from tweetbot_operator.training.job import base_labels, build_training_job, uses_kueue
from tweetbot_operator.training.multinode import completion_index, job_nodes, node_count
from tweetbot_operator.training.multinode_sync import ensure_service
from tweetbot_operator.training.runs import (
    REFUSED,
    RunPlan,
    annotation,
    awaiting_pods,
    creation_failure,
    is_finished,
    last_slot_label,
    owned_by,
    plan_run,
    refused,
    results_outlived_job,
    run_of,
)
from tweetbot_operator.training.schedule import due_slot, parse_slot, parse_time
from tweetbot_operator.training.status import (
    Event,
    Observation,
    derive_status,
    held_status,
    invalid_status,
    ready_condition,
    status_patch,
    timestamp,
    transition_events,
)
from tweetbot_operator.training.trainer_output import parse_progress

log = logging.getLogger(__name__)
Key = tuple[str, str]  # (namespace, name)
LOG_TAIL_LINES = 20
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"  # set on a Job's pods by the Job controller


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    """What the handlers share: settings, the API client, and per-TweetBot bookkeeping of this process."""

    settings: Settings
    kube: Kube
    clock: Callable[[], datetime] = utcnow
    locks: dict[Key, asyncio.Lock] = field(default_factory=dict)
    active: set[Key] = field(default_factory=set)  # runs with pods, which the poller looks at (pods, logs)
    scheduled: set[Key] = field(default_factory=set)  # TweetBots with spec.schedule
    retry: set[Key] = field(default_factory=set)  # failed reconciles no kopf handler retries (Job events)
    seen_jobs: dict[str, Any] = field(default_factory=dict)  # Job uid -> the state last reconciled from
    serving: Callable[[], bool] = lambda: True  # False while kopf peering pauses this replica
    reconciled: set[Key] = field(default_factory=set)  # TweetBots this process has reconciled (and written)

    def lock(self, key: Key) -> asyncio.Lock:
        return self.locks.setdefault(key, asyncio.Lock())

    def forget(self, key: Key) -> None:
        self.active.discard(key)
        self.scheduled.discard(key)
        self.retry.discard(key)
        self.reconciled.discard(key)
        self.locks.pop(key, None)


def job_fingerprint(job: Mapping[str, Any]) -> Any:
    """What about a Job can change its TweetBot's status."""
    return (job.get("status"), (job.get("spec") or {}).get("suspend"))


async def reconcile(ctx: Context, key: Key, *, read_logs: bool = False, read_events: bool = False,
                    body: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """Bring one TweetBot's Job and status in line with its spec; returns the status (None if it is gone).
    `read_logs`: look at the trainer's log for progress; `read_events`: at the Job's FailedCreate events;
    `body`: the TweetBot as just watched, instead of a fresh GET (only where no write of ours can be missing)."""
    async with ctx.lock(key):
        if key in ctx.reconciled:
            body = None  # kopf's body may predate our own writes since (a Job event reconciled it in between)
        try:
            status = await _reconcile(ctx, key, read_logs, read_events, body)
        except Exception:
            ctx.reconciled.add(key)  # it may have written before it failed
            raise
        if status is not None:  # (None: gone, forgotten)
            ctx.reconciled.add(key)
        ctx.retry.discard(key)
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
        new = invalid_status(tb, errors, now)
        await _write_status(ctx, tb, old, new)
        return new

    # A TweetBot never reconciled before has no Jobs yet: skip the listing on the (hot) creation path.
    fresh = not old and not spec.get("schedule")
    jobs = [] if fresh else await ctx.kube.list(jobs_path(namespace), base_labels(name, c.COMPONENT_TRAIN))
    plan = plan_run(tb, jobs)
    job = plan.job
    try:
        if job is None and not results_outlived_job(tb) and not refused(tb):
            job = await _create_job(ctx, tb, None, plan)
        elif job is not None and job_nodes(job) > 1 and not is_finished(job):
            await _ensure_service(ctx, tb, look_first=True)  # put back if deleted: restarted pods need it
        if spec.get("schedule"):
            job = await _maybe_start_scheduled(ctx, tb, jobs, job, now)
            ctx.scheduled.add(key)
        else:
            ctx.scheduled.discard(key)
    except HeldError as exc:
        new = held_status(tb, exc.observation, now)
        if exc.look_again:
            ctx.active.add(key)
        else:
            ctx.active.discard(key)
        await _write_status(ctx, tb, old, new)
        return new
    if job is None:
        ctx.active.discard(key)
        return dict(old)
    job = await _propagate_suspend(ctx, tb, job, jobs)

    pods: list[dict[str, Any]] = []
    jstatus = job.get("status") or {}
    if jstatus.get("active") or jstatus.get("failed") or jstatus.get("succeeded") or jstatus.get("conditions"):
        pods = await ctx.kube.list(pods_path(namespace), {JOB_NAME_LABEL: job["metadata"]["name"]})
    progress = await _read_progress(ctx, namespace, pods) if read_logs and not is_finished(job) else None
    # Events are read when one came (handlers.pod_creation_failed), and again while the status reports one.
    told = ready_condition(old).get("reason") == "PodCreationFailed" and old.get("jobName") == job["metadata"]["name"]
    failure = await _creation_failure(ctx, namespace, job, pods) if (read_events or told) and awaiting_pods(
        job, pods) else None

    new = derive_status(tb, job, pods, now, progress, creation_failure=failure)
    new = await sync_serving(ctx.kube, ctx.settings, tb, old, new,
                             post=lambda event: post_event(ctx, tb, event), now=now)
    await _write_status(ctx, tb, old, new)
    await _stop_superseded(ctx, tb, [j for j in plan.stop if j is not job], job)  # after the status says why
    if job.get("metadata", {}).get("uid"):
        ctx.seen_jobs[job["metadata"]["uid"]] = job_fingerprint(job)
    # Pods change without Job events (a missing Secret, progress in the log): the poller looks at runs with
    # pods. A Job with none yet (queued, just created) brings its own events when that changes, and a Job whose
    # pod cannot be created brings FailedCreate events (handlers.pod_creation_failed).
    if jstatus.get("active") and not is_finished(job):
        ctx.active.add(key)
    else:
        ctx.active.discard(key)
    return new


class HeldError(Exception):
    """The run cannot start: `observation` says why; `look_again`: the poller reconciles again (something
    outside the spec must change), else nothing does until the spec changes."""

    look_again = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def observation(self) -> Observation:
        return Observation("Failed", "InvalidSpec", f"invalid spec: {REFUSED}{self.message}")  # as invalid_status


class JobRefusedError(HeldError):
    """The API server refused the Job as written (400, 422...): a retry would be refused the same way; once:
    `refused` keeps this generation from trying again."""


class ServiceConflictError(HeldError):
    """The multi-node Job's Service name is taken by a Service this TweetBot does not own, which is never
    touched: the Job waits, and starts once that Service is gone."""

    look_again = True

    @property
    def observation(self) -> Observation:
        return Observation("Pending", "ServiceConflict", self.message)


# 4xx answers a retry may fix: credentials, RBAC or quota (403), a namespace going away, conflicts, throttling.
RETRIED_CLIENT_ERRORS = frozenset({401, 403, 404, 408, 409, 429})


async def _create_job(ctx: Context, tb: Mapping[str, Any], slot: datetime | None,
                      plan: RunPlan | None = None) -> dict[str, Any]:
    plan = plan or RunPlan(None)
    body = build_training_job(tb, ctx.settings, slot, rid=plan.continues, replaces=plan.replaces)
    namespace = tb["metadata"]["namespace"]
    if node_count(tb["spec"]) > 1:  # before the Job: its pods look up node 0 through it as they start
        await _ensure_service(ctx, tb, look_first=False)
    try:
        job = await ctx.kube.create(jobs_path(namespace), body)
    except ApiError as exc:
        if 400 <= exc.status < 500 and exc.status not in RETRIED_CLIENT_ERRORS:
            raise JobRefusedError(exc.message) from exc
        if exc.status != 409:
            raise
        # Created before (an earlier attempt, another trigger): the deterministic name makes this idempotent.
        existing = await ctx.kube.get(jobs_path(namespace, body["metadata"]["name"]))
        if existing is None or not owned_by(existing, tb):
            raise  # e.g. a same-named TweetBot's Job not yet garbage-collected: kopf retries later
        return existing
    metrics.RUNS_STARTED.inc()
    ctx.seen_jobs[job["metadata"]["uid"]] = job_fingerprint(job)  # its ADDED event brings nothing new
    log.info("created Job %s/%s for run %s", namespace, body["metadata"]["name"],
             body["metadata"]["annotations"][c.ANNOTATION_RUN_ID])
    return job


async def _ensure_service(ctx: Context, tb: Mapping[str, Any], *, look_first: bool) -> None:
    conflict = await ensure_service(ctx.kube, tb, look_first=look_first)
    if conflict:
        raise ServiceConflictError(conflict)


async def _maybe_start_scheduled(
    ctx: Context, tb: Mapping[str, Any], jobs: list[dict[str, Any]], job: Mapping[str, Any] | None, now: datetime
) -> Mapping[str, Any] | None:
    created = parse_time(tb["metadata"].get("creationTimestamp")) or now
    own = [j for j in jobs if owned_by(j, tb)]
    slot = due_slot(
        tb["spec"]["schedule"], now, created=created, last_slot=parse_slot(last_slot_label(own)),
        run_active=any(not is_finished(j) for j in [*own, *([job] if job else [])])
        or bool(tb["spec"].get("suspend")),
    )
    if slot is None:
        return job
    new_job = await _create_job(ctx, tb, slot)
    await post_event(ctx, tb, Event("Normal", "ScheduledRun", f"scheduled run for {timestamp(slot)} started"))
    return new_job


async def _stop_superseded(ctx: Context, tb: Mapping[str, Any], old_jobs: list[Mapping[str, Any]],
                           job: Mapping[str, Any]) -> None:
    """Delete active Jobs that a newer one supersedes, with their pods (foreground: the Job stays until its pods
    are gone, which is what a Job continuing the same run waits for), and say so in an event."""
    new_run, new_job = run_of(job), job["metadata"]["name"]
    for old in old_jobs:
        name = old["metadata"]["name"]
        if not await ctx.kube.delete(jobs_path(tb["metadata"]["namespace"], name), propagation="Foreground"):
            continue
        if run_of(old) == new_run:
            event = Event("Normal", "RunMoved", f"stopped Job {name}: run {new_run} continues in Job {new_job} "
                          "(a placement edit), from its last checkpoint")
        else:
            event = Event("Normal", "RunSuperseded", f"stopped run {run_of(old)} (Job {name}): the spec changed "
                          f"and run {new_run} (Job {new_job}) replaces it")
        await post_event(ctx, tb, event)


def _waits_for(job: Mapping[str, Any], jobs: list[dict[str, Any]]) -> bool:
    """A Job continuing a run stays suspended while the Job it replaces (foreground-deleted) still exists."""
    replaces = annotation(job, c.ANNOTATION_REPLACES)
    return bool(replaces) and any(j["metadata"].get("name") == replaces for j in jobs)


async def _propagate_suspend(ctx: Context, tb: Mapping[str, Any], job: Mapping[str, Any],
                             jobs: list[dict[str, Any]]) -> Mapping[str, Any]:
    wanted = bool(tb["spec"].get("suspend")) or _waits_for(job, jobs)
    if is_finished(job) or bool((job.get("spec") or {}).get("suspend")) == wanted:
        return job
    if not wanted and uses_kueue(tb):
        return job  # Kueue unsuspends a queued Job when it admits it
    path = jobs_path(tb["metadata"]["namespace"], job["metadata"]["name"])
    patched = await ctx.kube.merge_patch(path, {"spec": {"suspend": wanted}})
    ctx.seen_jobs[patched["metadata"]["uid"]] = job_fingerprint(patched)
    return patched


async def _read_progress(ctx: Context, namespace: str, pods: list[dict[str, Any]]) -> dict[str, Any] | None:
    # Rank 0 reports progress: the pod of index 0 (a single-node Job's pod has no index).
    running = [p for p in pods if (p.get("status") or {}).get("phase") == "Running"
               and completion_index(p) in (None, 0)]
    if not running:
        return None
    pod = max(running, key=lambda p: str(p["metadata"].get("creationTimestamp") or ""))
    try:
        tail = await ctx.kube.log_tail(namespace, pod["metadata"]["name"], c.TRAINER_CONTAINER, LOG_TAIL_LINES)
    except ApiError as exc:
        log.debug("no log for %s: %s", pod["metadata"]["name"], exc)
        return None
    return parse_progress(tail)


async def _creation_failure(ctx: Context, namespace: str, job: Mapping[str, Any],
                            pods: list[dict[str, Any]]) -> str | None:
    fields = {"involvedObject.kind": "Job", "involvedObject.name": job["metadata"]["name"]}
    try:
        events = await ctx.kube.list(events_path(namespace), fields=fields)
    except ApiError as exc:  # e.g. an older Role without `list events`: the status stays Starting
        log.debug("no events for Job %s: %s", job["metadata"]["name"], exc)
        return None
    return creation_failure(events, job, pods)


async def _write_status(ctx: Context, tb: Mapping[str, Any], old: Mapping[str, Any], new: dict[str, Any]) -> None:
    patch = status_patch(old, new)
    if patch is None:
        return
    meta = tb["metadata"]
    try:
        await ctx.kube.merge_patch(tweetbot_path(meta["namespace"], meta["name"], "status"), {"status": patch})
    except ApiError as exc:
        if exc.status == 404:
            return
        raise
    for event in transition_events(old, new):
        await post_event(ctx, tb, event)
    count_transition(old, new)


def count_transition(old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    same_run = old.get("runId") == new.get("runId")
    if same_run and old.get("phase") == new.get("phase"):
        return
    if new.get("phase") == "Succeeded":
        metrics.RUNS_SUCCEEDED.inc()
    elif new.get("phase") == "Failed":
        reason = next((cnd["reason"] for cnd in new.get("conditions") or [] if cnd["type"] == "Failed"), "Unknown")
        metrics.RUNS_FAILED.labels(reason=reason).inc()
    else:
        return
    start, end = parse_time(new.get("startTime")), parse_time(new.get("completionTime"))
    if start and end:
        metrics.RUN_DURATION.observe(max(0.0, (end - start).total_seconds()))


async def post_event(ctx: Context, tb: Mapping[str, Any], event: Event) -> None:
    """A core/v1 Event on the TweetBot; failures to post are logged, never raised (events are best effort)."""
    meta = tb["metadata"]
    now = timestamp(ctx.clock())
    body = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"generateName": f"{meta['name'][:200]}.", "namespace": meta["namespace"]},
        "involvedObject": {
            "apiVersion": c.API_VERSION, "kind": c.KIND, "name": meta["name"],
            "namespace": meta["namespace"], "uid": meta.get("uid"),
        },
        "type": event.type,
        "reason": event.reason,
        "message": event.message,
        "source": {"component": c.MANAGER},
        "reportingComponent": c.MANAGER,
        "reportingInstance": c.MANAGER,
        "firstTimestamp": now,
        "lastTimestamp": now,
        "count": 1,
    }
    try:
        await ctx.kube.create(events_path(meta["namespace"]), body)
    except (ApiError, OSError) as exc:
        log.warning("could not post event %s on %s/%s: %s", event.reason, meta["namespace"], meta["name"], exc)
