"""What every response carries and what every /v1 request must show: a strict Content-Security-Policy (the page
runs only its own script and talks only to this server), and the optional bearer token."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Middleware

from tweetbot_trainer.serve.params import ApiError

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https:; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def bearer_ok(header: str | None, api_key: str) -> bool:
    scheme, _, token = (header or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), api_key.encode())


def auth_middleware(api_key: str | None) -> Middleware:
    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if api_key and request.path.startswith("/v1/") and not bearer_ok(request.headers.get("Authorization"),
                                                                          api_key):
            raise ApiError(401, "missing or wrong API key: send 'Authorization: Bearer <key>'",
                           kind="authentication_error", code="invalid_api_key")
        return await handler(request)

    return check


async def add_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: also covers streamed and error responses."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
