"""What the server says about its bot: the model id, who it imitates (names, @handles, avatars, from the run's
data/stats.json and metrics.json) and the sampling defaults (the run's generation_config.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_PROMPT = "My dream is"


@dataclass(frozen=True)
class Defaults:
    temperature: float = 1.0
    top_p: float = 1.0
    max_length: int | None = None  # prompt + completion, as in generation_config.json
    max_new_tokens: int | None = None
    prefix: str = ""
    eos_token_id: int | None = None
    no_repeat_ngram_size: int = 0


@dataclass(frozen=True)
class BotInfo:
    model_id: str
    users: list[dict[str, str]] = field(default_factory=list)  # handle, name, avatar ("" when none)
    defaults: Defaults = Defaults()

    def public(self) -> dict[str, Any]:
        return {"model": self.model_id, "users": self.users, "prompt": DEFAULT_PROMPT}


def _json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def avatar_url(value: object) -> str:
    """An https URL for an <img>, or "" (anything else could be a javascript: or data: trick)."""
    url = str(value or "").strip()
    try:
        ok = urlsplit(url).scheme == "https" and bool(urlsplit(url).netloc)
    except ValueError:
        ok = False
    return url if ok else ""


def users_of(stats: dict[str, Any], metrics: dict[str, Any]) -> list[dict[str, str]]:
    handles = list(stats.get("users") or metrics.get("stats") or {})
    profiles = stats.get("profiles") or {}
    users = []
    for handle in handles:
        found = profiles.get(handle)
        profile: dict[str, Any] = found if isinstance(found, dict) else {}
        users.append({"handle": str(handle), "name": str(profile.get("display_name") or handle),
                      "avatar": avatar_url(profile.get("avatar_url"))})
    return users


def defaults_of(generation: dict[str, Any]) -> Defaults:
    def number(key: str, default: float) -> float:
        value = generation.get(key)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default

    sampled = bool(generation.get("do_sample", False))
    eos = generation.get("eos_token_id")
    return Defaults(
        temperature=number("temperature", 1.0) if sampled else 0.0,
        top_p=number("top_p", 1.0) if sampled else 1.0,
        max_length=int(generation["max_length"]) if isinstance(generation.get("max_length"), int) else None,
        max_new_tokens=int(generation["max_new_tokens"]) if isinstance(generation.get("max_new_tokens"), int)
        else None,
        prefix=str(generation.get("prefix") or ""),
        eos_token_id=eos[0] if isinstance(eos, list) and eos else eos if isinstance(eos, int) else None,
        no_repeat_ngram_size=max(0, int(number("no_repeat_ngram_size", 0))),
    )


def read_bot_info(folder: Path, model_id: str | None = None) -> BotInfo:
    manifest = _json(folder / "manifest.json")
    metrics = _json(folder / "metrics.json")
    name = model_id or str(manifest.get("runId") or metrics.get("runId") or folder.resolve().name)
    return BotInfo(name, users_of(_json(folder / "data" / "stats.json"), metrics),
                   defaults_of(_json(folder / "generation_config.json")))
