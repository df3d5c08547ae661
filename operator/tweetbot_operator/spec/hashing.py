"""The one short hash of the operator: of a name (to keep it unique when cut) or of a spec part (to compare)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def short_hash(value: Any, length: int = 16) -> str:
    """Hex sha256 prefix of a string, or of any JSON value (keys sorted, so equal values hash equally)."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:length]
