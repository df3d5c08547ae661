"""Incremental retraining (docs/guide/scheduling.md): the trainer flags that name the previous run, and the
status the trainer's `data` section becomes.

- `--previous-run`: the last successful run's folder; its posts are not fetched again.
- `--min-new-posts` (spec.refresh.minNewPosts, default 20): only for scheduled runs; a spec edit always trains.
- `--full-fetch-every` (spec.refresh.fullFetchEvery): every N runs everything is fetched; deleted posts leave.
- `--warm-start` (spec.training.warmStart, default on with LoRA): only when the last successful run was made for
  this generation (same base model, same LoRA shape); a spec edit trains from scratch.
A skipped run ends with the termination message `{"status": "skipped", "newPosts": n, ...}` before any model
loads; the Job still asks for the run's GPU while it fetches (its pod is the training pod).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

DEFAULT_MIN_NEW_POSTS = 20
DATA_KEYS = ("posts", "newPosts", "deletedPosts")


def warm_start_wanted(spec: Mapping[str, Any]) -> bool:
    training = spec.get("training") or {}
    if "warmStart" in training:
        return bool(training["warmStart"])
    return bool((training.get("lora") or {}).get("rank"))


def incremental_flags(tb: Mapping[str, Any], slot: datetime | None) -> list[str]:
    spec, status = tb["spec"], tb.get("status") or {}
    last = status.get("lastSuccessfulRun") or {}
    refresh = spec.get("refresh") or {}
    flags: list[str] = []
    if refresh.get("fullFetchEvery"):
        flags += ["--full-fetch-every", str(int(refresh["fullFetchEvery"]))]
    uri = last.get("modelURI") or status.get("modelURI")
    if not uri:
        return flags
    flags += ["--previous-run", str(uri)]
    if slot is not None:
        flags += ["--min-new-posts", str(int(refresh.get("minNewPosts", DEFAULT_MIN_NEW_POSTS)))]
    same_model = last.get("generation") == int(tb["metadata"].get("generation") or 1)
    if warm_start_wanted(spec) and same_model:
        flags.append("--warm-start")
    return flags


def data_status(result: Mapping[str, Any] | None, old: Mapping[str, Any] | None,
                now: datetime) -> dict[str, Any] | None:
    """status.data from the trainer's `data` (a succeeded or skipped run), else the old one with staleDays
    brought up to date: newestPost (the newest post trained on), posts, newPosts of the latest run."""
    data = (result or {}).get("data")
    out: dict[str, Any] = {}
    if isinstance(data, Mapping):
        out = {k: data[k] for k in DATA_KEYS if isinstance(data.get(k), int) and not isinstance(data[k], bool)}
        if isinstance(data.get("newestPost"), str):
            out["newestPost"] = data["newestPost"]
    elif old:
        out = {k: v for k, v in old.items() if k != "staleDays"}
    newest = _parse(out.get("newestPost"))
    if newest is not None:
        out["staleDays"] = max(0, (now - newest).days)
    return out or None


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
