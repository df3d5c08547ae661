"""The liveness and readiness endpoints, which tell the truth about peering: a replica that kopf has frozen
(a same-priority peer, a missing peering object) serves nothing and says so."""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from tweetbot_operator.ops.peering import PeerState


def health_answer(state: PeerState, frozen_grace: float) -> tuple[int, int, dict[str, object]]:
    """(liveness status, readiness status, body). Ready: active, or a standby behind a live peer that serves.
    Alive unless frozen for longer than `frozen_grace` seconds: a restart gives the replica a new priority."""
    role = state.current
    body: dict[str, object] = {"role": "active" if state.standalone else role.role,
                               "reason": "standalone" if state.standalone else role.reason,
                               "identity": state.identity, "priority": state.priority}
    if state.standalone:
        return 200, 200, body
    alive = 503 if state.frozen_for() > frozen_grace else 200
    return alive, 200 if role.can_serve else 503, body


async def serve_health(state: PeerState, port: int, frozen_grace: float) -> None:
    """GET /healthz (liveness) and /readyz (readiness) on 0.0.0.0:port until cancelled."""

    async def answer(request: web.Request) -> web.Response:
        alive, ready, body = health_answer(state, frozen_grace)
        status = alive if request.path == "/healthz" else ready
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")

    app = web.Application()
    app.add_routes([web.get("/healthz", answer), web.get("/readyz", answer)])
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0, access_log=None)  # probes: no log
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", port).start()
    try:
        await asyncio.Event().wait()
    finally:
        await asyncio.shield(runner.cleanup())
