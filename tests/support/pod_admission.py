"""What the Job controller finds out only when it tries to create a pod: the pod's ServiceAccount or
PriorityClass does not exist. The API server refuses the pod (the ServiceAccount and Priority admission
plugins), no pod appears, and the Job controller records a FailedCreate Warning event on the Job, then retries.
The local kubelet plays that part with these checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tests.support.k8s_values import now_rfc3339


def pod_creation_error(namespace: str, job_name: str, pod_spec: Mapping[str, Any],
                       exists: Callable[[str], bool]) -> str | None:
    """The API server's refusal of a Job's pod, worded as the Job controller's event has it; None when the pod
    can be created. `exists(path)` tells whether an API object exists."""
    account = pod_spec.get("serviceAccountName") or "default"
    if account != "default" and not exists(f"/api/v1/namespaces/{namespace}/serviceaccounts/{account}"):
        return (f'Error creating: pods "{job_name}-" is forbidden: error looking up service account '
                f'{namespace}/{account}: serviceaccount "{account}" not found')
    priority = pod_spec.get("priorityClassName")
    if priority and not exists(f"/apis/scheduling.k8s.io/v1/priorityclasses/{priority}"):
        return (f'Error creating: pods "{job_name}-" is forbidden: no PriorityClass with name {priority} '
                "was found")
    return None


def failed_create_event(job: Mapping[str, Any], message: str) -> dict[str, Any]:
    meta = job["metadata"]
    now = now_rfc3339()
    return {
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"generateName": f"{meta['name']}.", "namespace": meta.get("namespace", "default")},
        "involvedObject": {"apiVersion": "batch/v1", "kind": "Job", "name": meta["name"],
                           "namespace": meta.get("namespace", "default"), "uid": meta.get("uid", "")},
        "type": "Warning", "reason": "FailedCreate", "message": message,
        "source": {"component": "job-controller"}, "firstTimestamp": now, "lastTimestamp": now, "count": 1,
    }
