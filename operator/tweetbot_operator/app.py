"""Running the operator: kopf with our registry and settings, in-process (tests, bench) or from __main__."""

from __future__ import annotations

import asyncio

import kopf

from .handlers import build_registry, kopf_settings
from .kube import Kube
from .reconcile import Context
from .settings import Settings


async def run(
    settings: Settings,
    *,
    stop_flag: asyncio.Event | None = None,
    ready_flag: asyncio.Event | None = None,
    liveness: bool = True,
) -> None:
    ctx = Context(settings=settings, kube=Kube())
    namespaces = list(settings.watch_namespaces)
    await kopf.operator(
        registry=build_registry(ctx),
        settings=kopf_settings(settings),
        clusterwide=not namespaces,
        namespaces=namespaces,
        standalone=not settings.peering,
        peering_name=settings.peering or None,
        liveness_endpoint=f"http://0.0.0.0:{settings.health_port}/healthz" if liveness else None,
        stop_flag=stop_flag,
        ready_flag=ready_flag,
    )
