"""What every response carries and what every request must show before a handler sees it: a strict
Content-Security-Policy (the page runs only its own script and talks only to this server); without a key, a Host
this server answers to (no DNS rebinding); a JSON body for every POST (a cross-site page can send text/plain or a
form without asking the browser's CORS preflight, never application/json); the optional API key; the body read
whole within a time limit (a client that sends it a byte at a time is cut off)."""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.typedefs import Middleware
from aiohttp.web_protocol import RequestPayloadError

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
LOOPBACK_NAMES = ("localhost",)
INFO_PATHS = ("/metrics", "/api/bot")


@dataclass(frozen=True)
class Access:
    """Who may ask what. `allowed_hosts` None: any Host (the `*` of --allowed-host)."""

    api_key: str | None = None
    allowed_hosts: frozenset[str] | None = frozenset(LOOPBACK_NAMES)
    key_for_info: bool = False  # /metrics and /api/bot need the key too
    body_timeout: float = 30.0


def allowed_hosts(bind: str, extra: Iterable[str]) -> frozenset[str] | None:
    """The host names a request's Host may name: loopback, the bind address, the --allowed-host values (each may
    hold several, comma-separated); None when one of them is `*`."""
    names = {n.strip().lower().rstrip(".") for value in extra for n in value.split(",") if n.strip()}
    if "*" in names:
        return None
    return frozenset({*LOOPBACK_NAMES, bind.lower(), *names})


def host_ok(header: str | None, allowed: frozenset[str] | None) -> bool:
    """A DNS rebinding page reaches us under its own name, so names must be on the list; an IP address cannot be
    rebound (and is what probes and scrapers in a cluster send), so any IP is fine."""
    if allowed is None or header is None:
        return True
    try:
        name = (urlsplit("//" + header).hostname or "").rstrip(".")
    except ValueError:
        return False
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return name in allowed


def _key_ok(request: web.Request, api_key: str) -> bool:
    """`Authorization: Bearer KEY`, or `X-Api-Key: KEY` (the API server's service proxy, which `kubectl tweetbot`
    goes through, keeps Authorization for itself)."""
    for name in ("Authorization", "X-Api-Key"):
        if not request.headers.get(name, "").isascii():
            raise ApiError(400, f"the {name} header is not ASCII", code="invalid_header")
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        token = request.headers.get("X-Api-Key", "")
    return hmac.compare_digest(token.strip().encode(), api_key.encode())


def _needs_key(access: Access, path: str) -> bool:
    return bool(access.api_key) and (path.startswith("/v1/") or (access.key_for_info and path in INFO_PATHS))


async def _read_body(request: web.Request, seconds: float) -> None:
    """Reads the body into the request (handlers then read it from memory)."""
    try:
        async with asyncio.timeout(seconds):
            await request.read()
    except TimeoutError:
        raise ApiError(408, f"the request body did not arrive within {seconds:g} s", code="request_timeout",
                       close=True) from None
    except (RequestPayloadError, HttpProcessingError):  # a broken Content-Encoding (gzip, deflate, br) or framing
        raise ApiError(400, "the request body could not be decoded (broken Content-Encoding or chunked framing)",
                       close=True) from None


def access_middleware(access: Access) -> Middleware:
    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not access.api_key and not host_ok(request.headers.get("Host"), access.allowed_hosts):
            raise ApiError(403, "the Host header names a host this server does not answer to (see --allowed-host)",
                           code="host_not_allowed")
        if request.method == "POST" and request.content_type != "application/json":
            raise ApiError(415, "POST bodies must be JSON: send 'Content-Type: application/json'",
                           code="unsupported_media_type")
        if _needs_key(access, request.path) and not _key_ok(request, access.api_key or ""):
            raise ApiError(401, "missing or wrong API key: send 'Authorization: Bearer <key>'",
                           kind="authentication_error", code="invalid_api_key")
        if request.body_exists:
            await _read_body(request, access.body_timeout)
        return await handler(request)

    return check


async def add_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: also covers streamed and error responses."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
