"""Serving, the reconcile's one call for it: which runtime serves the bot (spec.serving.runtime), and removing the
objects of the runtime used before (status.serving.runtime) when serving stops or changes runtime. Each runtime
is a module with `sync(...)` and `stop(...)`; a serving problem never stops the training status from being
written (the runtimes report it as a condition or event)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from tweetbot_operator.k8s.client import Kube
from tweetbot_operator.k8s.events import PostEvent
from tweetbot_operator.serving import deployment_sync, kserve_sync
from tweetbot_operator.serving.deployment import serving_spec
from tweetbot_operator.serving.kserve import had_kserve
from tweetbot_operator.settings import Settings

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
    new = await RUNTIMES[wanted].sync(kube, settings, tb, old, new, post=post, model=str(model),
                                      now=now or datetime.now(UTC))
    if new.get("serving"):
        new["serving"] = {**new["serving"], "runtime": wanted}
    return new
