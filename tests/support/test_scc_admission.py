"""The SCC-like pod admission (tests/support/scc_admission.py): in a namespace with OpenShift's
openshift.io/sa.scc.uid-range, fixed user and group IDs outside it are refused (403), as restricted-v2 does; a pod
that leaves them out is admitted; the local kubelet reports the refusal as the Job controller's FailedCreate."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.k8s_emulator import EmulatorThread
from tests.support.k8s_values import until
from tests.support.kubelet_http import ApiError, KubeHttp
from tests.support.local_kubelet import LocalKubelet
from tests.support.scc_admission import parse_ranges
from tests.support.serving_kubelet import ServingKubelet

RANGE = "1000680000/10000"


def pod(name: str, pod_context: dict[str, Any] | None = None, container_context: dict[str, Any] | None = None
        ) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "c", "image": "i"}
    if container_context:
        container["securityContext"] = container_context
    spec: dict[str, Any] = {"containers": [container]}
    if pod_context:
        spec["securityContext"] = pod_context
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


@pytest.fixture
def openshift(http: KubeHttp) -> str:
    http.create("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {
        "name": "project", "annotations": {"openshift.io/sa.scc.uid-range": RANGE}}})
    return "/api/v1/namespaces/project/pods"


def refusal(http: KubeHttp, path: str, body: dict[str, Any]) -> str:
    with pytest.raises(ApiError) as refused:
        http.create(path, body)
    assert refused.value.status == 403
    return str(json.loads(refused.value.body)["message"])


def test_ranges() -> None:
    assert parse_ranges(RANGE) == [(1000680000, 1000689999)]
    assert parse_ranges("1000/10,5000-5001") == [(1000, 1009), (5000, 5001)]


def test_fixed_ids_outside_the_range_are_refused(http: KubeHttp, openshift: str) -> None:
    fixed = {"runAsUser": 10001, "runAsGroup": 10001, "fsGroup": 10001, "runAsNonRoot": True}
    message = refusal(http, openshift, pod("fixed", fixed))
    assert message.startswith('pods "fixed" is forbidden: unable to validate against any security context')
    for field in ("runAsUser: Invalid value: 10001", "runAsGroup", "fsGroup"):
        assert f"spec.securityContext.{field}" in message
    assert "[1000680000, 1000689999]" in message
    assert "spec.containers[0].securityContext.runAsUser" in refusal(
        http, openshift, pod("container", None, {"runAsUser": 0}))
    assert http.create(openshift, pod("free", {"runAsNonRoot": True}))  # IDs left to OpenShift
    assert http.create(openshift, pod("inside", {"runAsUser": 1000680005, "fsGroup": 1000680000}))
    assert http.create("/api/v1/namespaces/plain/pods", pod("elsewhere", fixed))  # no range asked for


def test_the_kubelet_reports_the_refusal_as_failed_create(bed: EmulatorThread, http: KubeHttp, openshift: str,
                                                          tmp_path: Path) -> None:
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "train"}, "spec": {"template": {"spec": {
        "restartPolicy": "Never", "securityContext": {"runAsUser": 10001},
        "containers": [{"name": "trainer", "image": "x", "command": [sys.executable, "-c", "pass"]}]}}}}
    http.create("/apis/batch/v1/namespaces/project/jobs", job)
    with LocalKubelet(bed.url, tmp_path, poll_interval=0.05):
        event = until(lambda: [e for e in bed.list_objects("v1/events", "project") if e["reason"] == "FailedCreate"])
    assert "spec.securityContext.runAsUser" in event[0]["message"] and not bed.list_objects("v1/pods", "project")


def test_a_serving_deployment_with_fixed_ids_gets_replica_failure(bed: EmulatorThread, http: KubeHttp,
                                                                  openshift: str, tmp_path: Path) -> None:
    template = {"metadata": {"labels": {"app": "s"}}, "spec": {
        "securityContext": {"runAsUser": 10001, "fsGroup": 10001},
        "containers": [{"name": "serve", "image": "x", "command": [sys.executable, "-c", "pass"]}]}}
    http.create("/apis/apps/v1/namespaces/project/deployments", {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "s"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "s"}}, "template": template}})
    with ServingKubelet(bed.url, tmp_path, poll_interval=0.05):
        status = until(lambda: (bed.read("apps/v1/deployments", "project", "s") or {}).get("status", {}).get(
            "conditions"))
    assert status[0]["reason"] == "FailedCreate" and "spec.securityContext.fsGroup" in status[0]["message"]
