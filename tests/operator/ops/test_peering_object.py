"""The operator creates its peering object when absent (kopf only patches it: nolar/kopf
kopf/_core/engines/peering.py `touch`), against the API emulator, which answers 404 for a kind whose CRD is not
installed, as a real API server does (the chart cannot template the object: tests/deploy/test_chart_peering.py)."""

from __future__ import annotations

import logging

import pytest
from tweetbot_operator.k8s.client import ApiError, Kube
from tweetbot_operator.ops.peering import peering_paths
from tweetbot_operator.ops.peering_object import ensure_peering_object, get_or_create, peering_body

from tests.deploy.render import PEERING_CRDS_FILE, load_all
from tests.support.k8s_emulator import KubernetesApi
from tests.support.k8s_fixtures import eventually

CLUSTER = peering_paths("tb", ())["tb"]
NAMESPACED = peering_paths("tb", ("default",))["default/tb"]


def test_the_body_is_the_object_at_the_path():
    record = {"priority": 3, "lifetime": 60, "lastseen": "2026-12-01T12:00:00+00:00"}
    cluster = peering_body(CLUSTER, record, "pod-a")
    assert (cluster["kind"], cluster["metadata"]["name"], cluster["status"]) == ("ClusterKopfPeering", "tb",
                                                                                 {"pod-a": record})
    assert "namespace" not in cluster["metadata"]
    namespaced = peering_body(NAMESPACED, record, "pod-a")
    assert (namespaced["kind"], namespaced["metadata"]["namespace"]) == ("KopfPeering", "default")


async def test_without_the_kopf_crds_the_create_is_refused_and_said_once(api: KubernetesApi, client: Kube,
                                                                          caplog: pytest.LogCaptureFixture):
    with pytest.raises(ApiError) as refused:  # what a real API server answers for a kind it does not serve
        await client.create(CLUSTER.rsplit("/", 1)[0], peering_body(CLUSTER, {}, "pod-a"))
    assert refused.value.status == 404
    warned: set[str] = set()
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            assert await get_or_create(client, CLUSTER, "pod-a", 5, 60, warned=warned) is None
    [line] = [r.getMessage() for r in caplog.records if "peering object" in r.getMessage()]
    assert CLUSTER in line and "404" in line and "CRDs installed" in line


@pytest.mark.parametrize("path", [CLUSTER, NAMESPACED])
async def test_created_with_the_own_record_and_a_peer_patches_its_record_in(api: KubernetesApi, client: Kube,
                                                                            path: str):
    for crd in load_all(PEERING_CRDS_FILE.read_text()):
        api.register_crd(crd)
    made = await get_or_create(client, path, "pod-a", 9, 60, warned=set())
    assert made is not None and set(made["status"]) == {"pod-a"}
    assert made["status"]["pod-a"]["priority"] == 9 and made["status"]["pod-a"]["lifetime"] == 60
    assert made["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "tweetbot-operator"}
    # A peer that lost the race to create it (409 AlreadyExists) adds its own record at once.
    both = await ensure_peering_object(client, path, "pod-b", 4, 60)
    assert both is not None and set(both["status"]) == {"pod-a", "pod-b"}
    again = await get_or_create(client, path, "pod-c", 1, 60, warned=set())  # found: read, nothing written
    assert again is not None and again["metadata"]["resourceVersion"] == both["metadata"]["resourceVersion"]
    assert "pod-c" not in again["status"]  # kopf's own keep-alive writes it


@pytest.mark.parametrize("path", [CLUSTER, NAMESPACED])
async def test_the_releases_cluster_role_owns_it_and_its_deletion_collects_it(api: KubernetesApi, client: Kube,
                                                                              path: str):
    """No Helm release owns the object; the release's ClusterRole does, so `helm uninstall` leaves nothing: the
    garbage collector deletes dependents of a deleted owner, and a cluster-scoped owner is valid for cluster-scoped
    and namespaced dependents alike (kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents)."""
    for crd in load_all(PEERING_CRDS_FILE.read_text()):
        api.register_crd(crd)
    roles = "/apis/rbac.authorization.k8s.io/v1/clusterroles"
    api.register("rbac.authorization.k8s.io/v1/clusterroles", "ClusterRole", namespaced=False, status=False)
    role = await client.create(roles, {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                                       "metadata": {"name": "tb-tweetbot-operator"}, "rules": []})
    made = await get_or_create(client, path, "pod-a", 9, 60, warned=set(), owner="tb-tweetbot-operator")
    assert made is not None and made["metadata"]["ownerReferences"] == [
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "name": "tb-tweetbot-operator",
         "uid": role["metadata"]["uid"]}]
    await client.delete(f"{roles}/tb-tweetbot-operator")
    assert await eventually(lambda: _gone(client, path))


async def _gone(client: Kube, path: str) -> bool:
    return await client.get(path) is None


async def test_an_owner_that_is_not_there_leaves_the_object_unowned(api: KubernetesApi, client: Kube,
                                                                   caplog: pytest.LogCaptureFixture):
    for crd in load_all(PEERING_CRDS_FILE.read_text()):
        api.register_crd(crd)
    with caplog.at_level(logging.WARNING):
        made = await get_or_create(client, CLUSTER, "pod-a", 9, 60, warned=set(), owner="tb-tweetbot-operator")
    assert made is not None and "ownerReferences" not in made["metadata"]
    assert any("tb-tweetbot-operator" in r.getMessage() for r in caplog.records)
