"""Running the operator: kopf with our registry and settings, in-process (tests, bench) or from __main__."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any

import kopf

from tweetbot_operator.context import Context
from tweetbot_operator.handlers import build_registry, kopf_settings
from tweetbot_operator.k8s.client import Kube
from tweetbot_operator.ops.health import serve_health
from tweetbot_operator.ops.peering import PeerState, own_identity, peering_paths, seniority_priority, watch_role
from tweetbot_operator.settings import Settings


async def run(
    settings: Settings,
    *,
    stop_flag: asyncio.Event | None = None,
    ready_flag: asyncio.Event | None = None,
    liveness: bool = True,
) -> None:
    identity = own_identity()
    priority = settings.peering_priority if settings.peering_priority is not None else seniority_priority(identity)
    peer = PeerState(identity=identity, priority=priority, standalone=not settings.peering)
    ctx = Context(settings=settings, kube=Kube(), is_leader=lambda: peer.is_leader)
    namespaces = list(settings.watch_namespaces)
    background: list[Coroutine[Any, Any, None]] = []
    if liveness:
        background.append(serve_health(peer, settings.health_port, frozen_grace=settings.peering_lifetime))
    if settings.peering:
        paths = peering_paths(settings.peering, settings.watch_namespaces)
        background.append(watch_role(ctx.kube, peer, paths, interval=min(5.0, settings.peering_lifetime / 4),
                                      lifetime=settings.peering_lifetime, owner=settings.peering_owner))
    tasks = [asyncio.create_task(coro) for coro in background]
    try:
        await kopf.operator(
            registry=build_registry(ctx),
            settings=kopf_settings(settings, priority),
            clusterwide=not namespaces,
            namespaces=namespaces,
            standalone=not settings.peering,
            peering_name=settings.peering or None,
            identity=identity,  # type: ignore[arg-type]  # kopf.Identity is a NewType of str, not exported
            priority=priority,
            stop_flag=stop_flag,
            ready_flag=ready_flag,
        )
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
