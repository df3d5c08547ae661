"""A small JSON-over-HTTP caller for the tests (urllib: no client library between the test and the server)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


def call(url: str, body: Any = None, *, method: str | None = None, raw: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method or ("POST" if data is not None else "GET"),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            status, head, payload = answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as err:
        status, head, payload = err.code, dict(err.headers), err.read()
    is_json = head.get("Content-Type", "").startswith("application/json")
    return status, head, json.loads(payload) if is_json else payload.decode()


def sse_events(text: str) -> list[Any]:
    """The `data:` payloads of a server-sent event stream, JSON-decoded (the final "[DONE]" as the string)."""
    events = []
    for block in text.split("\n\n"):
        if block.startswith("data: "):
            data = block[len("data: "):]
            events.append(data if data == "[DONE]" else json.loads(data))
    return events
