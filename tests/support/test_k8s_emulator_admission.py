"""The emulator's request gate, each part on its own: RBAC (403), OwnerReferencesPermissionEnforcement, strict
JSON (400), validation of built-in objects (422) and status writes pruned and validated by the CRD."""

from __future__ import annotations

import copy

import aiohttp
import kopf
import pytest
from tweetbot_operator.k8s.client import ApiError, Kube, events_path, jobs_path, pods_path, tweetbot_path

from tests.support.emulator_objects import TB, job_body
from tests.support.k8s_rbac import Grant, request_attributes, service_account_grants
from tests.support.operator_rbac import operator_grants

READ_TWEETBOTS = {"apiGroups": ["tweetbot.io"], "resources": ["tweetbots"], "verbs": ["get", "list"]}
MAKE_JOBS = {"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["create"]}


@pytest.fixture
async def as_operator(api, server_url):
    """A client whose token is bound to the rules each test gives it."""
    kube = Kube(kopf.ConnectionInfo(server=server_url, token="limited"))

    def bind(*rules, namespace=None):
        api.gate.bind("limited", "system:serviceaccount:ns:limited", [Grant(tuple(rules), namespace)])
        return kube

    yield bind
    await kube.close()


def test_request_attributes_follow_the_api_servers_paths():
    attrs = request_attributes("GET", "/apis/tweetbot.io/v1alpha1/namespaces/bots/tweetbots", {"watch": "true"})
    assert (attrs.verb, attrs.group, attrs.resource, attrs.namespace) == ("watch", "tweetbot.io", "tweetbots", "bots")
    attrs = request_attributes("PATCH", "/apis/tweetbot.io/v1alpha1/namespaces/bots/tweetbots/x/status", {})
    assert (attrs.verb, attrs.resource, attrs.subresource, attrs.name) == ("patch", "tweetbots", "status", "x")
    attrs = request_attributes("GET", "/api/v1/namespaces", {})
    assert (attrs.verb, attrs.resource, attrs.namespace) == ("list", "namespaces", None)
    attrs = request_attributes("GET", "/api/v1/namespaces/bots/pods/p/log", {})
    assert (attrs.verb, attrs.group, attrs.resource, attrs.subresource) == ("get", "", "pods", "log")
    assert not request_attributes("GET", "/apis/batch/v1", {}).is_resource  # discovery


async def test_rbac_grants_only_what_the_rules_say(client, as_operator):
    await client.create(tweetbot_path("default"), TB)  # no token: cluster-admin
    kube = as_operator(READ_TWEETBOTS, MAKE_JOBS)
    assert (await kube.get(tweetbot_path("default", "bot")))["metadata"]["name"] == "bot"
    await kube.create(jobs_path("default"), job_body("allowed"))
    for call in (kube.merge_patch(tweetbot_path("default", "bot", "status"), {"status": {"phase": "Pending"}}),
                 kube.list(jobs_path("default")), kube.create(events_path("default"), {"metadata": {}})):
        with pytest.raises(ApiError) as err:
            await call
        assert err.value.status == 403 and "cannot" in err.value.message
    assert await kube.request("GET", "/apis/batch/v1")  # discovery is open to every user


async def test_a_role_counts_only_in_its_namespace(client, as_operator):
    kube = as_operator(MAKE_JOBS, namespace="bots")
    await kube.create(jobs_path("bots"), job_body("here"))
    with pytest.raises(ApiError) as err:
        await kube.create(jobs_path("default"), job_body("there"))
    assert err.value.status == 403 and 'in the namespace "default"' in err.value.message


async def test_block_owner_deletion_needs_update_on_the_owners_finalizers(client, as_operator):
    owner = await client.create(tweetbot_path("default"), TB)
    blocking = job_body("owned", owner["metadata"]["uid"])
    blocking["metadata"]["ownerReferences"][0]["blockOwnerDeletion"] = True
    kube = as_operator(MAKE_JOBS)
    with pytest.raises(ApiError) as err:
        await kube.create(jobs_path("default"), blocking)
    assert err.value.status == 403 and "blockOwnerDeletion" in err.value.message
    await kube.create(jobs_path("default"), job_body("not-blocking", owner["metadata"]["uid"]))
    finalizers = {"apiGroups": ["tweetbot.io"], "resources": ["tweetbots/finalizers"], "verbs": ["update"]}
    await as_operator(MAKE_JOBS, finalizers).create(jobs_path("default"), blocking)


async def test_changing_owner_references_needs_delete_on_the_object(client, as_operator):
    owner = await client.create(tweetbot_path("default"), TB)
    await client.create(jobs_path("default"), job_body("j"))
    patch = {"metadata": {"ownerReferences": job_body("j", owner["metadata"]["uid"])["metadata"]["ownerReferences"]}}
    kube = as_operator({"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["patch"]})
    with pytest.raises(ApiError) as err:
        await kube.merge_patch(jobs_path("default", "j"), patch)
    assert err.value.status == 403
    await as_operator({"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["patch", "delete"]}).merge_patch(
        jobs_path("default", "j"), patch)


def test_the_rendered_roles_bind_the_operators_service_account():
    for source in ("chart", "chart-watch-namespaces", "kustomize"):
        user, grants = operator_grants(source)
        assert user.startswith("system:serviceaccount:tweetbot-system:")
        assert any(rule.get("resources") == ["tweetbots/finalizers"] for grant in grants for rule in grant.rules)
    namespaced = operator_grants("chart-watch-namespaces")[1]
    # Roles in the watched namespace, the ClusterRole for CRDs, and in the release's namespace only the get of the
    # blocked handles ConfigMap.
    assert {grant.namespace for grant in namespaced} == {"default", None, "tweetbot-system"}
    with pytest.raises(ValueError, match="missing"):
        service_account_grants([{"kind": "RoleBinding", "metadata": {"name": "b", "namespace": "x"},
                                 "roleRef": {"kind": "Role", "name": "nope"},
                                 "subjects": [{"kind": "ServiceAccount", "name": "sa"}]}], "x", "sa")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
async def test_non_finite_numbers_are_not_json(client, server_url, constant):
    await client.create(tweetbot_path("default"), TB)
    body = '{"status": {"progress": {"loss": ' + constant + "}}}"
    async with aiohttp.ClientSession() as session, session.patch(
        server_url + tweetbot_path("default", "bot", "status"), data=body,
        headers={"Content-Type": "application/merge-patch+json"},
    ) as resp:
        assert resp.status == 400
        assert (await resp.json())["reason"] == "BadRequest"
    assert "status" not in await client.get(tweetbot_path("default", "bot"))


def _job(**pod):
    body = job_body("j")
    body["spec"]["template"]["spec"].update(pod)
    return body


@pytest.mark.parametrize(("body", "words"), [
    (_job(nodeSelector={"bad key!": "x"}), "nodeSelector"),
    (_job(nodeSelector={"gpu": "not valid!"}), "nodeSelector"),
    (_job(tolerations=[{"operator": "Equal", "value": "x"}]), "operator must be Exists"),
    (_job(tolerations=[{"key": "k", "operator": "Exists", "value": "x"}]), "value must be empty"),
    (_job(tolerations=[{"key": "k", "effect": "NoSchedule", "tolerationSeconds": 5}]), "NoExecute"),
    (_job(restartPolicy="Always"), "restartPolicy"),
    ({**_job(restartPolicy="OnFailure"), "spec": {**_job(restartPolicy="OnFailure")["spec"],
                                                  "podFailurePolicy": {"rules": []}}}, "podFailurePolicy"),
    ({**job_body("x" * 64)}, "no more than 63"),
    ({**job_body("j"), "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i",
                                                                        "bogus": 1}]}}}}, "bogus"),
])
async def test_built_in_objects_are_validated(client, body, words):
    with pytest.raises(ApiError) as err:
        await client.create(jobs_path("default"), body)
    assert err.value.status == 422 and words in err.value.message


async def test_pods_and_events_are_validated_too(client):
    with pytest.raises(ApiError) as err:
        await client.create(pods_path("default"), {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                                                   "spec": {"containers": [{"name": "Bad_Name", "image": "i"}]}})
    assert err.value.status == 422
    with pytest.raises(ApiError) as err:
        await client.create(events_path("default"), {"apiVersion": "v1", "kind": "Event",
                                                     "metadata": {"name": "e"}, "count": "one"})
    assert err.value.status == 422


async def test_services_and_deployments_are_validated(client):
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
               "spec": {"selector": {"app": "x"}, "ports": [{"port": 80, "targetPort": "http"}]}}
    assert (await client.create("/api/v1/namespaces/default/services", service))["metadata"]["uid"]
    with pytest.raises(ApiError) as err:
        await client.create("/api/v1/namespaces/default/services", {**service, "metadata": {"name": "t"},
                                                                     "spec": {"ports": [{"port": "eighty"}]}})
    assert err.value.status == 422
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {
        "selector": {"matchLabels": {"app": "x"}},
        "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}
    assert await client.create("/apis/apps/v1/namespaces/default/deployments", deployment)
    deployment["metadata"] = {"name": "e", "labels": {"bad label!": "x"}}
    with pytest.raises(ApiError) as err:
        await client.create("/apis/apps/v1/namespaces/default/deployments", deployment)
    assert err.value.status == 422 and "metadata.labels" in err.value.message


async def test_status_writes_are_pruned_and_validated_by_the_crd(client):
    await client.create(tweetbot_path("default"), TB)
    path = tweetbot_path("default", "bot", "status")
    stored = await client.merge_patch(path, {"status": {"phase": "Running", "bogus": 1,
                                                        "stats": {"a": {"kept": 3, "unknown": 2}}}})
    assert stored["status"] == {"phase": "Running", "stats": {"a": {"kept": 3}}}
    with pytest.raises(ApiError) as err:
        await client.merge_patch(path, {"status": {"phase": "Exploded"}})
    assert err.value.status == 422 and "status.phase" in err.value.message
    bad = copy.deepcopy({"status": {"conditions": [{"type": "Ready"}]}})
    with pytest.raises(ApiError):
        await client.merge_patch(path, bad)
