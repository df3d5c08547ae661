"""Bytes on a socket, as a hostile client sends them (headers urllib would refuse, one byte at a time, a
request and then a hang-up), and what a test reads off the server process (metrics, resident memory)."""

from __future__ import annotations

import http.client
import json
import socket
import time
from typing import Any

from tests.serve.http import call
from tests.serve.server import ServeProcess


def request_bytes(path: str, body: bytes = b"", *, method: str = "POST", host: str = "127.0.0.1",
                  headers: dict[str, str] | None = None, extra: bytes = b"") -> bytes:
    """A whole HTTP/1.1 request; `extra` is raw header lines (bytes that are not ASCII, say)."""
    head = {"Host": host, "Content-Type": "application/json", "Content-Length": str(len(body)), **(headers or {})}
    lines = "".join(f"{k}: {v}\r\n" for k, v in head.items()).encode()
    return f"{method} {path} HTTP/1.1\r\n".encode() + lines + extra + b"\r\n" + body


def send_raw(port: int, data: bytes, timeout: float = 30.0) -> tuple[int, dict[str, str], Any]:
    """Sends `data`, reads one response: (status, headers, JSON body or text)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        answer = http.client.HTTPResponse(sock)
        answer.begin()
        payload = answer.read()
        head = dict(answer.getheaders())
    is_json = head.get("Content-Type", "").startswith("application/json")
    return answer.status, head, json.loads(payload) if is_json else payload.decode("utf-8", "replace")


def closed_within(sock: socket.socket, seconds: float, drip: bytes = b"") -> float | None:
    """Seconds until the server closes `sock` while the client sends `drip` one byte every 0.1 s (nothing if
    empty); None if it is still open after `seconds`."""
    started = time.monotonic()
    sock.settimeout(0.1)
    sent = 0
    while time.monotonic() - started < seconds:
        try:
            if sent < len(drip):
                sock.send(drip[sent:sent + 1])
                sent += 1
            if sock.recv(65536) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:  # reset by the server: closed too
            return time.monotonic() - started
    return None


def metric(server: ServeProcess, name: str) -> float:
    status, _, text = call(server.url + "/metrics")
    assert status == 200, text
    values = [float(line.split(" ")[1]) for line in text.splitlines() if line.split(" ")[0] == name]
    assert values, f"{name} not in /metrics"
    return values[0]


def rss_mib(server: ServeProcess) -> float:
    assert server.process is not None
    with open(f"/proc/{server.process.pid}/status") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kib / 1024
