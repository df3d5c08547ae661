"""Each API behaviour the emulator adds to KMock, checked over HTTP on its own."""

from __future__ import annotations

import asyncio
import copy

import pytest
from tweetbot_operator.k8s.client import ApiError, jobs_path, pods_path, tweetbot_path

from tests.support.emulator_objects import TB, job_body
from tests.support.k8s_selectors import parse_label_selector


async def test_create_sets_identity_and_defaults(client):
    created = await client.create(tweetbot_path("default"), TB)
    meta = created["metadata"]
    assert meta["uid"] and meta["creationTimestamp"] and meta["resourceVersion"] and meta["generation"] == 1
    assert created["spec"]["baseModel"] == "gpt2"  # defaulted from the CRD schema
    assert created["spec"]["training"]["epochs"] == 4
    assert (await client.get(tweetbot_path("default", "bot")))["spec"]["deletionPolicy"] == "Retain"


async def test_duplicate_create_conflicts_and_generate_name(client):
    await client.create(jobs_path("default"), job_body())
    with pytest.raises(ApiError) as err:
        await client.create(jobs_path("default"), job_body())
    assert err.value.status == 409
    made = await client.create(jobs_path("default"), {**job_body(), "metadata": {"generateName": "x-"}})
    assert made["metadata"]["name"].startswith("x-") and len(made["metadata"]["name"]) > 2


async def test_schema_rejects_and_prunes(client):
    bad = copy.deepcopy(TB)
    bad["spec"]["users"] = []
    with pytest.raises(ApiError) as err:
        await client.create(tweetbot_path("default"), bad)
    assert err.value.status == 422 and "users" in err.value.message
    two_sources = copy.deepcopy(TB)
    two_sources["spec"]["source"]["bluesky"] = {}
    with pytest.raises(ApiError) as err:
        await client.create(tweetbot_path("default"), two_sources)
    assert "exactly one of" in err.value.message  # a CEL rule
    extra = copy.deepcopy(TB)
    extra["spec"]["bogus"] = 1
    assert "bogus" not in (await client.create(tweetbot_path("default"), extra))["spec"]


async def test_generation_follows_spec_only(client):
    await client.create(tweetbot_path("default"), TB)
    path = tweetbot_path("default", "bot")
    labelled = await client.merge_patch(path, {"metadata": {"labels": {"x": "y"}}})
    assert labelled["metadata"]["generation"] == 1
    changed = await client.merge_patch(path, {"spec": {"baseModel": "distilgpt2"}})
    assert changed["metadata"]["generation"] == 2
    assert int(changed["metadata"]["resourceVersion"]) > int(labelled["metadata"]["resourceVersion"])
    same = await client.merge_patch(path, {"spec": {"baseModel": "distilgpt2"}})
    assert same["metadata"]["generation"] == 2


async def test_status_subresource_split(client):
    await client.create(tweetbot_path("default"), {**TB, "status": {"phase": "Succeeded"}})
    path = tweetbot_path("default", "bot")
    assert "status" not in (await client.get(path))  # ignored on create
    await client.merge_patch(path + "/status", {"status": {"phase": "Running"}, "spec": {"baseModel": "evil"}})
    obj = await client.get(path)
    assert obj["status"] == {"phase": "Running"} and obj["spec"]["baseModel"] == "gpt2"
    assert obj["metadata"]["generation"] == 1
    await client.merge_patch(path, {"status": {"phase": "Failed"}})
    assert (await client.get(path))["status"] == {"phase": "Running"}


async def test_finalizers_block_deletion(client):
    await client.create(tweetbot_path("default"), {**TB, "metadata": {**TB["metadata"], "finalizers": ["x/y"]}})
    path = tweetbot_path("default", "bot")
    assert await client.delete(path)
    marked = await client.get(path)
    assert marked["metadata"]["deletionTimestamp"]
    await client.merge_patch(path, {"metadata": {"finalizers": None}})
    assert await client.get(path) is None


async def test_garbage_collection_by_owner(client):
    owner = await client.create(tweetbot_path("default"), TB)
    await client.create(jobs_path("default"), job_body("owned", owner["metadata"]["uid"]))
    await client.create(jobs_path("default"), job_body("unrelated"))
    await client.delete(tweetbot_path("default", "bot"))
    assert await client.get(jobs_path("default", "owned")) is None
    assert await client.get(jobs_path("default", "unrelated")) is not None


async def test_orphan_propagation_keeps_dependents(client):
    owner = await client.create(tweetbot_path("default"), TB)
    await client.create(jobs_path("default"), job_body("owned", owner["metadata"]["uid"]))
    await client.request("DELETE", tweetbot_path("default", "bot"), body={"propagationPolicy": "Orphan"})
    assert await client.get(jobs_path("default", "owned")) is not None


def pod_body(name, owner_uid, node="node-1"):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "j",
                                                             "uid": owner_uid, "controller": True,
                                                             "blockOwnerDeletion": True}]},  # as the Job controller
            "spec": {"nodeName": node, "terminationGracePeriodSeconds": 120, "containers": []}}


async def test_a_pod_on_a_node_is_deleted_gracefully_by_its_kubelet(client):
    job = await client.create(jobs_path("default"), job_body("j"))
    await client.create(pods_path("default"), pod_body("p", job["metadata"]["uid"]))
    assert await client.delete(pods_path("default", "p"))
    marked = await client.get(pods_path("default", "p"))  # still there: the kubelet stops it first
    assert marked["metadata"]["deletionTimestamp"] and marked["metadata"]["deletionGracePeriodSeconds"] == 120
    await client.request("DELETE", pods_path("default", "p"), body={"gracePeriodSeconds": 0})  # the kubelet
    assert await client.get(pods_path("default", "p")) is None


async def test_foreground_deletion_keeps_the_owner_until_its_pods_are_gone(client):
    job = await client.create(jobs_path("default"), job_body("j"))
    await client.create(pods_path("default"), pod_body("p", job["metadata"]["uid"]))
    assert await client.delete(jobs_path("default", "j"), propagation="Foreground")
    deleting = await client.get(jobs_path("default", "j"))
    assert deleting["metadata"]["deletionTimestamp"] and "foregroundDeletion" in deleting["metadata"]["finalizers"]
    assert (await client.get(pods_path("default", "p")))["metadata"]["deletionTimestamp"]
    await client.request("DELETE", pods_path("default", "p"), body={"gracePeriodSeconds": 0})
    assert await client.get(jobs_path("default", "j")) is None  # the last dependent went: so does the Job
    # Background (the default): the Job goes at once, its pods still end gracefully.
    job = await client.create(jobs_path("default"), job_body("k"))
    await client.create(pods_path("default"), pod_body("q", job["metadata"]["uid"]))
    await client.delete(jobs_path("default", "k"))
    assert await client.get(jobs_path("default", "k")) is None
    assert (await client.get(pods_path("default", "q")))["metadata"]["deletionTimestamp"]


async def test_label_and_field_selectors(client):
    await client.create(jobs_path("default"), job_body("a", labels={"app": "x", "tier": "1"}))
    await client.create(jobs_path("default"), job_body("b", labels={"app": "y"}))
    await client.create(jobs_path("other"), job_body("c", labels={"app": "x"}))

    async def names(**params):
        result = await client.request("GET", jobs_path("default"), params=params)
        return sorted(item["metadata"]["name"] for item in result["items"])

    assert await names(labelSelector="app=x") == ["a"]
    assert await names(labelSelector="app!=x") == ["b"]
    assert await names(labelSelector="tier") == ["a"]
    assert await names(labelSelector="!tier") == ["b"]
    assert await names(labelSelector="app in (x, y),tier notin (2)") == ["a", "b"]  # notin matches absent keys
    assert await names(labelSelector="app in (x)") == ["a"]
    assert await names(fieldSelector="metadata.name=b") == ["b"]
    everywhere = await client.request("GET", "/apis/batch/v1/jobs", params={"labelSelector": "app=x"})
    assert sorted(i["metadata"]["name"] for i in everywhere["items"]) == ["a", "c"]
    assert parse_label_selector("")({"any": "thing"})


async def test_pod_logs(api, client, tmp_path):
    log_file = tmp_path / "log"
    log_file.write_text("".join(f"line {i}\n" for i in range(30)))
    await client.create(pods_path("default"), {"metadata": {"name": "p1", "annotations": {
        "kubelet.local/log-file": str(log_file)}}, "spec": {"containers": []}})
    assert (await client.get(pods_path("default", "p1")))["status"] == {"phase": "Pending"}
    tail = await client.log_tail("default", "p1", "trainer", 3)
    assert tail == "line 27\nline 28\nline 29\n"
    await client.create(pods_path("default"), {"metadata": {"name": "p2"}, "spec": {"containers": []}})
    api.pod_logs[("default", "p2")] = "hello\nworld"
    assert await client.log_tail("default", "p2", "trainer", 1) == "world\n"
    with pytest.raises(ApiError):
        await client.log_tail("default", "nope", "trainer", 1)


async def test_watch_streams_changes(api, client):
    events = []

    async def watch():
        async with api.get("/apis/batch/v1/jobs", params={"watch": "true"}) as resp:
            async for line in resp.content:
                if line.strip():
                    events.append(line)
                if len(events) >= 2:
                    return

    await client.create(jobs_path("default"), job_body("w"))  # also opens the client's session
    task = asyncio.create_task(watch())
    await asyncio.sleep(0.1)
    await client.merge_patch(jobs_path("default", "w") + "/status", {"status": {"active": 1}})
    await asyncio.wait_for(task, 5)
    assert b"ADDED" in events[0] and b"MODIFIED" in events[1] and b'"active": 1' in events[1]


async def test_writes_to_missing_objects(client):
    with pytest.raises(ApiError) as err:
        await client.merge_patch(jobs_path("default", "missing"), {"spec": {}})
    assert err.value.status == 404
    assert await client.delete(jobs_path("default", "missing")) is False


async def test_watch_resumes_from_a_resource_version_and_times_out(api, client):
    first = await client.create(jobs_path("default"), job_body("first"))
    await client.create(jobs_path("default"), job_body("second"))
    since = first["metadata"]["resourceVersion"]
    params = {"watch": "true", "resourceVersion": since, "timeoutSeconds": "1"}
    async with api.get("/apis/batch/v1/jobs", params=params) as resp:
        lines = [line async for line in resp.content if line.strip()]  # ends by itself after 1 s
    assert len(lines) == 1 and b'"second"' in lines[0]  # only what came after `since`


async def test_namespaces_are_listed_and_watched(api, client):
    await client.create(jobs_path("team-a"), job_body("x"))
    listed = await client.request("GET", "/api/v1/namespaces")
    assert [item["metadata"]["name"] for item in listed["items"]] == ["default", "team-a"]
    async with api.get("/api/v1/namespaces", params={"watch": "true", "timeoutSeconds": "0.2"}) as resp:
        lines = [line async for line in resp.content if line.strip()]
    assert len(lines) == 2


async def test_label_index_follows_label_changes_and_deletion(client):
    await client.create(jobs_path("default"), job_body("j", labels={"app": "x"}))

    async def names(selector):
        result = await client.request("GET", jobs_path("default"), params={"labelSelector": selector})
        return [item["metadata"]["name"] for item in result["items"]]

    assert await names("app=x") == ["j"]
    await client.merge_patch(jobs_path("default", "j"), {"metadata": {"labels": {"app": "y"}}})
    assert await names("app=x") == [] and await names("app=y") == ["j"]
    await client.delete(jobs_path("default", "j"))
    assert await names("app=y") == []


async def test_json_patch_with_a_failed_test_is_422(client):
    made = await client.create(jobs_path("default"), job_body("jp"))
    rv = made["metadata"]["resourceVersion"]
    ops = [{"op": "test", "path": "/metadata/resourceVersion", "value": rv},
           {"op": "add", "path": "/metadata/finalizers", "value": ["x/y"]}]
    patched = await client.request("PATCH", jobs_path("default", "jp"), body=ops,
                                   content_type="application/json-patch+json")
    assert patched["metadata"]["finalizers"] == ["x/y"]
    with pytest.raises(ApiError) as err:  # rv moved on: optimistic concurrency fails as on a real server
        await client.request("PATCH", jobs_path("default", "jp"), body=ops, content_type="application/json-patch+json")
    assert err.value.status == 422
