"""core/v1 Events on a TweetBot: what users read in `kubectl describe`. Best effort: never raised."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tweetbot_operator.k8s.client import ApiError, Kube, events_path
from tweetbot_operator.spec import constants as c

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    type: str  # Normal or Warning
    reason: str
    message: str


PostEvent = Callable[[Event], Awaitable[None]]


def timestamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def event_body(tb: Mapping[str, Any], event: Event, now: datetime) -> dict[str, Any]:
    meta = tb["metadata"]
    when = timestamp(now)
    return {
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
        "firstTimestamp": when,
        "lastTimestamp": when,
        "count": 1,
    }


async def post_event(kube: Kube, tb: Mapping[str, Any], event: Event, now: datetime) -> None:
    """Failures to post are logged, never raised (events are best effort)."""
    meta = tb["metadata"]
    try:
        await kube.create(events_path(meta["namespace"]), event_body(tb, event, now))
    except (ApiError, OSError) as exc:
        log.warning("could not post event %s on %s/%s: %s", event.reason, meta["namespace"], meta["name"], exc)
