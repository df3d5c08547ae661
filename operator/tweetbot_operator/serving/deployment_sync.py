"""Runtime `deployment`: a Deployment running tweetbot-serve on the newest successful run, and its Service. The
decisions are the pure builders' (deployment.py); this reads and writes what differs. `sync` and `stop` are the
two calls every serving runtime has (serving/dispatcher.py picks the runtime)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_operator.k8s.client import Kube, services_path
from tweetbot_operator.k8s.events import Event, PostEvent
from tweetbot_operator.k8s.owned import create_owned, is_owned_by
from tweetbot_operator.serving.deployment import (
    build_deployment,
    build_service,
    deployment_model,
    needs_update,
    serving_name,
    serving_status,
    update_patch,
)
from tweetbot_operator.settings import Settings

RUNTIME = "deployment"


def deployments_path(namespace: str, name: str | None = None) -> str:
    return f"/apis/apps/v1/namespaces/{namespace}/deployments" + (f"/{name}" if name else "")


async def stop(kube: Kube, tb: Mapping[str, Any], *, post: PostEvent, why: str) -> bool:
    """Delete the Deployment and Service if this TweetBot owns them (another owner's of that name stay)."""
    namespace, name = tb["metadata"]["namespace"], serving_name(tb["metadata"]["name"])
    gone = False
    for path in (deployments_path(namespace, name), services_path(namespace, name)):
        if is_owned_by(await kube.get(path), tb):
            gone = await kube.delete(path) or gone
    if gone:
        await post(Event("Normal", "ServingStopped", f"deleted the serving Deployment and Service {name} ({why})"))
    return gone


async def sync(kube: Kube, settings: Settings, tb: Mapping[str, Any], old: Mapping[str, Any], new: dict[str, Any],
               *, post: PostEvent, model: str, **_: Any) -> dict[str, Any]:
    """`new` with status.serving from the Deployment serving `model`, after creating or rolling it."""
    was = old.get("serving") or {}
    namespace, name = tb["metadata"]["namespace"], serving_name(tb["metadata"]["name"])
    wanted = build_deployment({**tb, "status": new}, model, settings)  # the served run as `new` says it
    found = await create_owned(kube, deployments_path(namespace), wanted, tb, look_first=True)
    service = await create_owned(kube, services_path(namespace), build_service(tb), tb, look_first=True)
    foreign = [got.obj["kind"] for got in (found, service) if got.foreign]
    if foreign:  # someone else's, of the serving name: never patched, never deleted
        await post(Event("Warning", "ServingConflict", f"{' and '.join(foreign)} {name} exists and is not this "
                         "TweetBot's: rename or delete it to serve the bot"))
        return new
    deployment = found.obj
    if found.new:
        await post(Event("Normal", "ServingStarted", f"serving {model} at Deployment {name}"))
    elif needs_update(deployment, wanted):
        before = deployment_model(deployment)
        deployment = await kube.json_patch(deployments_path(namespace, name), update_patch(wanted))
        if before != model:
            await post(Event("Normal", "ServingRolled", f"rolling Deployment {name} from {before} to {model}"))
    status = serving_status(tb, deployment)
    if status is not None:
        new["serving"] = status
        if status["ready"] and not (was.get("ready") and was.get("modelURI") == status["modelURI"]):
            await post(Event("Normal", "ServingReady", f"{status['url']} answers with {status['modelURI']}"))
    return new
