"""A small JSON-over-HTTP client for the post APIs: rate limits honoured, transient faults retried.

429 waits until the reset time the service announces (X: `x-rate-limit-reset`, epoch seconds; Bluesky:
`ratelimit-reset`; Mastodon: `x-ratelimit-reset`, an ISO date; or `retry-after`), clamped to `max_wait_s` so a
bogus header cannot stall a Job for hours. `sleep` and `clock` are injectable so tests run instantly.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tweetbot_trainer.data import web
from tweetbot_trainer.data.markup import unescape
from tweetbot_trainer.errors import TweetBotInputError, TweetBotTransientError

MAX_WAIT_ENV = "TWEETBOT_RATE_LIMIT_MAX_WAIT_S"
DEFAULT_MAX_WAIT_S = 900.0  # X's rate-limit window is 15 minutes
# One page of 100 posts is well under 1 MiB; a bigger answer is not a page, and is not read into memory.
MAX_BODY_BYTES = 32 << 20
REDACTED = b"[redacted]"
REDACTED_TEXT = REDACTED.decode()
_AUTH_HEADERS = frozenset({"authorization", "proxy-authorization"})


class SourceTemporaryError(TweetBotTransientError):
    """The service kept answering 5xx or 429; a later retry of the whole Job may succeed (exit 1)."""

    def __init__(self, message: str) -> None:
        super().__init__("SourceTemporaryError", message)


@dataclass
class HttpResponse:
    status: int
    body: Any  # parsed JSON, or None when the body is not JSON
    headers: Mapping[str, str]


def _redact_text(text: str, secrets: list[str]) -> str:
    """`text` with each secret replaced, also where it is HTML- or percent-escaped (decoded when it is)."""
    for decode in (None, unescape, urllib.parse.unquote):
        decoded = text if decode is None else decode(text)
        if any(secret in decoded for secret in secrets):
            for secret in secrets:
                decoded = decoded.replace(secret, REDACTED_TEXT)
            text = decoded
    return text


def redact(body: Any, secrets: list[str]) -> Any:
    """A parsed JSON `body` with `secrets` redacted from every string in it, keys included (JSON escapes are
    decoded by then). Walked with a stack: the nesting may be as deep as the parser allowed."""
    if isinstance(body, str):
        return _redact_text(body, secrets)
    if not isinstance(body, dict | list):
        return body
    stack: list[Any] = [body]
    while stack:
        node = stack.pop()
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        if isinstance(node, dict):
            node.clear()
        for key, value in items:
            if isinstance(value, dict | list):
                stack.append(value)
            shown = _redact_text(value, secrets) if isinstance(value, str) else value
            node[_redact_text(key, secrets) if isinstance(key, str) else key] = shown
    return body


def _reset_delay(headers: Mapping[str, str], now: float) -> float | None:
    for name in ("x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset"):
        value = headers.get(name)
        if not value:
            continue
        try:
            number = float(value)
        except ValueError:
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() - now
            except ValueError:
                continue
        # Epoch seconds (X, Bluesky) or, when small, a number of seconds to wait.
        return number - now if number > 1e9 else number
    retry_after = headers.get("retry-after")
    if retry_after:
        try:
            return float(retry_after)
        except ValueError:
            return None
    return None


def _default_max_wait() -> float:
    try:
        return float(os.environ.get(MAX_WAIT_ENV, DEFAULT_MAX_WAIT_S))
    except ValueError:
        return DEFAULT_MAX_WAIT_S


def segment(value: object) -> str:
    """One URL path segment from a handle or an id a service sent: '/', '?', spaces, non-ASCII percent-encoded."""
    return urllib.parse.quote(str(value), safe="@:")


@dataclass
class JsonHttpClient:
    base_url: str
    headers: dict[str, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    max_wait_s: float = field(default_factory=_default_max_wait)
    attempts: int = 5
    timeout_s: float = 30.0  # for each request, all told

    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """`path` must already be quoted (see `segment`) where it carries values from the service or the user."""
        query = urllib.parse.urlencode({k: v for k, v in (params or {}).items() if v is not None})
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}" + (f"?{query}" if query else "")

    def _credentials(self) -> list[bytes]:
        """The secret parts of this client's auth headers: the whole value, then the token after the scheme."""
        found: list[bytes] = []
        for name, value in self.headers.items():
            if name.lower() in _AUTH_HEADERS:
                found += [value.encode(), value.split(" ", 1)[-1].strip().encode()]
        return [secret for secret in found if len(secret) >= 8]

    def _once(self, url: str) -> HttpResponse:
        """One GET within `timeout_s` all told (a page dripping in byte by byte included)."""
        buffer = io.BytesIO()
        headers = {"Accept": "application/json", **self.headers}
        try:
            with web.opened(url, headers, self.timeout_s) as (response, watchdog):
                web.copy_body(response, buffer, MAX_BODY_BYTES, watchdog)
                status, response_headers = response.status, response.headers
        except web.BodyTooLargeError as exc:
            too_big = f"an answer of more than {MAX_BODY_BYTES:,} bytes is not a page of posts"
            raise TweetBotInputError("SourceError", f"{self.base_url}: {too_big}") from exc
        raw = buffer.getvalue()
        # A service that quotes our credentials back (in an error detail, say) must not get them into messages.
        for secret in self._credentials():
            raw = raw.replace(secret, REDACTED)
        try:
            body = json.loads(raw) if raw else None
        except (ValueError, RecursionError):  # HTML error pages, invalid UTF-8, absurd nesting: not JSON
            body = None
        secrets = [secret.decode() for secret in self._credentials()]
        if secrets and body is not None:  # and once decoded: "\u0074ok-..." is the token too
            body = redact(body, secrets)
        return HttpResponse(status, body, {k.lower(): v for k, v in response_headers.items()})

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> HttpResponse:
        """GET a JSON resource; returns 2xx and 4xx answers (but 429) for the caller to interpret."""
        url = self.url(path, params)
        last = ""
        for attempt in range(self.attempts):
            try:
                response = self._once(url)
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:  # refused, DNS, timeout, cut
                last = str(getattr(exc, "reason", exc)) or type(exc).__name__
                self.sleep(min(2.0**attempt, self.max_wait_s))
                continue
            if response.status == 429:
                delay = _reset_delay(response.headers, self.clock())
                last = "rate limited (HTTP 429)"
                self.sleep(max(0.0, min(delay if delay is not None else 2.0**attempt, self.max_wait_s)))
                continue
            if response.status >= 500:
                last = f"HTTP {response.status}"
                self.sleep(min(2.0**attempt, self.max_wait_s))
                continue
            return response
        if last.startswith(("HTTP", "rate")):
            raise SourceTemporaryError(f"{self.base_url}: {last} after {self.attempts} attempts")
        # No answer at all (refused, DNS, timeouts): as likely a network blip as a wrong URL, so the Job retries.
        raise TweetBotTransientError("SourceUnreachable", f"{self.base_url}: cannot connect ({last})")
