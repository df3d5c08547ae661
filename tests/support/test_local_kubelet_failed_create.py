"""The local kubelet, as the Job controller, refuses pods whose ServiceAccount or PriorityClass is missing with
a FailedCreate event, and the operator reports it (issue 11, defect 5) end to end."""

from __future__ import annotations

import copy

from tweetbot_operator.k8s.client import jobs_path, tweetbot_path

from tests.operator.factories import NS, TB, status_of
from tests.support.k8s_fixtures import eventually
from tests.support.local_kubelet import LocalKubelet


def job(name, **pod):
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "namespace": NS},
            "spec": {"backoffLimit": 0, "template": {"spec": {
                "restartPolicy": "Never", **pod,
                "containers": [{"name": "trainer", "image": "x", "command": ["python", "-c", "pass"]}]}}}}


def failed_creates(cluster, name):
    return [e["message"] for e in cluster.list_objects("v1/events", NS)
            if e["reason"] == "FailedCreate" and e["involvedObject"]["name"] == name]


async def test_missing_service_account_and_priority_class_are_failed_create(cluster, client, tmp_path):
    with LocalKubelet(cluster.url, tmp_path / "kubelet", poll_interval=0.05):
        await client.create(jobs_path(NS), job("sa", serviceAccountName="trainer"))
        await client.create(jobs_path(NS), job("pc", priorityClassName="urgent"))
        [sa] = await eventually(lambda: failed_creates(cluster, "sa"))
        [pc] = await eventually(lambda: failed_creates(cluster, "pc"))
        assert 'serviceaccount "trainer" not found' in sa and "no PriorityClass with name urgent" in pc
        assert not cluster.list_objects("v1/pods", NS)
        assert "active" not in (cluster.read("batch/v1/jobs", NS, "sa").get("status") or {})
        # Once the ServiceAccount exists, the next try creates the pod, which runs to completion.
        await client.create(f"/api/v1/namespaces/{NS}/serviceaccounts", {
            "apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "trainer"}})
        await eventually(lambda: (cluster.read("batch/v1/jobs", NS, "sa").get("status") or {}).get("succeeded"))
        assert len(failed_creates(cluster, "sa")) == 1  # told once, not on every retry


async def test_the_operator_reports_a_missing_priority_class(cluster, client, operator, tmp_path):
    body = copy.deepcopy(TB)
    body["spec"]["priorityClassName"] = "urgent"
    with LocalKubelet(cluster.url, tmp_path / "kubelet", poll_interval=0.05):
        await client.create(tweetbot_path(NS), body)
        ready = await eventually(lambda: next((c for c in status_of(cluster).get("conditions") or []
                                               if c["type"] == "Ready" and c["reason"] == "PodCreationFailed"), None))
    assert status_of(cluster)["phase"] == "Pending"
    assert "no PriorityClass with name urgent was found" in ready["message"]
