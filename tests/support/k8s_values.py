"""Small value helpers the emulator's modules share."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any


def clone(value: Any) -> Any:
    """A deep copy of JSON data (several times faster than copy.deepcopy, which matters at scale)."""
    return json.loads(json.dumps(value))


def now_rfc3339() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def until(check: Callable[[], Any], timeout: float = 5.0, interval: float = 0.02) -> Any:
    """Polls `check` (from a thread other than the emulator's) until it returns something truthy; that value."""
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "not in time"
        time.sleep(interval)
    return found
