"""The official `kubernetes` Python client as a second, real client of the emulator: it creates, patches,
watches and reads TweetBots and their Jobs the way kubectl and controllers do, so the emulator is held to what
real clients send (merge and strategic-merge patches, watch parameters) and expect (typed deserialization)."""

from __future__ import annotations

import asyncio
import copy

import kubernetes
import pytest
from kubernetes.client.rest import ApiException
from tweetbot_operator.spec import constants as c

from tests.operator.factories import NS, TB
from tests.support.k8s_fixtures import eventually

GROUP, VERSION, PLURAL = c.GROUP, c.VERSION, c.PLURAL


@pytest.fixture
def official(cluster):
    config = kubernetes.client.Configuration()
    config.host = cluster.url
    with kubernetes.client.ApiClient(config) as api_client:
        yield api_client


def watch_until(api_client, predicate, resource_version, timeout=20):
    """Events of the TweetBots in NS from `resource_version`, until one satisfies `predicate`."""
    custom = kubernetes.client.CustomObjectsApi(api_client)
    stream = kubernetes.watch.Watch().stream(custom.list_namespaced_custom_object, GROUP, VERSION, NS, PLURAL,
                                             resource_version=resource_version, timeout_seconds=timeout)
    for event in stream:
        if predicate(event):
            return event
    raise AssertionError("the watch ended without the awaited event")


async def test_create_watch_patch_and_read_as_kubectl_does(cluster, operator, official):
    custom = kubernetes.client.CustomObjectsApi(official)
    batch = kubernetes.client.BatchV1Api(official)
    created = await asyncio.to_thread(custom.create_namespaced_custom_object, GROUP, VERSION, NS, PLURAL,
                                      copy.deepcopy(TB))
    assert created["metadata"]["generation"] == 1 and created["spec"]["baseModel"] == "gpt2"  # defaulted
    event = await asyncio.to_thread(watch_until, official, lambda e: (e["object"].get("status") or {}).get(
        "jobName"), created["metadata"]["resourceVersion"])
    assert event["type"] == "MODIFIED" and event["object"]["status"]["phase"] == "Pending"

    job = await asyncio.to_thread(batch.read_namespaced_job, "spiraltoo-g1", NS)  # typed: V1Job
    assert job.metadata.owner_references[0].uid == created["metadata"]["uid"]
    assert job.metadata.owner_references[0].block_owner_deletion is True
    assert job.spec.template.spec.containers[0].name == c.TRAINER_CONTAINER
    assert job.metadata.creation_timestamp is not None  # RFC 3339 timestamps parse

    patched = await asyncio.to_thread(custom.patch_namespaced_custom_object, GROUP, VERSION, NS, PLURAL,
                                      "spiraltoo", {"spec": {"users": ["someone"]}})
    assert patched["metadata"]["generation"] == 2
    await asyncio.to_thread(watch_until, official, lambda e: (e["object"].get("status") or {}).get(
        "jobName") == "spiraltoo-g2", patched["metadata"]["resourceVersion"])

    async def only_the_new_run() -> bool:
        jobs = await asyncio.to_thread(batch.list_namespaced_job, NS, label_selector=f"{c.LABEL_NAME}=spiraltoo")
        return sorted(j.metadata.name for j in jobs.items) == ["spiraltoo-g2"]

    assert await eventually(only_the_new_run, timeout=20)  # the status first, then the superseded Job is stopped

    # A strategic-merge patch of a built-in (what the typed client sends for a dict) is applied.
    await asyncio.to_thread(batch.patch_namespaced_job, "spiraltoo-g2", NS, {"metadata": {"labels": {"k": "v"}}})
    assert (await asyncio.to_thread(batch.read_namespaced_job, "spiraltoo-g2", NS)).metadata.labels["k"] == "v"


async def test_refusals_reach_the_official_client_as_api_exceptions(cluster, official):
    custom = kubernetes.client.CustomObjectsApi(official)
    bad = copy.deepcopy(TB)
    bad["spec"]["nodeSelector"] = {"not a key": "x"}
    with pytest.raises(ApiException) as err:
        await asyncio.to_thread(custom.create_namespaced_custom_object, GROUP, VERSION, NS, PLURAL, bad)
    assert err.value.status == 422 and "label keys" in err.value.body
    with pytest.raises(ApiException) as err:
        await asyncio.to_thread(custom.get_namespaced_custom_object, GROUP, VERSION, NS, PLURAL, "missing")
    assert err.value.status == 404

