"""spec.podTemplate: what platform teams set on every pod of a TweetBot (ServiceAccount, pull secrets, env and
envFrom, volumes and mounts, labels and annotations, runtime class, scheduler, topology spread, ephemeral
storage), applied to the Job builders' plain dicts. Pure.

The chart's cluster-wide defaults (TWEETBOT_DEFAULT_POD_TEMPLATE) come first and the TweetBot's own values win:
a field the TweetBot sets replaces the default, except labels, annotations and env, which merge (by key, by
name). What the operator owns cannot be overridden: the CRD's CEL rules refuse these names, and the builders
put the operator's own entries last where Kubernetes lets the last one win.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Names the operator sets itself (jobs.py); the CRD's CEL rules list the same (a test keeps them equal).
RESERVED_ENV = ("PYTHONUNBUFFERED", "HOME", "HF_HOME", "MPLCONFIGDIR", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "X_BEARER_TOKEN", "MASTODON_TOKEN", "HF_TOKEN", "HF_HUB_PUSH_TOKEN", "AWS_CA_BUNDLE",
                "JOB_COMPLETION_INDEX")  # the last: the Job controller's (a node's rank), which a user's would shadow
RESERVED_VOLUMES = ("tmp", "cache", "dshm", "ca-bundle")
RESERVED_MOUNT_PATHS = ("/tmp", "/cache", "/dev/shm", "/dev/termination-log", "/etc/tweetbot")
CA_VOLUME, CA_DIR, CA_FILE = "ca-bundle", "/etc/tweetbot/ca", "ca.crt"
RESERVED_LABEL_PREFIXES = ("app.kubernetes.io/", "tweetbot.io/", "batch.kubernetes.io/", "kueue.x-k8s.io/")
MERGED_MAPS = ("labels", "annotations")
POD_FIELDS = ("serviceAccountName", "imagePullSecrets", "runtimeClassName", "schedulerName",
              "topologySpreadConstraints")


def effective_template(defaults: Mapping[str, Any], own: Mapping[str, Any] | None) -> dict[str, Any]:
    """The chart's defaults with the TweetBot's podTemplate over them."""
    own = own or {}
    merged: dict[str, Any] = {**defaults, **own}
    for key in MERGED_MAPS:
        if key in defaults or key in own:
            merged[key] = {**(defaults.get(key) or {}), **(own.get(key) or {})}
    if "env" in defaults or "env" in own:
        by_name = {e["name"]: e for e in defaults.get("env") or []} | {e["name"]: e for e in own.get("env") or []}
        merged["env"] = list(by_name.values())
    return {k: v for k, v in merged.items() if v not in (None, [], {})}


def apply_to_pod(template: Mapping[str, Any], pod: dict[str, Any], container: dict[str, Any]) -> None:
    """Put the template's pod and container settings into a builder's pod spec and its trainer container."""
    for key in POD_FIELDS:
        if template.get(key):
            pod[key] = _copy(template[key])
    if template.get("volumes"):
        pod["volumes"] = [*pod.get("volumes", []), *_copy(template["volumes"])]
    if template.get("volumeMounts"):
        container["volumeMounts"] = [*container.get("volumeMounts", []), *_copy(template["volumeMounts"])]
    if template.get("envFrom"):
        container["envFrom"] = _copy(template["envFrom"])
    if template.get("env"):  # before the operator's own, which are last (and the CRD refuses their names)
        container["env"] = [*_copy(template["env"]), *container.get("env", [])]
    storage = template.get("ephemeralStorage")
    if storage is not None:
        resources = container.setdefault("resources", {})
        for part in ("requests", "limits"):
            resources.setdefault(part, {})["ephemeral-storage"] = str(storage)


def apply_to_metadata(template: Mapping[str, Any], metadata: dict[str, Any]) -> None:
    """The template's labels and annotations on a pod template's metadata, under the operator's own."""
    for key in MERGED_MAPS:
        if template.get(key):
            metadata[key] = {**template[key], **(metadata.get(key) or {})}


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def apply_ca_bundle(output: Mapping[str, Any], pod: dict[str, Any], container: dict[str, Any]) -> None:
    """spec.output.caBundle: the ConfigMap key mounted read-only, and AWS_CA_BUNDLE pointing boto3 at it."""
    ref = output.get("caBundle")
    if not ref:
        return
    items = [{"key": ref.get("key") or CA_FILE, "path": CA_FILE}]
    pod["volumes"] = [*pod.get("volumes", []), {"name": CA_VOLUME, "configMap": {"name": ref["name"],
                                                                                 "items": items}}]
    container["volumeMounts"] = [*container.get("volumeMounts", []),
                                 {"name": CA_VOLUME, "mountPath": CA_DIR, "readOnly": True}]
    container["env"] = [*container.get("env", []), {"name": "AWS_CA_BUNDLE", "value": f"{CA_DIR}/{CA_FILE}"}]
