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


def run_id(name: str, uid: str, generation: int, slot: datetime | None = None) -> str:
    """`<name>-<uid8>-g<generation>`, `...-<yyyymmddhhmm>` for a scheduled run (docs/design.md). The uid's first
    8 hex digits keep same-named TweetBots (two namespaces, or deleted and created again) out of each other's
    run folders under a shared output prefix; `generation` is the one whose model edit started the run."""
    short = uid.replace("-", "")[:8].lower()
    base = f"{name}-{short}-g{generation}" if short else f"{name}-g{generation}"
    return f"{base}-{slot_suffix(slot)}" if slot is not None else base


def job_name(name: str, generation: int, slot: datetime | None = None) -> str:
    """`<name>-g<generation>[-<yyyymmddhhmm>]`: Job names are unique per namespace already."""
    base = f"{name}-g{generation}"
    return fit(f"{base}-{slot_suffix(slot)}" if slot is not None else base)


def cleanup_job_name(name: str) -> str:
    return fit(f"{name}-delete")


def label_value(value: str) -> str:
    """A label value: at most 63 characters, alphanumeric at both ends."""
    return fit(value)
