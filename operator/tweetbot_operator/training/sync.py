"""The writes a reconcile makes for training: the run's Job (and a multi-node run's headless Service) created
when missing, scheduled runs started, suspend propagated, superseded Jobs stopped; and the reads that inform its
status (the trainer's log, the Job's FailedCreate events). Decisions are the pure modules' (runs.py, job.py,
multinode.py, schedule.py). A run that cannot start is a `Held` value, not an exception."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tweetbot_operator.context import Context
from tweetbot_operator.k8s.client import ApiError, events_path, jobs_path, services_path
from tweetbot_operator.k8s.events import Event, timestamp
from tweetbot_operator.k8s.owned import create_owned, is_owned_by
from tweetbot_operator.ops import metrics
from tweetbot_operator.spec import constants as c
from tweetbot_operator.training import blocked, kueue
from tweetbot_operator.training.job import build_rendezvous_service, build_training_job, uses_kueue
from tweetbot_operator.training.kueue import join_queue, queued
from tweetbot_operator.training.multinode import completion_index, job_nodes, node_count
from tweetbot_operator.training.runs import (
    REFUSED_PREFIX,
    RunPlan,
    annotation,
    creation_failure,
    is_finished,
    last_slot_label,
    refused,
    results_outlived_job,
    run_of,
)
from tweetbot_operator.training.schedule import due_slot, parse_slot, parse_time
from tweetbot_operator.training.status import Observation
from tweetbot_operator.training.trainer_output import parse_progress

log = logging.getLogger(__name__)
LOG_TAIL_LINES = 20
# 4xx answers a retry may fix: credentials, RBAC or quota (403), a namespace going away, conflicts, throttling.
RETRIED_CLIENT_ERRORS = frozenset({401, 403, 404, 408, 409, 429})


@dataclass(frozen=True)
class Held:
    """The run cannot start: `observation` says why; `look_again`: the poller reconciles again (something
    outside the spec must change), else nothing does until the spec changes."""

    observation: Observation
    look_again: bool = False


def job_refused(message: str) -> Held:
    """The API server refused the Job as written (400, 422...): a retry would be refused the same way; once:
    `refused` keeps this generation from trying again."""
    return Held(Observation("Failed", "InvalidSpec", f"invalid spec: {REFUSED_PREFIX}{message}"))


async def ensure_run(ctx: Context, tb: Mapping[str, Any], jobs: list[dict[str, Any]], plan: RunPlan,
                     now: datetime) -> Mapping[str, Any] | Held | None:
    """The Job of the TweetBot's current run, created when missing (once per generation, or per due cron slot);
    None when there is none to have (its results outlived it)."""
    job: Mapping[str, Any] | None = plan.job
    if job is None and not results_outlived_job(tb) and not refused(tb):
        created = await create_job(ctx, tb, None, plan)
        if isinstance(created, Held):
            return created
        job = created
    elif job is not None and job_nodes(job) > 1 and not is_finished(job):
        held = await ensure_service(ctx, tb, look_first=True)  # put back if deleted: restarted pods need it
        if held:
            return held
    key = (tb["metadata"]["namespace"], tb["metadata"]["name"])
    if tb["spec"].get("schedule"):
        ctx.scheduled.add(key)
        return await _maybe_start_scheduled(ctx, tb, jobs, job, now)
    ctx.scheduled.discard(key)
    return job


async def create_job(ctx: Context, tb: Mapping[str, Any], slot: datetime | None,
                     plan: RunPlan | None = None) -> dict[str, Any] | Held:
    plan = plan or RunPlan(None)
    refused = blocked.blocked_observation(tb["spec"], await blocked.blocked_handles(ctx.kube, fresh=True))
    if refused is not None:  # listed since the cached read that let this reconcile through
        return Held(refused, look_again=True)
    body = build_training_job(tb, ctx.settings, slot, rid=plan.continues, replaces=plan.replaces)
    namespace = tb["metadata"]["namespace"]
    if node_count(tb["spec"]) > 1:  # before the Job: its pods look up node 0 through it as they start
        held = await ensure_service(ctx, tb, look_first=False)
        if held:
            return held
    try:
        found = await create_owned(ctx.kube, jobs_path(namespace), body, tb)
    except ApiError as exc:
        if 400 <= exc.status < 500 and exc.status not in RETRIED_CLIENT_ERRORS:
            return job_refused(exc.message)
        raise
    if found.foreign:  # e.g. a same-named TweetBot's Job not yet garbage-collected: kopf retries later
        raise ApiError(409, "AlreadyExists", f"Job {body['metadata']['name']} exists and is not this TweetBot's")
    if found.new:
        metrics.RUNS_STARTED.labels(namespace=namespace).inc()
        ctx.remember(found.obj)  # its ADDED event brings nothing new
        log.info("created Job %s/%s for run %s", namespace, body["metadata"]["name"],
                 body["metadata"]["annotations"][c.ANNOTATION_RUN_ID])
    return found.obj


async def ensure_service(ctx: Context, tb: Mapping[str, Any], *, look_first: bool) -> Held | None:
    """The multi-node run's headless Service, created when missing; `look_first`: GET before the POST (a running
    Job's Service is there nearly always). A Service of that name this TweetBot does not own holds the run."""
    found = await create_owned(ctx.kube, services_path(tb["metadata"]["namespace"]), build_rendezvous_service(tb),
                               tb, look_first=look_first)
    if not found.foreign:
        return None
    name = found.obj["metadata"]["name"]
    return Held(Observation("Pending", "ServiceConflict",
                            f"Service {name} exists and is not this TweetBot's: its nodes find each other through "
                            "a Service of that name; delete or rename that one and the run starts"), look_again=True)


async def _maybe_start_scheduled(ctx: Context, tb: Mapping[str, Any], jobs: list[dict[str, Any]],
                                 job: Mapping[str, Any] | None, now: datetime) -> Mapping[str, Any] | Held | None:
    created = parse_time(tb["metadata"].get("creationTimestamp")) or now
    own = [j for j in jobs if is_owned_by(j, tb)]
    slot = due_slot(
        tb["spec"]["schedule"], now, created=created, last_slot=parse_slot(last_slot_label(own)),
        run_active=any(not is_finished(j) for j in [*own, *([job] if job else [])])
        or bool(tb["spec"].get("suspend")),
        zone=tb["spec"].get("timeZone") or None,
    )
    if slot is None:
        return job
    new_job = await create_job(ctx, tb, slot)
    if not isinstance(new_job, Held):
        await ctx.post(tb, Event("Normal", "ScheduledRun", f"scheduled run for {timestamp(slot)} started"))
    return new_job


async def stop_superseded(ctx: Context, tb: Mapping[str, Any], old_jobs: list[Mapping[str, Any]],
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
        await ctx.post(tb, event)


def _waits_for(job: Mapping[str, Any], jobs: list[dict[str, Any]]) -> bool:
    """A Job continuing a run stays suspended while the Job it replaces (foreground-deleted) still exists."""
    replaces = annotation(job, c.ANNOTATION_REPLACES)
    return bool(replaces) and any(j["metadata"].get("name") == replaces for j in jobs)


async def propagate_suspend(ctx: Context, tb: Mapping[str, Any], job: Mapping[str, Any],
                            jobs: list[dict[str, Any]]) -> Mapping[str, Any]:
    wanted = bool(tb["spec"].get("suspend")) or _waits_for(job, jobs)
    if uses_kueue(tb) and not is_finished(job):
        if not queued(job):  # a Job continuing a run, created outside the queue
            return job if wanted else await join_queue(ctx, tb, job)
        if await kueue.set_active(ctx, job, not wanted) or not wanted:
            return job  # Kueue suspends a deactivated Workload's Job, and starts an admitted one
    if is_finished(job) or bool((job.get("spec") or {}).get("suspend")) == wanted:
        return job
    path = jobs_path(tb["metadata"]["namespace"], job["metadata"]["name"])
    patched = await ctx.kube.merge_patch(path, {"spec": {"suspend": wanted}})
    ctx.remember(patched)
    return patched


async def read_progress(ctx: Context, namespace: str, pods: list[dict[str, Any]]) -> dict[str, Any] | None:
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


async def read_creation_failure(ctx: Context, namespace: str, job: Mapping[str, Any],
                                pods: list[dict[str, Any]]) -> str | None:
    fields = {"involvedObject.kind": "Job", "involvedObject.name": job["metadata"]["name"]}
    try:
        events = await ctx.kube.list(events_path(namespace), fields=fields)
    except ApiError as exc:  # e.g. an older Role without `list events`: the status stays Starting
        log.debug("no events for Job %s: %s", job["metadata"]["name"], exc)
        return None
    return creation_failure(events, job, pods)
