"""Keeps a TweetBot's InferenceService (spec.serving.runtime: kserve) in line with its latest model: create it once
a run succeeded, point it at each newer run, remove it when serving stops or switches runtime. Decisions are the
pure builders' (kserve.py); this only reads and writes what differs.

A cluster without KServe answers 404 for the kind itself: that is a Serving condition (KServeNotInstalled) and
one Warning event, not an error to retry (a TweetBot's own status writes start no reconcile, so nothing loops)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from tweetbot_operator.k8s.client import ApiError, Kube
from tweetbot_operator.serving.deployment import serving_name
from tweetbot_operator.serving.kserve import (
    CONDITION,
    NOT_INSTALLED,
    NOT_INSTALLED_MESSAGE,
    build_inference_service,
    inferenceservices_path,
    needs_update,
    observed_condition,
    owned_by,
    served_model,
    serving_condition,
    serving_status,
    update_patch,
    with_condition,
)
from tweetbot_operator.settings import Settings
from tweetbot_operator.training.status import Event

log = logging.getLogger(__name__)
PostEvent = Callable[[Event], Awaitable[None]]
# Problems a retry cannot fix: reported in the Serving condition until the spec or the cluster changes.
REFUSED = frozenset({400, 403, 404, 409, 422})
WARNING_REASONS = frozenset({NOT_INSTALLED, "InferenceServiceRefused", "InferenceServiceConflict"})


class ServingRefusedError(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason, self.message = reason, message


async def _write(kube: Kube, tb: Mapping[str, Any], wanted: dict[str, Any],
                 live: Mapping[str, Any] | None) -> dict[str, Any]:
    """Create or update the InferenceService; ServingRefusedError for what the API server refuses."""
    namespace, name = tb["metadata"]["namespace"], wanted["metadata"]["name"]
    try:
        if live is None:
            return await kube.create(inferenceservices_path(namespace), wanted)
        return await kube.json_patch(inferenceservices_path(namespace, name), update_patch(wanted))
    except ApiError as exc:
        if exc.status == 404 and live is None:  # the kind, not the object: the namespace is there (the TweetBot is)
            raise ServingRefusedError(NOT_INSTALLED, NOT_INSTALLED_MESSAGE) from exc
        if exc.status == 409:
            raise ServingRefusedError("InferenceServiceConflict", f"InferenceService {name} was created meanwhile; "
                                 "retrying on the next reconcile") from exc
        if exc.status in REFUSED:
            raise ServingRefusedError("InferenceServiceRefused", f"the API server refused InferenceService {name}: "
                                 f"{exc.message}") from exc
        raise


async def _ensure(kube: Kube, settings: Settings, tb: Mapping[str, Any], model: str,
                  post: PostEvent) -> dict[str, Any]:
    namespace, name = tb["metadata"]["namespace"], serving_name(tb["metadata"]["name"])
    wanted = build_inference_service(tb, model, settings)
    live = await kube.get(inferenceservices_path(namespace, name))
    if live is not None and not owned_by(live, tb):
        raise ServingRefusedError("InferenceServiceConflict",
                             f"InferenceService {name} exists and is not this TweetBot's: rename or delete it")
    if live is None:
        live = await _write(kube, tb, wanted, None)
        await post(Event("Normal", "ServingStarted", f"serving {model} with KServe InferenceService {name}"))
    elif needs_update(live, wanted):
        before = served_model(live)
        live = await _write(kube, tb, wanted, live)
        if before != model:
            await post(Event("Normal", "ServingRolled", f"InferenceService {name}: from {before} to {model}"))
    return live


async def sync_kserve(kube: Kube, settings: Settings, tb: Mapping[str, Any], old: Mapping[str, Any],
                      new: dict[str, Any], *, post: PostEvent, now: datetime | None = None) -> dict[str, Any]:
    """`new` with status.serving and the Serving condition from the InferenceService serving the newest
    successful run (a run in progress keeps the old one); nothing before a first run succeeds."""
    was = old.get("serving") or {}
    model = new.get("modelURI") or was.get("modelURI")
    if not model:
        return new
    generation = int(tb["metadata"].get("generation") or 1)
    old_conditions = old.get("conditions") or []
    try:
        isvc = await _ensure(kube, settings, tb, str(model), post)
    except ServingRefusedError as problem:
        new.pop("serving", None)
        condition = serving_condition((False, problem.reason, problem.message), generation,
                                      now or datetime.now(UTC), old_conditions)
        await _tell(old, condition, post)
        return with_condition(new, condition)
    status = serving_status(isvc)
    if status is not None:
        new["serving"] = status
    condition = serving_condition(observed_condition(isvc), generation, now or datetime.now(UTC), old_conditions)
    if status and status["ready"] and not (was.get("ready") and was.get("modelURI") == status["modelURI"]):
        await post(Event("Normal", "ServingReady", condition["message"][:1024]))
    else:
        await _tell(old, condition, post)
    return with_condition(new, condition)


async def _tell(old: Mapping[str, Any], condition: Mapping[str, Any], post: PostEvent) -> None:
    """One event when the Serving condition's reason changes (Warning for what a user must fix)."""
    before: Mapping[str, Any] = next((cnd for cnd in old.get("conditions") or [] if cnd.get("type") == CONDITION),
                                     {})
    if before.get("reason") == condition["reason"]:
        return
    if condition["reason"] in WARNING_REASONS:
        await post(Event("Warning", condition["reason"], condition["message"][:1024]))


async def stop_kserve(kube: Kube, tb: Mapping[str, Any], *, post: PostEvent, why: str) -> bool:
    """Delete the TweetBot's own InferenceService (another owner's of that name stays); True if one went."""
    namespace, name = tb["metadata"]["namespace"], serving_name(tb["metadata"]["name"])
    try:
        live = await kube.get(inferenceservices_path(namespace, name))
    except ApiError as exc:
        if exc.status == 403:  # an older Role without inferenceservices: nothing of ours can be there
            log.debug("cannot read InferenceService %s/%s: %s", namespace, name, exc)
            return False
        raise
    if not owned_by(live, tb) or not await kube.delete(inferenceservices_path(namespace, name)):
        return False
    await post(Event("Normal", "ServingStopped", f"deleted InferenceService {name} ({why})"))
    return True
