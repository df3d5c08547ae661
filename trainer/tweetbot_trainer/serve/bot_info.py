"""What the server says about its bot: the model id, who it imitates (names, @handles, avatars, from the run's
data/stats.json and metrics.json), how much it sounds like them (metrics.json's quality, as the card and
status.quality say it) and the sampling defaults (the run's generation_config.json, the prompt prefix of its
config.json)."""

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
    quality: str = ""  # one line, "" when the run measured nothing

    def public(self) -> dict[str, Any]:
        return {"model": self.model_id, "users": self.users, "prompt": DEFAULT_PROMPT, "quality": self.quality}


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


def _share(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        return None
    return f"{100 * value:.0f}%"


def quality_line(metrics: dict[str, Any]) -> str:
    """e.g. "Taken for the person's posts 71% of the time (base model 20%, their own 90%); copies a training
    post 0% of the time": the card's numbers, for the playground."""
    quality = metrics.get("quality")
    if not isinstance(quality, dict):
        return ""
    style, memorization = (part if isinstance(part := quality.get(key), dict) else {}
                           for key in ("style", "memorization"))
    tuned, base, person = (_share(style.get(k)) for k in ("fineTuned", "base", "person"))
    copied = _share(memorization.get("memorized"))
    parts = []
    if tuned:
        beside = ", ".join(x for x in (base and f"base model {base}", person and f"their own {person}") if x)
        parts.append(f"Taken for the person's posts {tuned} of the time" + (f" ({beside})" if beside else ""))
    if copied:
        parts.append(f"copies a training post {copied} of the time")
    return "; ".join(parts)


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
    # The prompt's prefix is config.json's (the trainer writes the separator its posts were joined by there, where
    # transformers' pipeline reads it); an older run folder's generation_config.json may carry it.
    generation = {"prefix": _json(folder / "config.json").get("prefix"), **_json(folder / "generation_config.json")}
    return BotInfo(name, users_of(_json(folder / "data" / "stats.json"), metrics), defaults_of(generation),
                   quality_line(metrics))
