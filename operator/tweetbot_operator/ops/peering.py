"""Which replica serves, with kopf peering: a priority per replica, and this replica's role read from the peering
object the way kopf reads it (kopf pauses an operator while a live peer has a higher priority, and freezes every
operator that sees a live peer of its own priority)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp

from tweetbot_operator.k8s.client import ApiError, Kube
from tweetbot_operator.ops.peering_object import get_or_create

log = logging.getLogger(__name__)

# Priorities fall with the start time, so the oldest live replica serves and a new one (a rollout, a restart)
# never preempts it. 2**43 ms is the year 2248; times 1024 plus a tie-break, the result stays below 2**53.
_PRIORITY_EPOCH_MS = 2**43
_TIE_BREAK = 1024

ACTIVE, STANDBY, FROZEN, STARTING = "active", "standby", "frozen", "starting"


def own_identity(env: Mapping[str, str] | None = None) -> str:
    """kopf's own convention: POD_ID (the pod's name from the downward API), else the host name and pid."""
    env = os.environ if env is None else env
    return env.get("POD_ID", "").strip() or f"{socket.gethostname()}/{os.getpid()}"


def seniority_priority(identity: str, started_ms: int | None = None) -> int:
    """Higher for replicas started earlier; the identity breaks ties between replicas started the same ms."""
    started = int(time.time() * 1000) if started_ms is None else started_ms
    return (_PRIORITY_EPOCH_MS - started) * _TIE_BREAK + zlib.crc32(identity.encode()) % _TIE_BREAK


@dataclass(frozen=True)
class Role:
    role: str  # active, standby, frozen, starting
    reason: str

    @property
    def can_serve(self) -> bool:
        """Active, or paused behind a live peer that serves instead: the replica works as designed."""
        return self.role in (ACTIVE, STANDBY)


def _is_live(record: Mapping[str, Any], now: datetime) -> bool:
    try:
        seen = datetime.fromisoformat(str(record["lastseen"]))
        lifetime = timedelta(seconds=int(record.get("lifetime", 60)))
    except (KeyError, ValueError, TypeError):
        return False
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=UTC)
    return seen + lifetime > now


def peer_role(peerings: Mapping[str, Mapping[str, Any] | None], identity: str, priority: int, now: datetime) -> Role:
    """This replica's role from the status of each peering object it joins (one cluster-wide, or one per watched
    namespace: kopf pauses the whole operator when any of them says so). `None` is a peering object not found."""
    higher: list[str] = []
    for where, status in sorted(peerings.items()):
        if status is None:
            return Role(FROZEN, f"peering object {where} not found: kopf pauses every replica")
        live = {pid: rec for pid, rec in status.items()
                if pid != identity and isinstance(rec, Mapping) and _is_live(rec, now)}
        same = sorted(pid for pid, rec in live.items() if rec.get("priority") == priority)
        if same:
            return Role(FROZEN, f"{where}: same priority {priority} as {', '.join(same)}: kopf freezes both")
        higher += [pid for pid, rec in live.items() if int(rec.get("priority", 0)) > priority]
    if higher:
        return Role(STANDBY, f"paused in favour of {', '.join(sorted(set(higher)))}")
    return Role(ACTIVE, "no live peer with a higher priority")


@dataclass
class PeerState:
    """What the health endpoints and the poller read: this replica's latest role and since when it holds it."""

    identity: str
    priority: int
    standalone: bool = False
    current: Role = Role(STARTING, "peering not read yet")
    since: float = field(default_factory=time.monotonic)

    def set(self, role: Role) -> None:
        if role.role != self.current.role:
            log.info("peering role of %s: %s (%s)", self.identity, role.role, role.reason)
            self.since = time.monotonic()
        self.current = role

    @property
    def is_leader(self) -> bool:
        return self.standalone or self.current.role == ACTIVE

    def frozen_for(self) -> float:
        return time.monotonic() - self.since if self.current.role == FROZEN else 0.0


def peering_paths(name: str, namespaces: tuple[str, ...]) -> dict[str, str]:
    """kopf joins the cluster-wide peering object when it watches all namespaces, else one per namespace."""
    if not namespaces:
        return {name: f"/apis/kopf.dev/v1/clusterkopfpeerings/{name}"}
    return {f"{ns}/{name}": f"/apis/kopf.dev/v1/namespaces/{ns}/kopfpeerings/{name}" for ns in namespaces}


async def watch_role(kube: Kube, state: PeerState, paths: Mapping[str, str], interval: float,
                     lifetime: int | None = None, *, owner: str = "") -> None:
    """Re-reads the peering objects every `interval` seconds; an unreadable API leaves the last role in place.
    With `lifetime`, a missing peering object is created with this replica's record, owned by the ClusterRole
    `owner` if named (ops/peering_object.py)."""
    warned: set[str] = set()
    while True:
        try:
            peerings = {}
            for where, path in paths.items():
                obj = (await kube.get(path) if lifetime is None else
                       await get_or_create(kube, path, state.identity, state.priority, lifetime, warned=warned,
                                           owner=owner))
                peerings[where] = None if obj is None else dict(obj.get("status") or {})
            state.set(peer_role(peerings, state.identity, state.priority, datetime.now(UTC)))
        # RuntimeError: not logged in yet.
        except (ApiError, aiohttp.ClientError, OSError, RuntimeError, TimeoutError, ValueError) as exc:
            log.debug("reading the peering objects failed: %s", exc)
        await asyncio.sleep(0.5 if state.current.role == STARTING else interval)
