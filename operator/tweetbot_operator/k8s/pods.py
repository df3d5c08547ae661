"""The parts every trainer pod has, whichever Job or Deployment holds it: the container's environment (credentials
and tokens only as secretKeyRef: the operator never reads a Secret's data), GPUs and resources, volumes, the
locked-down security context, and the pod spec around it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_operator.settings import Settings
from tweetbot_operator.spec.validation import source_kind

TOKEN_ENVS = {"xApi": "X_BEARER_TOKEN", "mastodon": "MASTODON_TOKEN"}
HUB_TOKEN_ENV = "HF_TOKEN"  # the push token; huggingface_hub also downloads with it
HUB_PUSH_TOKEN_ENV = "HF_HUB_PUSH_TOKEN"
RUN_UID = 10001  # the images' own non-root user (Dockerfile)


def s3_endpoint(spec: Mapping[str, Any], settings: Settings) -> str:
    return str(spec["output"].get("endpoint") or settings.default_s3_endpoint or "")


def _secret_env(env_name: str, secret: str, key: str) -> dict[str, Any]:
    # optional: false -> a missing Secret keeps the pod in CreateContainerConfigError, which status reports.
    return {"name": env_name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key, "optional": False}}}


def base_env() -> list[dict[str, Any]]:
    return [
        {"name": "PYTHONUNBUFFERED", "value": "1"},  # progress lines reach the log as they happen
        {"name": "HOME", "value": "/tmp"},
        {"name": "HF_HOME", "value": "/cache/huggingface"},
        {"name": "MPLCONFIGDIR", "value": "/tmp/matplotlib"},
    ]


def credential_env(spec: Mapping[str, Any], settings: Settings) -> list[dict[str, Any]]:
    ref = spec["output"].get("credentialsSecret") or {}
    secret = ref.get("name") or settings.default_credentials_secret
    if not secret:
        return []  # e.g. IRSA / workload identity: boto3 finds credentials itself
    return [
        _secret_env("AWS_ACCESS_KEY_ID", secret, ref.get("accessKeyIdKey") or "AWS_ACCESS_KEY_ID"),
        _secret_env("AWS_SECRET_ACCESS_KEY", secret, ref.get("secretAccessKeyKey") or "AWS_SECRET_ACCESS_KEY"),
    ]


def source_env(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    kind = source_kind(spec)
    if kind not in TOKEN_ENVS:
        return []
    ref = spec["source"][kind].get("tokenSecret")
    return [_secret_env(TOKEN_ENVS[kind], ref["name"], ref.get("key") or "token")] if ref else []


def hub_env(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    hub = spec["output"].get("hub")
    if not hub:
        return []
    ref = hub["tokenSecret"]
    return [_secret_env(push_token_env(spec), ref["name"], ref.get("key") or "token")]


def push_token_env(spec: Mapping[str, Any]) -> str:
    return HUB_PUSH_TOKEN_ENV if spec.get("baseModelTokenSecret") else HUB_TOKEN_ENV


def base_model_env(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A gated or private base model: its token as HF_TOKEN, which huggingface_hub downloads with."""
    ref = spec.get("baseModelTokenSecret")
    return [_secret_env(HUB_TOKEN_ENV, ref["name"], ref.get("key") or "token")] if ref else []


def gpu_count(spec: Mapping[str, Any], settings: Settings) -> int:
    gpus = (spec.get("resources") or {}).get("gpus")
    return settings.default_gpus if gpus is None else int(gpus)


def gpu_resource(spec: Mapping[str, Any], settings: Settings) -> str:
    """The extended resource the GPUs are asked for as: the TweetBot's, else the operator's default."""
    return str((spec.get("resources") or {}).get("gpuResourceName") or settings.default_gpu_resource)


def container_resources(spec: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    res = spec.get("resources") or {}
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    gpus = gpu_count(spec, settings)
    if gpus:
        requests[gpu_resource(spec, settings)] = limits[gpu_resource(spec, settings)] = str(gpus)
    if res.get("cpu") is not None:
        requests["cpu"] = str(res["cpu"])
    if res.get("memory") is not None:
        requests["memory"] = limits["memory"] = str(res["memory"])
    return {k: v for k, v in (("requests", requests), ("limits", limits)) if v}


def trainer_volume_mounts() -> list[dict[str, Any]]:
    return [
        {"name": "tmp", "mountPath": "/tmp"},
        {"name": "cache", "mountPath": "/cache"},
        {"name": "dshm", "mountPath": "/dev/shm"},
    ]


def container_security() -> dict[str, Any]:
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
    }


def trainer_pod_spec(spec: Mapping[str, Any], settings: Settings, container: dict[str, Any],
              gpu_defaults: bool = True) -> dict[str, Any]:
    """`gpu_defaults`: the operator's default node selector (GPU nodes) applies; not for the cleanup pod."""
    tolerations = [dict(t) for t in spec.get("tolerations") or []]
    gpu = gpu_resource(spec, settings)
    if gpu_count(spec, settings) and not any(t.get("key") == gpu for t in tolerations):
        # GPU node pools are commonly tainted with the resource's name (nvidia.com/gpu:NoSchedule)
        tolerations.append({"key": gpu, "operator": "Exists", "effect": "NoSchedule"})
    pod: dict[str, Any] = {
        "restartPolicy": "Never",  # required by podFailurePolicy; retries are the Job's
        "automountServiceAccountToken": False,  # the trainer never talks to the API
        "enableServiceLinks": False,
        "terminationGracePeriodSeconds": 120,  # room for the trainer's SIGTERM checkpoint
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": RUN_UID,
            "runAsGroup": RUN_UID,
            "fsGroup": RUN_UID,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [container],
        "volumes": [
            {"name": "tmp", "emptyDir": {}},
            {"name": "cache", "emptyDir": {}},
            {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "2Gi"}},
        ],
    }
    node_selector = spec.get("nodeSelector") or (settings.default_node_selector if gpu_defaults else None)
    if node_selector:
        pod["nodeSelector"] = dict(node_selector)
    if tolerations:
        pod["tolerations"] = tolerations
    if spec.get("affinity"):
        pod["affinity"] = spec["affinity"]
    if spec.get("priorityClassName"):
        pod["priorityClassName"] = spec["priorityClassName"]
    if settings.trainer_service_account:
        pod["serviceAccountName"] = settings.trainer_service_account
    return pod
