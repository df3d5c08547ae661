"""What the handlers share in one operator process: settings, the API client, the clock, and per-TweetBot
bookkeeping (locks, which runs the poller looks at)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tweetbot_operator.k8s.client import Kube
from tweetbot_operator.k8s.events import Event, post_event
from tweetbot_operator.settings import Settings

Key = tuple[str, str]  # (namespace, name)


def utcnow() -> datetime:
    return datetime.now(UTC)


def job_fingerprint(job: Mapping[str, Any]) -> Any:
    """What about a Job can change its TweetBot's status."""
    return (job.get("status"), (job.get("spec") or {}).get("suspend"))


@dataclass
class Context:
    settings: Settings
    kube: Kube
    clock: Callable[[], datetime] = utcnow
    locks: dict[Key, asyncio.Lock] = field(default_factory=dict)
    active: set[Key] = field(default_factory=set)  # runs with pods, which the poller looks at (pods, logs)
    scheduled: set[Key] = field(default_factory=set)  # TweetBots with spec.schedule
    retry: set[Key] = field(default_factory=set)  # failed reconciles no kopf handler retries (Job events)
    seen_jobs: dict[str, Any] = field(default_factory=dict)  # Job uid -> the state last reconciled from
    is_leader: Callable[[], bool] = lambda: True  # False while kopf peering pauses this replica
    reconciled: set[Key] = field(default_factory=set)  # TweetBots this process has reconciled (and written)

    def lock(self, key: Key) -> asyncio.Lock:
        return self.locks.setdefault(key, asyncio.Lock())

    def forget(self, key: Key) -> None:
        self.active.discard(key)
        self.scheduled.discard(key)
        self.retry.discard(key)
        self.reconciled.discard(key)
        self.locks.pop(key, None)

    def remember(self, job: Mapping[str, Any]) -> None:
        """This Job's state is reconciled: its watch event with the same state brings nothing new."""
        uid = (job.get("metadata") or {}).get("uid")
        if uid:
            self.seen_jobs[uid] = job_fingerprint(job)

    async def post(self, tb: Mapping[str, Any], event: Event) -> None:
        await post_event(self.kube, tb, event, self.clock())
