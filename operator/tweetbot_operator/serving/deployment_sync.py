"""Keeps a TweetBot's serving objects in line with spec.serving and its latest model: the reconcile's one call
for serving. Decisions are the pure builders' (serving.py, kserve.py); this only reads and writes what differs.
runtime deployment: a Deployment and a Service (here); runtime kserve: an InferenceService (kserve_sync.py).
Switching runtime removes the other runtime's objects that this TweetBot owns."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tweetbot_operator.k8s.client import ApiError, Kube, services_path
from tweetbot_operator.serving.deployment import (
    build_deployment,
    build_service,
    deployment_model,
    enabled,
    needs_update,
    serving_name,
    serving_status,
)
from tweetbot_operator.serving.kserve import had_kserve, owned_by, uses_kserve
from tweetbot_operator.serving.kserve_sync import PostEvent, stop_kserve, sync_kserve
from tweetbot_operator.settings import Settings
from tweetbot_operator.training.status import Event

log = logging.getLogger(__name__)


def deployments_path(namespace: str, name: str | None = None) -> str:
    return f"/apis/apps/v1/namespaces/{namespace}/deployments" + (f"/{name}" if name else "")


async def _create(kube: Kube, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return await kube.create(path, body)
    except ApiError as exc:
        existing = await kube.get(f"{path}/{body['metadata']['name']}") if exc.status == 409 else None
        if existing is None:
            raise
        return existing


async def _stop_owned(kube: Kube, tb: Mapping[str, Any]) -> bool:
    """Delete the Deployment and Service if this TweetBot owns them (switching to runtime kserve)."""
    namespace, name = tb["metadata"]["namespace"], serving_name(tb["metadata"]["name"])
    gone = False
    for path in (deployments_path(namespace, name), services_path(namespace, name)):
        if owned_by(await kube.get(path), tb):
            gone = await kube.delete(path) or gone
    return gone


async def sync_serving(kube: Kube, settings: Settings, tb: Mapping[str, Any], old: Mapping[str, Any],
                       new: dict[str, Any], *, post: PostEvent, now: datetime | None = None) -> dict[str, Any]:
    """`new` with status.serving set (or left out when not serving), after creating, rolling or removing the
    serving objects. The model is the newest successful run's; a run in progress keeps the old one."""
    spec = tb.get("spec") or {}
    was = old.get("serving") or {}
    if uses_kserve(spec):
        if was and not had_kserve(old) and await _stop_owned(kube, tb):
            await post(Event("Normal", "ServingStopped", "deleted the serving Deployment and Service (runtime kserve)"))
        return await sync_kserve(kube, settings, tb, old, new, post=post, now=now)
    if had_kserve(old):  # serving stopped, or switched back to the Deployment
        await stop_kserve(kube, tb, post=post, why="serving disabled" if not enabled(spec) else "runtime deployment")
        was = {}
    return await _sync_deployment(kube, settings, tb, was, new, post=post)


async def _sync_deployment(kube: Kube, settings: Settings, tb: Mapping[str, Any], was: Mapping[str, Any],
                           new: dict[str, Any], *, post: PostEvent) -> dict[str, Any]:
    meta = tb["metadata"]
    namespace, name = meta["namespace"], serving_name(meta["name"])
    if not enabled(tb.get("spec") or {}):
        if was and await _stop_owned(kube, tb):
            await post(Event("Normal", "ServingStopped", f"stopped serving {was.get('modelURI')}"))
        return new
    model = new.get("modelURI") or was.get("modelURI")
    if not model:
        return new  # nothing trained yet
    wanted = build_deployment(tb, str(model), settings)
    deployment = await kube.get(deployments_path(namespace, name))
    service = await kube.get(services_path(namespace, name))
    foreign = [obj["kind"] for obj in (deployment, service) if obj is not None and not owned_by(obj, tb)]
    if foreign:  # someone else's, of the serving name: never patched, never deleted
        await post(Event("Warning", "ServingConflict", f"{' and '.join(foreign)} {name} exists and is not this "
                         "TweetBot's: rename or delete it to serve the bot"))
        return new
    if deployment is None:
        deployment = await _create(kube, deployments_path(namespace), wanted)
        await post(Event("Normal", "ServingStarted", f"serving {model} at Deployment {name}"))
    elif needs_update(deployment, wanted):
        before = deployment_model(deployment)
        deployment = await kube.merge_patch(deployments_path(namespace, name),
                                            {"metadata": {"annotations": wanted["metadata"]["annotations"]},
                                             "spec": wanted["spec"]})
        if before != model:
            await post(Event("Normal", "ServingRolled", f"rolling Deployment {name} from {before} to {model}"))
    if service is None:
        await _create(kube, services_path(namespace), build_service(tb))
    status = serving_status(tb, deployment)
    if status is not None:
        new["serving"] = status
        if status["ready"] and not (was.get("ready") and was.get("modelURI") == status["modelURI"]):
            await post(Event("Normal", "ServingReady", f"{status['url']} answers with {status['modelURI']}"))
    return new
