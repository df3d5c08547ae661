"""The cleanup Job of deletionPolicy: Delete: `tweetbot-train delete --owner NS/NAME/UID` removes the run folders
whose marker names this TweetBot under spec.output.s3, nothing else. Pure: a plain dict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_operator.k8s.container_env import base_env, credential_env, s3_endpoint
from tweetbot_operator.k8s.owned import base_labels
from tweetbot_operator.k8s.pods import (
    TERMINATION_LOG,
    container_security,
    finish_pod,
    trainer_pod_spec,
    trainer_volume_mounts,
)
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.naming import cleanup_job_name, owner_arg


def build_cleanup_job(tb: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """The Job removing this TweetBot's runs under spec.output.s3 (deletionPolicy: Delete): the run folders whose
    marker names it, nothing else. With the trainer's credentials, on any node (it needs no GPU)."""
    meta, spec = tb["metadata"], tb["spec"]
    args = ["delete", "--output", str(spec["output"]["s3"]), "--owner", owner_arg(meta)]
    endpoint = s3_endpoint(spec, settings)
    if endpoint:
        args += ["--s3-endpoint", endpoint]
    container = {
        "name": c.TRAINER_CONTAINER,
        "image": spec.get("image") or settings.trainer_image,
        "imagePullPolicy": "IfNotPresent",
        "command": ["tweetbot-train"],
        "args": args,
        "env": base_env() + credential_env(spec, settings),
        "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "1Gi"}},
        "volumeMounts": trainer_volume_mounts(),
        "terminationMessagePath": TERMINATION_LOG,
        "terminationMessagePolicy": "FallbackToLogsOnError",
        "securityContext": container_security(),
    }
    cleanup_spec = {k: v for k, v in spec.items() if k not in ("nodeSelector", "tolerations", "affinity", "resources")}
    pod_spec = trainer_pod_spec({**cleanup_spec, "resources": {"gpus": 0}}, settings, container, gpu_defaults=False)
    labels = base_labels(meta["name"], c.COMPONENT_CLEANUP)
    pod_meta: dict[str, Any] = {"labels": labels}
    finish_pod(spec, settings, pod_spec, container, pod_meta)  # the same ServiceAccount, proxies, pull secrets
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": cleanup_job_name(meta["name"]),
            "namespace": meta.get("namespace"),
            # No owner reference: the finalizer deletes it when done (see LABEL_OWNER_UID).
            "labels": {**labels, c.LABEL_OWNER_UID: str(meta.get("uid") or "")},
        },
        "spec": {
            "backoffLimit": 3,
            "activeDeadlineSeconds": 600,
            "ttlSecondsAfterFinished": 3600,
            "template": {"metadata": pod_meta, "spec": pod_spec},
        },
    }
