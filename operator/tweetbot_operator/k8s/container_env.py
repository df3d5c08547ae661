"""The environment of containers running the trainer image (training, cleanup, serving): credentials and tokens
only as secretKeyRef (the operator never reads a Secret's data), and where S3 is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_operator.settings import Settings
from tweetbot_operator.spec.validation import source_kind

TOKEN_ENVS = {"xApi": "X_BEARER_TOKEN", "mastodon": "MASTODON_TOKEN"}
HUB_TOKEN_ENV = "HF_TOKEN"  # the push token; huggingface_hub also downloads with it
HUB_PUSH_TOKEN_ENV = "HF_HUB_PUSH_TOKEN"


def s3_endpoint(spec: Mapping[str, Any], settings: Settings) -> str:
    return str(spec["output"].get("endpoint") or settings.default_s3_endpoint or "")


def _secret_env(env_name: str, secret: str, key: str) -> dict[str, Any]:
    # optional: false -> a missing Secret keeps the pod in CreateContainerConfigError, which status reports.
    return {"name": env_name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key, "optional": False}}}


secret_env = _secret_env  # training/tracking.py's credentials


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
