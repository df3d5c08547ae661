"""The one pod skeleton of every pod the operator makes (training, cleanup, serving; the KServe predictor takes the
parts a predictor has): the locked-down security context, GPUs (resource, limit and the GPU taint's toleration),
the scratch volumes, and the platform team's podTemplate and the S3 CA bundle applied last."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_operator.k8s.pod_template import apply_ca_bundle, apply_to_metadata, apply_to_pod, effective_template
from tweetbot_operator.settings import Settings

RUN_UID = 10001  # the images' own non-root user (Dockerfile)
TERMINATION_LOG = "/dev/termination-log"


def gpu_count(spec: Mapping[str, Any], settings: Settings) -> int:
    gpus = (spec.get("resources") or {}).get("gpus")
    return settings.default_gpus if gpus is None else int(gpus)


def gpu_resource(spec: Mapping[str, Any], settings: Settings) -> str:
    """The extended resource the GPUs are asked for as: the TweetBot's, else the operator's default."""
    return str((spec.get("resources") or {}).get("gpuResourceName") or settings.default_gpu_resource)


def gpu_tolerations(tolerations: list[dict[str, Any]], gpu: str, gpus: int) -> list[dict[str, Any]]:
    """`tolerations` plus one for the GPU resource's taint when the pod asks for GPUs: GPU node pools are
    commonly tainted with the resource's name (nvidia.com/gpu:NoSchedule)."""
    if gpus and not any(t.get("key") == gpu for t in tolerations):
        return [*tolerations, {"key": gpu, "operator": "Exists", "effect": "NoSchedule"}]
    return tolerations


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


def pod_security(settings: Settings) -> dict[str, Any]:
    """Non-root always; the images' own UID/GID only with `fixed_pod_ids` (OpenShift's restricted-v2 SCC
    assigns a UID from the namespace's range and refuses any other: the images run as any UID in group 0)."""
    ids = {"runAsUser": RUN_UID, "runAsGroup": RUN_UID, "fsGroup": RUN_UID} if settings.fixed_pod_ids else {}
    return {"runAsNonRoot": True, **ids, "seccompProfile": {"type": "RuntimeDefault"}}


def trainer_pod_spec(spec: Mapping[str, Any], settings: Settings, container: dict[str, Any],
                     gpu_defaults: bool = True) -> dict[str, Any]:
    """`gpu_defaults`: the operator's default node selector (GPU nodes) applies; not for the cleanup pod."""
    tolerations = gpu_tolerations([dict(t) for t in spec.get("tolerations") or []], gpu_resource(spec, settings),
                                  gpu_count(spec, settings))
    pod: dict[str, Any] = {
        "restartPolicy": "Never",  # required by podFailurePolicy; retries are the Job's
        "automountServiceAccountToken": False,  # the trainer never talks to the API
        "enableServiceLinks": False,
        "terminationGracePeriodSeconds": 120,  # room for the trainer's SIGTERM checkpoint
        "securityContext": pod_security(settings),
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


def finish_pod(spec: Mapping[str, Any], settings: Settings, pod: dict[str, Any], container: dict[str, Any],
               pod_meta: dict[str, Any]) -> None:
    """The platform team's pod settings (the chart's default podTemplate under the TweetBot's own) and the
    private S3 endpoint's CA bundle, on every pod of a TweetBot alike."""
    template = effective_template(settings.default_pod_template, spec.get("podTemplate"))
    apply_to_pod(template, pod, container)
    apply_ca_bundle(spec["output"], pod, container)
    apply_to_metadata(template, pod_meta)
