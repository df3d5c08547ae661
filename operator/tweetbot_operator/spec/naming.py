"""Deterministic names: run ids, Job names and label values that fit Kubernetes' 63-character limits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tweetbot_operator.spec.hashing import short_hash

MAX_NAME = 63  # Job names become pods' job-name label values, which cap at 63
MAX_NODES = 64  # spec.resources.nodes' maximum, as in the CRD
# An Indexed Job's pods are named (host name) `<job>-<index>`, a DNS label: room for "-63".
MAX_INDEXED_JOB_NAME = MAX_NAME - len(f"-{MAX_NODES - 1}")
_TRIM = re.compile(r"[^A-Za-z0-9]+$")
_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_NOT_LABEL = re.compile(r"[^a-z0-9]+")


def _short(value: str) -> str:
    return short_hash(value, 8)


def fit(value: str, limit: int = MAX_NAME) -> str:
    """`value` unchanged when short enough, else cut and suffixed with a hash of the whole (still unique)."""
    if len(value) <= limit:
        return value
    head = _TRIM.sub("", value[: limit - len(_short(value)) - 1])
    return f"{head}-{_short(value)}"


def dns_label(value: str, limit: int = MAX_NAME, *, letter_first: bool = False) -> str:
    """`value` itself when it is a DNS label (RFC 1123; RFC 1035 with `letter_first`: a Service name) within
    `limit`; else lowercased, each run of other characters (a TweetBot name's dots) made one '-', a leading
    letter added where needed, cut, and suffixed with a hash of the whole `value`, so that names which map to
    the same label ("a.b", "a-b") still get different ones."""
    pattern = _DNS1035_LABEL if letter_first else _DNS1123_LABEL
    if len(value) <= limit and pattern.match(value):
        return value
    clean = _NOT_LABEL.sub("-", value.lower()).strip("-")
    if letter_first and not clean[:1].isalpha():
        clean = f"n{clean}"
    head = clean[: limit - len(_short(value)) - 1].rstrip("-")
    return f"{head}-{_short(value)}" if head else f"n{_short(value)}"


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


def indexed_job_name(name: str, generation: int, slot: datetime | None = None) -> str:
    """A multi-node (Indexed) Job's name: `job_name`'s when that is a DNS label with room for `-<index>` (the
    pods' host names), else a label derived from it."""
    base = f"{name}-g{generation}"
    return dns_label(f"{base}-{slot_suffix(slot)}" if slot is not None else base, MAX_INDEXED_JOB_NAME)


def rendezvous_service_name(name: str) -> str:
    """The headless Service of a TweetBot's multi-node pods (`<job>-0.<service>` is node 0's address): a DNS-1035
    label, as Service names are, whatever the TweetBot's name (it may start with a digit or hold dots)."""
    return dns_label(f"{name}-nodes", letter_first=True)


def cleanup_job_name(name: str) -> str:
    return fit(f"{name}-delete")


def label_value(value: str) -> str:
    """A label value: at most 63 characters, alphanumeric at both ends."""
    return fit(value)


def owner_arg(meta: Mapping[str, Any]) -> str:
    """`namespace/name/uid`: whose runs these are (the run marker, manifest.json, `delete --owner`)."""
    return f"{meta.get('namespace')}/{meta['name']}/{meta.get('uid') or ''}"
