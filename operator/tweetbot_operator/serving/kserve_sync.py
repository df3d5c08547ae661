"""Keeps a TweetBot's InferenceService (spec.serving.runtime: kserve) in line with its latest model: create it once
a run succeeded, point it at each newer run, remove it when serving stops or switches runtime. Decisions are the
pure builders' (kserve.py); this only reads and writes what differs.

A cluster without KServe answers 404 for the kind itself: that is a Serving condition (KServeNotInstalled) and
one Warning event, not an error to retry (a TweetBot's own status writes start no reconcile, so nothing loops)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tweetbot_operator.k8s.client import ApiError, Kube
from tweetbot_operator.k8s.events import Event, PostEvent
from tweetbot_operator.k8s.owned import create_owned, is_owned_by
from tweetbot_operator.serving.deployment import serving_name
from tweetbot_operator.serving.kserve import (
    CONDITION,
    NOT_INSTALLED,
    NOT_INSTALLED_MESSAGE,
    build_inference_service,
    inferenceservices_path,
    needs_update,
    observed_condition,
    served_model,
    serving_condition,
    serving_status,
    update_patch,
    with_condition,
)
from tweetbot_operator.settings import Settings

log = logging.getLogger(__name__)
RUNTIME = "kserve"
# Problems a retry cannot fix: reported in the Serving condition until the spec or the cluster changes.
UNRETRIED_CODES = frozenset({400, 403, 404, 409, 422})
WARNING_REASONS = frozenset({NOT_INSTALLED, "InferenceServiceRefused", "InferenceServiceConflict"})


class ServingRefusedError(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason, self.message = reason, message


def _refusal(exc: ApiError, name: str, creating: bool) -> ServingRefusedError | None:
    """What the API server's answer means for the Serving condition; None: an error a retry may fix."""
    if exc.status == 404 and creating:  # the kind, not the object: the namespace is there (the TweetBot is)
        return ServingRefusedError(NOT_INSTALLED, NOT_INSTALLED_MESSAGE)
    if exc.status in UNRETRIED_CODES:
        return ServingRefusedError("InferenceServiceRefused", f"the API server refused InferenceService {name}: "
                                   f"{exc.message}")
    return None


async def _ensure(kube: Kube, settings: Settings, tb: Mapping[str, Any], model: str,
                  post: PostEvent) -> dict[str, Any]:
    """The live InferenceService serving `model`, created or updated; ServingRefusedError for what the API
    server refuses and for a same-named one this TweetBot does not own."""
    namespace, name = tb["metadata"]["namespace"], serving_name(tb["metadata"]["name"])
    wanted = build_inference_service(tb, model, settings)
    live: dict[str, Any] | None = None
    try:
        found = await create_owned(kube, inferenceservices_path(namespace), wanted, tb, look_first=True)
        if found.foreign:
            raise ServingRefusedError("InferenceServiceConflict",
                                      f"InferenceService {name} exists and is not this TweetBot's: rename or delete it")
        live = found.obj
        if found.new:
            await post(Event("Normal", "ServingStarted", f"serving {model} with KServe InferenceService {name}"))
        elif needs_update(live, wanted):
            before = served_model(live)
            live = await kube.json_patch(inferenceservices_path(namespace, name), update_patch(wanted))
            if before != model:
                await post(Event("Normal", "ServingRolled", f"InferenceService {name}: from {before} to {model}"))
    except ApiError as exc:
        refusal = _refusal(exc, name, creating=live is None)
        if refusal is None:
            raise
        raise refusal from exc
    return live


async def sync(kube: Kube, settings: Settings, tb: Mapping[str, Any], old: Mapping[str, Any],
               new: dict[str, Any], *, post: PostEvent, model: str, now: datetime) -> dict[str, Any]:
    """`new` with status.serving and the Serving condition from the InferenceService serving `model`."""
    was = old.get("serving") or {}
    generation = int(tb["metadata"].get("generation") or 1)
    old_conditions = old.get("conditions") or []
    try:
        isvc = await _ensure(kube, settings, tb, model, post)
    except ServingRefusedError as problem:
        new.pop("serving", None)
        condition = serving_condition((False, problem.reason, problem.message), generation,
                                      now, old_conditions)
        await _tell(old, condition, post)
        return with_condition(new, condition)
    status = serving_status(isvc)
    if status is not None:
        new["serving"] = status
    condition = serving_condition(observed_condition(isvc), generation, now, old_conditions)
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


async def stop(kube: Kube, tb: Mapping[str, Any], *, post: PostEvent, why: str) -> bool:
    """Delete the TweetBot's own InferenceService (another owner's of that name stays); True if one went."""
    namespace, name = tb["metadata"]["namespace"], serving_name(tb["metadata"]["name"])
    try:
        live = await kube.get(inferenceservices_path(namespace, name))
    except ApiError as exc:
        if exc.status == 403:  # an older Role without inferenceservices: nothing of ours can be there
            log.debug("cannot read InferenceService %s/%s: %s", namespace, name, exc)
            return False
        raise
    if not is_owned_by(live, tb) or not await kube.delete(inferenceservices_path(namespace, name)):
        return False
    await post(Event("Normal", "ServingStopped", f"deleted InferenceService {name} ({why})"))
    return True
