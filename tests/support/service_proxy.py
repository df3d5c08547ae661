"""The API server's service proxy (`/api/v1/namespaces/NS/services/NAME[:PORT]/proxy/PATH`) for the emulator:
the request is forwarded to whatever `resolve(namespace, selector)` says answers for the Service's pod selector
(the local kubelet knows where its pods listen); 503 when nothing does, as a real API server says with no
endpoints."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
import aiohttp.web

PROXY_PATH = re.compile(r"^/api/v1/namespaces/(?P<ns>[^/]+)/services/(?P<svc>[^/:]+)(:[^/]*)?/proxy(?P<rest>/.*)?$")
Resolver = Callable[[str, Mapping[str, str]], str | None]


def match(path: str) -> re.Match[str] | None:
    return PROXY_PATH.match(path)


async def forward(found: re.Match[str], request: aiohttp.web.BaseRequest, service: dict[str, Any] | None,
                  resolve: Resolver | None) -> aiohttp.web.Response:
    selector = ((service or {}).get("spec") or {}).get("selector") or {}
    base = resolve(found["ns"], selector) if resolve and selector else None
    if base is None:
        return aiohttp.web.json_response({"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 503,
                                          "reason": "ServiceUnavailable",
                                          "message": f'no endpoints available for service "{found["svc"]}"'},
                                         status=503)
    body = await request.read()
    headers = {k: v for k, v in request.headers.items() if k.lower() in {"content-type", "accept"}}
    async with aiohttp.ClientSession() as session, session.request(
            request.method, base + (found["rest"] or "/"), params=request.query, data=body, headers=headers) as answer:
        payload = await answer.read()
        return aiohttp.web.Response(body=payload, status=answer.status,
                                    content_type=answer.content_type or "application/octet-stream")
