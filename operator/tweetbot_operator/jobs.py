"""Pure builders of the batch/v1 Jobs the operator creates (plain dicts, nothing sent anywhere).

`build_training_job` turns a TweetBot into the Job running `tweetbot-train run`; `build_cleanup_job` into the
Job running `tweetbot-train delete --all` (deletionPolicy: Delete). Credentials reach the pods only as
secretKeyRef env: the operator never reads a Secret's data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import constants as c
from .naming import cleanup_job_name, job_name, label_value, run_id
from .settings import Settings
from .validation import source_kind

# The same defaults as the CRD schema, for objects the API server did not default.
TRAINING_DEFAULTS: dict[str, Any] = {
    "epochs": 4,
    "learningRate": 1.372e-4,
    "blockSize": 1024,
    "seed": 42,
    "precision": "auto",
}
SOURCE_FLAGS = {"xApi": "x-api", "archive": "archive", "mastodon": "mastodon", "bluesky": "bluesky", "file": "file"}
TOKEN_ENVS = {"xApi": "X_BEARER_TOKEN", "mastodon": "MASTODON_TOKEN"}
HUB_TOKEN_ENV = "HF_TOKEN"
TERMINATION_LOG = "/dev/termination-log"
TRAINER_EXIT_INPUT_ERROR = 2  # docs/design.md: a retry cannot fix it
# Fields whose change does not start a new run: the current Job is kept (and suspended/resumed in place).
NON_RUN_FIELDS = frozenset({"suspend", "schedule", "deletionPolicy", "ttlSecondsAfterFinished"})
RUN_UID = 10001  # the images' own non-root user (Dockerfile)


def run_spec_hash(spec: Mapping[str, Any]) -> str:
    """Hash of the fields that shape a run; equal hashes mean an existing Job still fits the spec."""
    essence = {k: v for k, v in spec.items() if k not in NON_RUN_FIELDS}
    return hashlib.sha256(json.dumps(essence, sort_keys=True, default=str).encode()).hexdigest()[:16]


def owner_reference(tb: Mapping[str, Any]) -> dict[str, Any]:
    meta = tb["metadata"]
    return {
        "apiVersion": c.API_VERSION,
        "kind": c.KIND,
        "name": meta["name"],
        "uid": meta.get("uid", ""),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def base_labels(name: str, component: str) -> dict[str, str]:
    return {
        c.LABEL_APP: c.APP_NAME,
        c.LABEL_COMPONENT: component,
        c.LABEL_MANAGED_BY: c.MANAGER,
        c.LABEL_NAME: label_value(name),
    }


def uses_kueue(tb: Mapping[str, Any]) -> bool:
    return bool((tb["metadata"].get("labels") or {}).get(c.LABEL_KUEUE_QUEUE))


def build_training_job(tb: Mapping[str, Any], settings: Settings, slot: datetime | None = None) -> dict[str, Any]:
    """The Job for the TweetBot's current generation (and schedule slot, for cron runs). Expects a valid spec."""
    meta, spec = tb["metadata"], tb["spec"]
    name, generation = meta["name"], int(meta.get("generation") or 1)
    rid = run_id(name, generation, slot)
    labels = base_labels(name, c.COMPONENT_TRAIN) | {
        c.LABEL_GENERATION: str(generation),
        c.LABEL_RUN_ID: label_value(rid),
    }
    if slot is not None:
        labels[c.LABEL_SLOT] = slot.strftime("%Y%m%d%H%M")
    job_labels = dict(labels)
    queue = (meta.get("labels") or {}).get(c.LABEL_KUEUE_QUEUE)
    if queue:
        job_labels[c.LABEL_KUEUE_QUEUE] = queue

    env = _base_env() + _credential_env(spec, settings) + _source_env(spec) + _hub_env(spec)
    container = {
        "name": c.TRAINER_CONTAINER,
        "image": spec.get("image") or settings.trainer_image,
        "imagePullPolicy": "IfNotPresent",
        "command": ["tweetbot-train"],
        "args": trainer_args(spec, rid, settings),
        "env": env,
        "resources": _resources(spec, settings),
        "volumeMounts": _volume_mounts(),
        "terminationMessagePath": TERMINATION_LOG,
        "terminationMessagePolicy": "FallbackToLogsOnError",
        "securityContext": _container_security(),
    }
    pod_spec = _pod_spec(spec, settings, container)
    if settings.model_cache_claim:  # base models downloaded once, not on every run
        pod_spec["volumes"] = [{"name": "cache", "persistentVolumeClaim": {"claimName": settings.model_cache_claim}}
                               if v["name"] == "cache" else v for v in pod_spec["volumes"]]
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": job_name(name, generation, slot),
            "namespace": meta.get("namespace"),
            "labels": job_labels,
            "annotations": {c.ANNOTATION_RUN_ID: rid, c.ANNOTATION_SPEC_HASH: run_spec_hash(spec)},
            "ownerReferences": [owner_reference(tb)],
        },
        "spec": {
            "completions": 1,
            "parallelism": 1,
            "backoffLimit": int(spec.get("backoffLimit", 2)),
            **({"activeDeadlineSeconds": spec["activeDeadlineSeconds"]} if spec.get("activeDeadlineSeconds") else {}),
            "ttlSecondsAfterFinished": int(spec.get("ttlSecondsAfterFinished", 86400)),
            # Kueue admits a queued Job by unsuspending it, so such a Job must start suspended.
            "suspend": bool(spec.get("suspend", False)) or bool(queue),
            "podFailurePolicy": {
                "rules": [
                    {  # the trainer's "your input is wrong" exit: retrying cannot help
                        "action": "FailJob",
                        "onExitCodes": {
                            "containerName": c.TRAINER_CONTAINER,
                            "operator": "In",
                            "values": [TRAINER_EXIT_INPUT_ERROR],
                        },
                    },
                    {  # preemption, eviction, node drain: retry without counting against backoffLimit
                        "action": "Ignore",
                        "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}],
                    },
                ]
            },
            "template": {
                "metadata": {"labels": labels, "annotations": {c.ANNOTATION_RUN_ID: rid}},
                "spec": pod_spec,
            },
        },
    }


def trainer_args(spec: Mapping[str, Any], rid: str, settings: Settings) -> list[str]:
    """`tweetbot-train run ...` arguments (docs/design.md), after the `tweetbot-train` command."""
    args = ["run"]
    for user in spec["users"]:
        args += ["--user", str(user)]
    kind = source_kind(spec) or "archive"
    source = spec["source"][kind]
    args += ["--source", SOURCE_FLAGS[kind]]
    if kind in ("archive", "file"):
        args += ["--source-uri", str(source["uri"])]
    if source.get("url"):
        args += ["--source-url", str(source["url"])]
    if kind in TOKEN_ENVS and (kind == "xApi" or source.get("tokenSecret")):
        args += ["--token-env", TOKEN_ENVS[kind]]

    training = {**TRAINING_DEFAULTS, **(spec.get("training") or {})}
    args += ["--base-model", str(spec.get("baseModel") or "gpt2")]
    args += ["--output", str(spec["output"]["s3"]), "--run-id", rid]
    args += ["--epochs", str(training["epochs"]), "--learning-rate", repr(float(training["learningRate"]))]
    args += ["--block-size", str(training["blockSize"]), "--seed", str(training["seed"])]
    for key, flag in (("batchSize", "--batch-size"), ("globalBatchSize", "--global-batch-size"),
                      ("checkpointEvery", "--checkpoint-every"),
                      ("maxSteps", "--max-steps")):
        if training.get(key) is not None:
            args += [flag, str(training[key])]
    args += ["--precision", str(training["precision"])]
    args += lora_args(training.get("lora") or {}, spec["output"].get("merge", True))
    if training.get("gradientCheckpointing"):
        args += ["--gradient-checkpointing", str(training["gradientCheckpointing"])]
    endpoint = _s3_endpoint(spec, settings)
    if endpoint:
        args += ["--s3-endpoint", endpoint]
    hub = spec["output"].get("hub")
    if hub:
        args += ["--hub-repo", str(hub["repo"]), "--hub-token-env", HUB_TOKEN_ENV]
    gpus = gpu_count(spec, settings)
    if gpus > 1:  # one training process per GPU, started by the trainer's own launcher
        args += ["--nproc-per-node", str(gpus)]
    args += ["--termination-log", TERMINATION_LOG]
    return args


def lora_args(lora: Mapping[str, Any], merge: bool) -> list[str]:
    """spec.training.lora and spec.output.merge as trainer flags; nothing for a full fine-tune."""
    if not lora.get("rank"):
        return []
    args = ["--lora-rank", str(lora["rank"])]
    if lora.get("alpha"):
        args += ["--lora-alpha", str(lora["alpha"])]
    if lora.get("dropout") is not None:
        args += ["--lora-dropout", repr(float(lora["dropout"]))]
    if lora.get("targetModules"):
        args += ["--lora-target-modules", ",".join(str(m) for m in lora["targetModules"])]
    return args + ([] if merge else ["--no-merge"])


def build_cleanup_job(tb: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """The Job removing every run under spec.output.s3 (deletionPolicy: Delete), with the trainer's credentials."""
    meta, spec = tb["metadata"], tb["spec"]
    args = ["delete", "--output", str(spec["output"]["s3"]), "--all"]
    endpoint = _s3_endpoint(spec, settings)
    if endpoint:
        args += ["--s3-endpoint", endpoint]
    container = {
        "name": c.TRAINER_CONTAINER,
        "image": spec.get("image") or settings.trainer_image,
        "imagePullPolicy": "IfNotPresent",
        "command": ["tweetbot-train"],
        "args": args,
        "env": _base_env() + _credential_env(spec, settings),
        "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "1Gi"}},
        "volumeMounts": _volume_mounts(),
        "terminationMessagePath": TERMINATION_LOG,
        "terminationMessagePolicy": "FallbackToLogsOnError",
        "securityContext": _container_security(),
    }
    cleanup_spec = {k: v for k, v in spec.items() if k not in ("nodeSelector", "tolerations", "affinity", "resources")}
    pod_spec = _pod_spec({**cleanup_spec, "resources": {"gpus": 0}}, settings, container)
    labels = base_labels(meta["name"], c.COMPONENT_CLEANUP)
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": cleanup_job_name(meta["name"]),
            "namespace": meta.get("namespace"),
            "labels": labels,
            "ownerReferences": [owner_reference(tb)],
        },
        "spec": {
            "backoffLimit": 3,
            "activeDeadlineSeconds": 600,
            "ttlSecondsAfterFinished": 3600,
            "template": {"metadata": {"labels": labels}, "spec": pod_spec},
        },
    }


def _s3_endpoint(spec: Mapping[str, Any], settings: Settings) -> str:
    return str(spec["output"].get("endpoint") or settings.default_s3_endpoint or "")


def _secret_env(env_name: str, secret: str, key: str) -> dict[str, Any]:
    # optional: false -> a missing Secret keeps the pod in CreateContainerConfigError, which status reports.
    return {"name": env_name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key, "optional": False}}}


def _base_env() -> list[dict[str, Any]]:
    return [
        {"name": "PYTHONUNBUFFERED", "value": "1"},  # progress lines reach the log as they happen
        {"name": "HOME", "value": "/tmp"},
        {"name": "HF_HOME", "value": "/cache/huggingface"},
        {"name": "MPLCONFIGDIR", "value": "/tmp/matplotlib"},
    ]


def _credential_env(spec: Mapping[str, Any], settings: Settings) -> list[dict[str, Any]]:
    ref = spec["output"].get("credentialsSecret") or {}
    secret = ref.get("name") or settings.default_credentials_secret
    if not secret:
        return []  # e.g. IRSA / workload identity: boto3 finds credentials itself
    return [
        _secret_env("AWS_ACCESS_KEY_ID", secret, ref.get("accessKeyIdKey") or "AWS_ACCESS_KEY_ID"),
        _secret_env("AWS_SECRET_ACCESS_KEY", secret, ref.get("secretAccessKeyKey") or "AWS_SECRET_ACCESS_KEY"),
    ]


def _source_env(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    kind = source_kind(spec)
    if kind not in TOKEN_ENVS:
        return []
    ref = spec["source"][kind].get("tokenSecret")
    return [_secret_env(TOKEN_ENVS[kind], ref["name"], ref.get("key") or "token")] if ref else []


def _hub_env(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    hub = spec["output"].get("hub")
    if not hub:
        return []
    ref = hub["tokenSecret"]
    return [_secret_env(HUB_TOKEN_ENV, ref["name"], ref.get("key") or "token")]


def gpu_count(spec: Mapping[str, Any], settings: Settings) -> int:
    gpus = (spec.get("resources") or {}).get("gpus")
    return settings.default_gpus if gpus is None else int(gpus)


def _resources(spec: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    res = spec.get("resources") or {}
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    gpus = gpu_count(spec, settings)
    if gpus:
        requests["nvidia.com/gpu"] = limits["nvidia.com/gpu"] = str(gpus)
    if res.get("cpu") is not None:
        requests["cpu"] = str(res["cpu"])
    if res.get("memory") is not None:
        requests["memory"] = limits["memory"] = str(res["memory"])
    return {k: v for k, v in (("requests", requests), ("limits", limits)) if v}


def _volume_mounts() -> list[dict[str, Any]]:
    return [
        {"name": "tmp", "mountPath": "/tmp"},
        {"name": "cache", "mountPath": "/cache"},
        {"name": "dshm", "mountPath": "/dev/shm"},
    ]


def _container_security() -> dict[str, Any]:
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
    }


def _pod_spec(spec: Mapping[str, Any], settings: Settings, container: dict[str, Any]) -> dict[str, Any]:
    tolerations = [dict(t) for t in spec.get("tolerations") or []]
    if gpu_count(spec, settings) and not any(t.get("key") == "nvidia.com/gpu" for t in tolerations):
        # GPU node pools are commonly tainted nvidia.com/gpu:NoSchedule
        tolerations.append({"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"})
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
    node_selector = spec.get("nodeSelector") or settings.default_node_selector
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
