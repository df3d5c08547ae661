"""Deterministic names: run ids, Job names and label values that fit Kubernetes' 63-character limits."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

MAX_NAME = 63  # Job names become pods' job-name label values, which cap at 63
_TRIM = re.compile(r"[^A-Za-z0-9]+$")


def fit(value: str, limit: int = MAX_NAME) -> str:
    """`value` unchanged when short enough, else cut and suffixed with a hash of the whole (still unique)."""
    if len(value) <= limit:
        return value
    digest = hashlib.sha256(value.encode()).hexdigest()[:8]
    head = _TRIM.sub("", value[: limit - len(digest) - 1])
    return f"{head}-{digest}"


def slot_suffix(slot: datetime) -> str:
    """The schedule slot as the run id's suffix: yyyymmddhhmm (UTC)."""
    return slot.strftime("%Y%m%d%H%M")


def run_id(name: str, generation: int, slot: datetime | None = None) -> str:
    """`<name>-g<generation>`, or `<name>-g<generation>-<yyyymmddhhmm>` for a scheduled run (docs/design.md)."""
    base = f"{name}-g{generation}"
    return f"{base}-{slot_suffix(slot)}" if slot is not None else base


def job_name(name: str, generation: int, slot: datetime | None = None) -> str:
    return fit(run_id(name, generation, slot))


def cleanup_job_name(name: str) -> str:
    return fit(f"{name}-delete")


def label_value(value: str) -> str:
    """A label value: at most 63 characters, alphanumeric at both ends."""
    return fit(value)
