"""The kopf handlers, kept thin: each only finds which TweetBot to reconcile and calls reconcile/finalizer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

import kopf

from tweetbot_operator.context import Context, job_fingerprint
from tweetbot_operator.deletion.finalizer import release_artifacts
from tweetbot_operator.k8s.client import jobs_path
from tweetbot_operator.ops import metrics
from tweetbot_operator.ops.poller import poll_forever
from tweetbot_operator.reconcile import reconcile
from tweetbot_operator.serving import kserve
from tweetbot_operator.serving.deployment import COMPONENT_SERVE
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec import constants as c
from tweetbot_operator.triggers import NoChangeDetection, needs_reconcile

log = logging.getLogger(__name__)
TWEETBOTS = (c.GROUP, c.VERSION, c.PLURAL)
TRAINING_JOBS = {c.LABEL_MANAGED_BY: c.MANAGER, c.LABEL_COMPONENT: c.COMPONENT_TRAIN}
EVENTS = ("", "v1", "events")
FAILED_CREATE_EVENTS = "involvedObject.kind=Job,reason=FailedCreate"
SERVING_DEPLOYMENTS = {c.LABEL_MANAGED_BY: c.MANAGER, c.LABEL_COMPONENT: COMPONENT_SERVE}


def kopf_settings(settings: Settings, priority: int = 0) -> kopf.OperatorSettings:
    ks = kopf.OperatorSettings()
    ks.persistence.finalizer = settings.finalizer
    # Annotations only: the CRD's status schema has no room for kopf's own status fields.
    ks.persistence.progress_storage = kopf.AnnotationsProgressStorage(prefix=settings.annotation_prefix)
    ks.persistence.diffbase_storage = NoChangeDetection()  # level-triggered (triggers.py)
    ks.posting.level = logging.WARNING  # our own events tell the story; kopf adds only its failures
    ks.posting.reporting_component = c.MANAGER
    ks.peering.name = settings.peering or "default"
    ks.peering.standalone = not settings.peering
    # Only the Job controller's FailedCreate events, filtered by the API server: a pod that cannot be created.
    ks.watching.field_selectors[EVENTS] = FAILED_CREATE_EVENTS
    ks.peering.priority = priority
    ks.peering.lifetime = settings.peering_lifetime
    ks.watching.server_timeout = 600
    ks.watching.client_timeout = 660
    return ks


def owner_name(job: Mapping[str, Any]) -> str | None:
    for ref in (job.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("kind") == c.KIND and ref.get("apiVersion", "").startswith(c.GROUP + "/"):
            return str(ref.get("name"))
    return None


async def job_owner(ctx: Context, namespace: str, job_name: str) -> tuple[str, str] | None:
    """The TweetBot whose training Job this is (None for anyone else's Job)."""
    job = await ctx.kube.get(jobs_path(namespace, job_name)) if job_name else None
    labels = ((job or {}).get("metadata") or {}).get("labels") or {}
    if job is None or any(labels.get(k) != v for k, v in TRAINING_JOBS.items()):
        return None
    owner = owner_name(job)
    return (namespace, owner) if owner else None


def build_registry(ctx: Context) -> kopf.OperatorRegistry:
    registry = kopf.OperatorRegistry()
    register_lifecycle(registry, ctx)
    register_watches(registry, ctx)
    # kopf retries a failed handler after `backoff` seconds (60 by default: too long after an API outage).
    backoff = max(1.0, min(10.0, ctx.settings.poll_interval))

    @kopf.on.delete(*TWEETBOTS, field="spec.deletionPolicy", value="Delete", registry=registry, backoff=backoff)
    async def delete_artifacts(body: kopf.Body, namespace: str | None, name: str, **_: Any) -> None:
        ctx.forget((namespace or "", name))
        await release_artifacts(ctx, body)

    return registry


def register_lifecycle(registry: kopf.OperatorRegistry, ctx: Context) -> None:
    """Login with kopf's identity, the poller's task, and closing our client at the end."""
    tasks: list[asyncio.Task[None]] = []

    @kopf.on.login(registry=registry)
    def login(**kwargs: Any) -> kopf.ConnectionInfo | None:
        def fetch() -> kopf.ConnectionInfo | None:
            return kopf.login_with_service_account(**kwargs) or kopf.login_with_kubeconfig(**kwargs)

        info = fetch()
        if info is not None:
            ctx.kube.configure(info, refresh=fetch)  # our client uses kopf's identity
        return info

    @kopf.on.startup(registry=registry)
    async def start_poller(**_: Any) -> None:
        tasks.append(asyncio.create_task(poll_forever(ctx), name="tweetbot-poller"))

    @kopf.on.cleanup(registry=registry)
    async def stop(**_: Any) -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await ctx.kube.close()


async def reconcile_or_retry(ctx: Context, key: tuple[str, str], kind: str, **options: Any) -> None:
    """Event handlers are not retried by kopf: a failed reconcile is counted, logged and left to the poller."""
    try:
        await reconcile(ctx, key, **options)
    except Exception:
        metrics.RECONCILE_ERRORS.labels(kind=kind).inc()
        ctx.retry.add(key)
        log.exception("reconciling %s/%s after a %s event failed; retrying", *key, kind)


def register_watches(registry: kopf.OperatorRegistry, ctx: Context) -> None:
    """Level-triggered: every watched change of a TweetBot or of one of its children reconciles that TweetBot."""

    @kopf.on.event(*TWEETBOTS, registry=registry)
    async def tweetbot_changed(body: kopf.Body, type: str | None, namespace: str | None, name: str | None,
                               **_: Any) -> None:
        key = (namespace or "", name or "")
        if type == "DELETED":
            ctx.forget(key)
            return
        if needs_reconcile(body, type):
            # kopf's body saves the GET for a TweetBot never reconciled (the creation path); reconcile drops
            # it once this process has reconciled that TweetBot, since it may then lack our own writes.
            await reconcile_or_retry(ctx, key, "tweetbot", body=body if not body.get("status") else None)

    @kopf.on.event("batch", "v1", "jobs", labels=TRAINING_JOBS, registry=registry)
    async def job_changed(body: kopf.Body, type: str, namespace: str | None, **_: Any) -> None:
        uid = body.get("metadata", {}).get("uid")
        owner = owner_name(body)
        if type == "DELETED":
            # A stopped Job is gone with its pods: a Job continuing its run may start now. (A Job removed by
            # ttlSecondsAfterFinished changes nothing: the status keeps the run's results.)
            ctx.seen_jobs.pop(uid, None)
        elif owner is None or ctx.seen_jobs.get(uid) == job_fingerprint(body):
            return  # nothing new since its TweetBot was last reconciled
        if owner is not None:
            await reconcile_or_retry(ctx, (namespace or "", owner), "job")

    @kopf.on.event(*EVENTS, registry=registry)
    async def pod_creation_failed(body: kopf.Body, namespace: str | None, **_: Any) -> None:
        job_ref = body.get("involvedObject") or {}
        if job_ref.get("kind") != "Job" or body.get("reason") != "FailedCreate":
            return  # an API server that ignored the field selector
        key = await job_owner(ctx, namespace or "", str(job_ref.get("name") or ""))
        if key is not None:
            await reconcile_or_retry(ctx, key, "event", read_events=True)

    @kopf.on.event("apps", "v1", "deployments", labels=SERVING_DEPLOYMENTS, registry=registry)
    async def serving_changed(body: kopf.Body, namespace: str | None, **_: Any) -> None:
        owner = owner_name(body)  # readiness for status.serving, or a deleted Deployment to put back
        if owner is not None:
            await reconcile_or_retry(ctx, (namespace or "", owner), "deployment")

    # spec.serving.runtime kserve: KServe's status (url, Ready). kopf serves this only where KServe is installed.
    @kopf.on.event(kserve.GROUP, kserve.VERSION, kserve.PLURAL, labels=SERVING_DEPLOYMENTS, registry=registry)
    async def inference_service_changed(body: kopf.Body, namespace: str | None, **_: Any) -> None:
        owner = owner_name(body)
        if owner is not None:
            await reconcile_or_retry(ctx, (namespace or "", owner), "inferenceservice")
