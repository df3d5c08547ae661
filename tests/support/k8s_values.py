"""Small value helpers the emulator's modules share."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any


def clone(value: Any) -> Any:
    """A deep copy of JSON data (several times faster than copy.deepcopy, which matters at scale)."""
    return json.loads(json.dumps(value))


def now_rfc3339() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
