"""The kopf handlers, kept thin: each only finds which TweetBot to reconcile and calls reconcile/finalizer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

import kopf

from . import constants as c
from . import metrics
from .finalizer import release_artifacts
from .poller import poll_forever
from .reconcile import Context, job_fingerprint, reconcile
from .settings import Settings

log = logging.getLogger(__name__)
TWEETBOTS = (c.GROUP, c.VERSION, c.PLURAL)
TRAINING_JOBS = {c.LABEL_MANAGED_BY: c.MANAGER, c.LABEL_COMPONENT: c.COMPONENT_TRAIN}


def kopf_settings(settings: Settings, priority: int = 0) -> kopf.OperatorSettings:
    ks = kopf.OperatorSettings()
    ks.persistence.finalizer = settings.finalizer
    # Annotations only: the CRD's status schema has no room for kopf's own status fields.
    ks.persistence.progress_storage = kopf.AnnotationsProgressStorage(prefix=settings.annotation_prefix)
    ks.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage(
        prefix=settings.annotation_prefix, key="last-handled-configuration"
    )
    ks.posting.level = logging.WARNING  # our own events tell the story; kopf adds only its failures
    ks.posting.reporting_component = c.MANAGER
    ks.peering.name = settings.peering or "default"
    ks.peering.standalone = not settings.peering
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


def build_registry(ctx: Context) -> kopf.OperatorRegistry:
    registry = kopf.OperatorRegistry()
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

    # kopf retries a failed handler after `backoff` seconds (60 by default: too long after an API outage).
    backoff = max(1.0, min(10.0, ctx.settings.poll_interval))

    @kopf.on.resume(*TWEETBOTS, registry=registry, backoff=backoff)
    @kopf.on.create(*TWEETBOTS, registry=registry, backoff=backoff)
    @kopf.on.update(*TWEETBOTS, registry=registry, backoff=backoff)
    async def reconcile_tweetbot(namespace: str | None, name: str, **_: Any) -> None:
        try:
            await reconcile(ctx, (namespace or "", name))
        except Exception:
            metrics.RECONCILE_ERRORS.labels(kind="tweetbot").inc()
            raise  # kopf retries with backoff

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
        if owner is None:
            return
        try:
            await reconcile(ctx, (namespace or "", owner))
        except Exception:  # event handlers are not retried: the poller does it
            metrics.RECONCILE_ERRORS.labels(kind="job").inc()
            ctx.retry.add((namespace or "", owner))
            log.exception("reconciling %s/%s after a Job event failed; retrying", namespace, owner)

    @kopf.on.delete(*TWEETBOTS, field="spec.deletionPolicy", value="Delete", registry=registry, backoff=backoff)
    async def delete_artifacts(body: kopf.Body, namespace: str | None, name: str, **_: Any) -> None:
        ctx.forget((namespace or "", name))
        await release_artifacts(ctx, body)

    return registry
