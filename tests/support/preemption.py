"""An N-node group preempted at once, in the local kubelet: how long its replacement pods wait (the Job
controller's pod failure backoff, kubelet_rules.remaining_backoff). Used by tests/support/test_pod_backoff.py and
bench/preemption_backoff.py."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from tests.support.k8s_values import until
from tests.support.kubelet_http import KubeHttp
from tests.support.local_kubelet import LocalKubelet

IGNORE_PREEMPTION = {"rules": [{"action": "Ignore",
                                "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]}


def group_job(name: str, nodes: int, **spec: Any) -> dict[str, Any]:
    """An Indexed Job of `nodes` pods that sleep, preemption ignored by its podFailurePolicy (as the operator's)."""
    sleeper = {"name": "trainer", "image": "x", "command": [sys.executable, "-c", "import time; time.sleep(600)"]}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name}, "spec": {
        "completionMode": "Indexed", "completions": nodes, "parallelism": nodes, "backoffLimit": 0,
        "podFailurePolicy": IGNORE_PREEMPTION, **spec, "template": {"spec": {
            "restartPolicy": "Never", "terminationGracePeriodSeconds": 1, "containers": [sleeper]}}}}


def preemption_delay(kubelet: LocalKubelet, job: str, nodes: int) -> float:
    """Preempts every pod of the group at once (SIGKILL, DisruptionTarget); seconds until the first replacement
    pod starts, from the last preempted pod's end."""
    until(lambda: len([r for r in kubelet.running_pods() if r.job_name == job]) == nodes, timeout=30)
    first = [r for r in kubelet.running_pods() if r.job_name == job]
    for pod in first:
        kubelet.kill_pod(pod.name, grace=0, disruption=True)
    until(lambda: all(r.ended for r in first))
    failed_at = max(r.ended for r in first if r.ended)
    fresh = until(lambda: [r for r in kubelet.running_pods() if r.job_name == job and r not in first], timeout=60)
    return float(min(r.started for r in fresh) - failed_at)


def measure(api_url: str, workdir: Path, nodes: int, scale: float, namespace: str = "a", **spec: Any) -> float:
    """The replacement delay of a `nodes`-pod group after a preemption, in real-cluster seconds (measured at
    `scale`, divided by it)."""
    name = f"g{nodes}{'-pi' if spec.get('backoffLimitPerIndex') is not None else ''}"
    KubeHttp(api_url).create(f"/apis/batch/v1/namespaces/{namespace}/jobs", group_job(name, nodes, **spec))
    with LocalKubelet(api_url, workdir / name, poll_interval=0.02, backoff_scale=scale) as kubelet:
        return preemption_delay(kubelet, name, nodes) / scale
