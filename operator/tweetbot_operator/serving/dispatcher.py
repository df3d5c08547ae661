"""Serving, the reconcile's one call for it: which runtime serves the bot (spec.serving.runtime), and removing the
objects of the runtime used before (status.serving.runtime) when serving stops or changes runtime. Each runtime
is a module with `sync(...)` and `stop(...)`; a serving problem never stops the training status from being
written (the runtimes report it as a condition or event)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from tweetbot_operator.k8s.client import ApiError, Kube
from tweetbot_operator.k8s.events import Event, PostEvent
from tweetbot_operator.serving import deployment_sync, kserve_sync
from tweetbot_operator.serving.deployment import serving_spec
from tweetbot_operator.serving.kserve import CONDITION, had_kserve, serving_condition, with_condition
from tweetbot_operator.settings import Settings

SERVING_REFUSED = "ServingRefused"  # 4xx: the spec, a policy or a quota must change first
SERVING_ERROR = "ServingError"  # 5xx, 429, no answer: retried by the poller
RUNTIMES: dict[str, ModuleType] = {deployment_sync.RUNTIME: deployment_sync, kserve_sync.RUNTIME: kserve_sync}


def wanted_runtime(spec: Mapping[str, Any]) -> str | None:
    serving = serving_spec(spec)
    return str(serving["runtime"]) if serving["enabled"] else None


def runtime_in_use(old: Mapping[str, Any]) -> str | None:
    """The runtime of the last status: status.serving.runtime, else (a status written before that field) the
    Serving condition that only kserve writes, else a status.serving of the Deployment."""
    serving = old.get("serving") or {}
    if serving.get("runtime") in RUNTIMES:
        return str(serving["runtime"])
    if had_kserve(old):
        return kserve_sync.RUNTIME
    return deployment_sync.RUNTIME if serving else None


async def sync_serving(kube: Kube, settings: Settings, tb: Mapping[str, Any], old: Mapping[str, Any],
                       new: dict[str, Any], *, post: PostEvent, now: datetime | None = None) -> dict[str, Any]:
    """`new` with status.serving set (or left out when not serving), after creating, rolling or removing the
    serving objects. The model is the newest successful run's; a run in progress keeps the old one."""
    wanted, used = wanted_runtime(tb.get("spec") or {}), runtime_in_use(old)
    if used is not None and used != wanted:
        why = "serving disabled" if wanted is None else f"runtime {wanted}"
        await RUNTIMES[used].stop(kube, tb, post=post, why=why)
        old = {k: v for k, v in old.items() if k != "serving"}
    model = new.get("modelURI") or (old.get("serving") or {}).get("modelURI")
    if wanted is None or not model:
        new.pop("serving", None)
        return new  # not serving, or nothing trained yet
    now = now or datetime.now(UTC)
    try:
        new = await RUNTIMES[wanted].sync(kube, settings, tb, old, new, post=post, model=str(model), now=now)
    except ApiError as exc:  # a policy denial, a quota, a 422: the training status is written all the same
        return await _refused(tb, old, new, wanted, exc, post=post, now=now)
    if wanted != kserve_sync.RUNTIME:  # only kserve keeps a Serving condition; a refusal's is over
        new["conditions"] = [cnd for cnd in new.get("conditions") or [] if cnd.get("type") != CONDITION]
    if new.get("serving"):
        new["serving"] = {**new["serving"], "runtime": wanted}
    return new


def serving_retry(status: Mapping[str, Any]) -> bool:
    """The last serving sync failed with an error a retry may fix (5xx, 429, a timeout): reconcile again."""
    return any(cnd.get("type") == CONDITION and cnd.get("reason") == SERVING_ERROR
               for cnd in status.get("conditions") or [])


async def _refused(tb: Mapping[str, Any], old: Mapping[str, Any], new: dict[str, Any], wanted: str,
                   exc: ApiError, *, post: PostEvent, now: datetime) -> dict[str, Any]:
    """`new` with a Serving condition (False) saying what the API server answered, and one Warning event per
    new reason; status.serving keeps what serves now (the objects as they were) under the wanted runtime."""
    reason = SERVING_ERROR if exc.status >= 500 or exc.status in (0, 429) else SERVING_REFUSED
    message = f"the API server refused the {wanted} serving objects ({exc.status}): {exc.message}"[:1024]
    generation = int(tb["metadata"].get("generation") or 1)
    condition = serving_condition((False, reason, message), generation, now, old.get("conditions") or [])
    before: Mapping[str, Any] = next((cnd for cnd in old.get("conditions") or [] if cnd.get("type") == CONDITION),
                                     {})
    if (before.get("reason"), before.get("message")) != (reason, message):
        await post(Event("Warning", reason, message))
    new["serving"] = {**(old.get("serving") or {}), "runtime": wanted, "ready": False}
    return with_condition(new, condition)
