"""Spec checks beyond what the CRD schema enforces (and the essentials again, for API servers that
skip CEL or objects stored before a schema change): a failed check is an InvalidSpec condition, not a retry."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from tweetbot_operator.spec.engines import (
    ENGINES,
    VLLM_LORA_RANKS,
    adapter_only,
    owned_flag,
    serving_engine,
    vllm_lora_rank,
)
from tweetbot_operator.spec.naming import MAX_NODES

SOURCE_KINDS = ("xApi", "archive", "mastodon", "bluesky", "file")
USER_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,99}$")
S3_PATTERN = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$")
MAX_USERS = 3
SERVING_RUNTIMES = ("deployment", "kserve")
REMOTE_SCHEMES = ("s3://", "https://")


def source_kind(spec: Mapping[str, Any]) -> str | None:
    """The one source kind set, or None when there are none or several."""
    source = spec.get("source")
    if not isinstance(source, Mapping):
        return None
    kinds = [kind for kind in SOURCE_KINDS if isinstance(source.get(kind), Mapping)]
    return kinds[0] if len(kinds) == 1 else None


def validate_spec(spec: Any) -> list[str]:
    """Every problem found, each a sentence a user can act on; empty when the spec is usable."""
    if not isinstance(spec, Mapping):
        return ["spec is missing"]
    errors: list[str] = []

    users = spec.get("users")
    if not isinstance(users, list) or not 1 <= len(users) <= MAX_USERS:
        errors.append(f"spec.users must list 1 to {MAX_USERS} handles")
        users = []
    else:
        bad = [u for u in users if not isinstance(u, str) or not USER_PATTERN.match(u)]
        if bad:
            errors.append(f"spec.users has invalid handles: {', '.join(map(str, bad))}")
        if len(set(map(str, users))) != len(users):
            errors.append("spec.users lists a handle twice")

    source = spec.get("source")
    kinds = [k for k in SOURCE_KINDS if isinstance(source, Mapping) and isinstance(source.get(k), Mapping)]
    if len(kinds) != 1:
        errors.append(f"spec.source must set exactly one of {', '.join(SOURCE_KINDS)} (found {len(kinds)})")
    else:
        kind = kinds[0]
        body = source[kind]  # type: ignore[index]
        if kind in ("archive", "file"):
            uri = body.get("uri")
            if not isinstance(uri, str) or not uri:
                errors.append(f"spec.source.{kind}.uri is required")
            elif not uri.startswith(REMOTE_SCHEMES):
                # A path in the pod may be a mounted Secret or /proc/self/environ (issue 24): never the contents.
                errors.append(f"spec.source.{kind}.uri must be an s3:// or https:// URI (local paths are for the "
                              "CLI run by hand)")
            elif len(users) > 1 and "{user}" not in uri:
                errors.append(f"spec.source.{kind}.uri must contain {{user}} when there are several users")
        if kind == "xApi" and not _secret_name(body.get("tokenSecret")):
            errors.append("spec.source.xApi.tokenSecret.name is required (the X bearer token)")

    output = spec.get("output")
    s3 = output.get("s3") if isinstance(output, Mapping) else None
    if not isinstance(s3, str) or not S3_PATTERN.match(s3):
        errors.append("spec.output.s3 must be an s3://bucket/prefix/ URI")
    hub = output.get("hub") if isinstance(output, Mapping) else None
    if hub is not None and (not isinstance(hub, Mapping) or not hub.get("repo") or not _secret_name(
        hub.get("tokenSecret")
    )):
        errors.append("spec.output.hub needs repo and tokenSecret.name")

    base_token = spec.get("baseModelTokenSecret")
    if base_token is not None and not _secret_name(base_token):
        errors.append("spec.baseModelTokenSecret.name is required (the Secret holding the Hub read token)")

    schedule = spec.get("schedule")
    if schedule and (
        not isinstance(schedule, str) or len(schedule.split()) != 5 or not croniter.is_valid(schedule)
    ):
        errors.append(f"spec.schedule is not a five-field cron expression: {schedule!r}")
    errors += time_zone_errors(spec.get("timeZone"))

    gpus = (spec.get("resources") or {}).get("gpus")
    if gpus is not None and (not isinstance(gpus, int) or isinstance(gpus, bool) or gpus < 0):
        errors.append("spec.resources.gpus must be a whole number >= 0")
    nodes = (spec.get("resources") or {}).get("nodes")
    if nodes is not None and (not isinstance(nodes, int) or isinstance(nodes, bool) or not 1 <= nodes <= MAX_NODES):
        errors.append(f"spec.resources.nodes must be a whole number from 1 to {MAX_NODES}")
    return errors + serving_errors(spec.get("serving")) + adapter_errors(spec) + quality_errors(spec.get("quality"))


def quality_errors(quality: Any) -> list[str]:
    """spec.quality.minimum: shares from 0 to 1 (the CRD's schema says the same)."""
    if quality is None:
        return []
    minimum = quality.get("minimum") if isinstance(quality, Mapping) else None
    if minimum is None:
        return [] if isinstance(quality, Mapping) else ["spec.quality must be an object"]
    if not isinstance(minimum, Mapping):
        return ["spec.quality.minimum must be an object with styleMatch and/or maxMemorized"]
    return [f"spec.quality.minimum.{key} must be a number from 0 to 1" for key in ("styleMatch", "maxMemorized")
            if key in minimum and not (isinstance(minimum[key], (int, float)) and not isinstance(minimum[key], bool)
                                       and 0 <= minimum[key] <= 1)]


def serving_errors(serving: Any) -> list[str]:
    """spec.serving's runtime and the fields that apply to it (the CRD's CEL rules say the same)."""
    if not isinstance(serving, Mapping):
        return []
    runtime = serving.get("runtime", "deployment")
    if runtime not in SERVING_RUNTIMES:
        return [f"spec.serving.runtime must be one of {', '.join(SERVING_RUNTIMES)}"]
    if serving.get("kserve") is not None and runtime != "kserve":
        return ["spec.serving.kserve applies only with serving.runtime: kserve"]
    if runtime == "kserve" and serving.get("apiKeySecret") is not None:
        return ["spec.serving.apiKeySecret applies only to serving.runtime: deployment (KServe has its own auth)"]
    if serving.get("apiKeySecret") is not None and not _secret_name(serving["apiKeySecret"]):
        return ["spec.serving.apiKeySecret.name is required"]
    if runtime == "kserve" and serving.get("port") is not None:
        return ["spec.serving.port applies only to serving.runtime: deployment (KServe's runtime picks its port)"]
    return engine_errors(serving, runtime)


def engine_errors(serving: Mapping[str, Any], runtime: str) -> list[str]:
    """spec.serving.engine and spec.serving.vllm: runtime deployment only; vLLM's flags the operator sets stay its."""
    if runtime == "kserve" and (serving.get("engine") is not None or serving.get("vllm") is not None):
        return ["spec.serving.engine and serving.vllm apply only with serving.runtime: deployment "
                "(KServe's backend is serving.kserve.backend)"]
    if serving.get("engine") is not None and serving["engine"] not in ENGINES:
        return [f"spec.serving.engine must be one of {', '.join(ENGINES)}"]
    args = (serving.get("vllm") or {}).get("args") or [] if isinstance(serving.get("vllm"), Mapping) else []
    for index, arg in enumerate(args if isinstance(args, list) else []):
        owned = owned_flag(str(arg))
        if owned is not None:
            return [f"spec.serving.vllm.args[{index}] sets {owned}, which the operator sets (vLLM listens on the "
                    "pod's loopback behind tweetbot-serve)"]
    return []


def adapter_errors(spec: Mapping[str, Any]) -> list[str]:
    """An adapter-only LoRA run is served by vLLM alone (the torch engine and KServe's runtime load a full model),
    and its rank must fit vLLM's --max-lora-rank."""
    serving = spec.get("serving")
    if not isinstance(serving, Mapping) or not serving.get("enabled") or not adapter_only(spec):
        return []
    if serving.get("runtime", "deployment") != "deployment" or serving_engine(serving) != "vllm":
        return ["spec.output.merge false publishes only a LoRA adapter, which only serving.engine vllm serves "
                "(runtime deployment): set serving.engine vllm, or output.merge true for the full model"]
    rank = int((((spec.get("training") or {}).get("lora")) or {}).get("rank") or 0)
    if vllm_lora_rank(rank) is None:
        return [f"spec.training.lora.rank {rank} is above vLLM's largest LoRA rank "
                f"({VLLM_LORA_RANKS[-1]}): serve the merged model (output.merge) or lower the rank"]
    return []


def _secret_name(ref: Any) -> str:
    return ref.get("name", "") if isinstance(ref, Mapping) else ""


def time_zone_errors(zone: Any) -> list[str]:
    """spec.timeZone: an IANA time zone name (as a CronJob's timeZone), e.g. Europe/Berlin."""
    if zone is None or zone == "":
        return []
    try:
        ZoneInfo(str(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return [f"spec.timeZone is not a known IANA time zone: {str(zone)[:64]!r} (e.g. Europe/Berlin)"]
    return []
