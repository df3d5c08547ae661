"""Watches as a real API server ends them: 410 Gone after a compaction, BOOKMARK events, streams closed under
the client; and kopf (the real operator) recovering from each."""

from __future__ import annotations

import copy
import json

from tweetbot_operator.k8s.client import jobs_path, tweetbot_path

from tests.operator.factories import NS, TB, jobs_of
from tests.support.emulator_objects import job_body
from tests.support.k8s_fixtures import eventually


async def watch_lines(api, **params):
    async with api.get("/apis/batch/v1/jobs", params={"watch": "true", **params}) as resp:
        return [json.loads(line) async for line in resp.content if line.strip()]


async def test_a_watch_from_before_a_compaction_is_410_gone(api, client):
    first = await client.create(jobs_path("default"), job_body("first"))
    await client.create(jobs_path("default"), job_body("second"))
    api.compact()
    [event] = await watch_lines(api, resourceVersion=first["metadata"]["resourceVersion"], timeoutSeconds="1")
    assert event["type"] == "ERROR" and event["object"]["code"] == 410 and event["object"]["reason"] == "Expired"
    later = await client.create(jobs_path("default"), job_body("third"))  # watching from now on works
    events = await watch_lines(api, resourceVersion=str(int(later["metadata"]["resourceVersion"]) - 1),
                               timeoutSeconds="0.5")
    assert [e["object"]["metadata"]["name"] for e in events] == ["third"]


async def test_bookmarks_come_only_when_asked_for(api, client):
    api.bookmark_interval = 0.1
    created = await client.create(jobs_path("default"), job_body("j"))
    events = await watch_lines(api, resourceVersion=created["metadata"]["resourceVersion"], timeoutSeconds="0.5",
                               allowWatchBookmarks="true")
    assert events and {e["type"] for e in events} == {"BOOKMARK"}
    assert events[-1]["object"]["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    assert events[-1]["object"]["kind"] == "Job"
    assert await watch_lines(api, resourceVersion=created["metadata"]["resourceVersion"], timeoutSeconds="0.3") == []


async def test_kopf_recovers_from_compaction_and_closed_watches(cluster, client, operator):
    cluster.call(lambda api: setattr(api, "bookmark_interval", 0.2))
    await client.create(tweetbot_path(NS), TB)
    await eventually(lambda: jobs_of(cluster))
    for i in range(2):  # its watches resume from a compacted resourceVersion: 410, then kopf lists again
        cluster.call(lambda api: (api.compact(), api.end_watches()))
        await client.create(jobs_path(NS), job_body(f"unrelated-{i}", labels={"app": "x"}))  # resourceVersion on
    assert await eventually(lambda: cluster.call(lambda api: api.watches_gone))
    second = copy.deepcopy(TB)
    second["metadata"]["name"] = "second"
    await client.create(tweetbot_path(NS), second)
    await eventually(lambda: jobs_of(cluster, "second"), timeout=20)
    await client.merge_patch(tweetbot_path(NS, "spiraltoo"), {"spec": {"users": ["someone"]}})
    # The edit's run starts (and stops the one it supersedes): kopf still sees TweetBot changes.
    await eventually(lambda: [j["metadata"]["name"] for j in jobs_of(cluster)] == ["spiraltoo-g2"], timeout=20)
