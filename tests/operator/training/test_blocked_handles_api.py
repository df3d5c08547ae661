"""The blocked handles list (issue 28, item 8) read through the emulated API server with the operator's own
token and the chart's RBAC (the release namespace's Role: get on the one ConfigMap): a listed handle is refused
and, once it leaves the list, its TweetBot runs again without an edit (the poller looks again)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from tweetbot_operator.k8s.client import ApiError, tweetbot_path
from tweetbot_operator.ops.poller import poll_once
from tweetbot_operator.reconcile import reconcile
from tweetbot_operator.training import blocked

from tests.operator.factories import KEY, NS, TB, condition_of, jobs_of, status_of

LIST_NS, LIST_NAME = "tweetbot-system", "tweetbot-blocked-handles"


def configmap(handles: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": LIST_NAME, "namespace": LIST_NS},
            "data": {"handles": handles}}


@pytest.fixture
async def blocked_list(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chart's ConfigMap, listing @spiraltoo; the operator pointed at it."""
    monkeypatch.setenv(blocked.ENV, f"{LIST_NS}/{LIST_NAME}")
    blocked._cache.clear()
    await client.create("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                               "metadata": {"name": LIST_NS}})
    await client.create(f"/api/v1/namespaces/{LIST_NS}/configmaps", configmap("# on request\n@SpiralToo\n"))


@pytest.mark.usefixtures("blocked_list")
async def test_a_handle_removed_from_the_list_trains_again(cluster: Any, client: Any, ctx: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocked, "CACHE_SECONDS", 0.0)  # the list read on every reconcile
    body = copy.deepcopy(TB)
    await client.create(tweetbot_path(NS), body)
    await reconcile(ctx, KEY)  # as the operator's ServiceAccount: the GET of the ConfigMap is allowed
    ready = condition_of(status_of(cluster), "Ready")
    assert ready["reason"] == "HandleBlocked" and "@spiraltoo" in ready["message"]
    assert jobs_of(cluster) == []

    await client.merge_patch(blocked.configmap_path(LIST_NS, LIST_NAME), {"data": {"handles": "someone_else\n"}})
    await poll_once(ctx)  # no edit of the TweetBot, no event of its own: only the poller can notice
    assert [j["metadata"]["name"] for j in jobs_of(cluster)] == ["spiraltoo-g1"]
    assert condition_of(status_of(cluster), "Ready")["reason"] != "HandleBlocked"


@pytest.mark.usefixtures("blocked_list")
async def test_a_tweetbot_created_right_after_a_takedown_gets_no_job(cluster: Any, client: Any, ctx: Any) -> None:
    """The list is cached (one GET per 10 s for all TweetBots); a takedown within that time must not let a new
    TweetBot of the handle start a run, whose trainer would fetch the person's posts again."""
    await client.merge_patch(blocked.configmap_path(LIST_NS, LIST_NAME), {"data": {"handles": ""}})
    assert await blocked.blocked_handles(ctx.kube) == frozenset()  # another TweetBot's reconcile read it
    await client.merge_patch(blocked.configmap_path(LIST_NS, LIST_NAME), {"data": {"handles": "spiraltoo\n"}})
    await client.create(tweetbot_path(NS), copy.deepcopy(TB))
    await reconcile(ctx, KEY)
    assert jobs_of(cluster) == []
    assert condition_of(status_of(cluster), "Ready")["reason"] == "HandleBlocked"


@pytest.mark.usefixtures("blocked_list")
async def test_the_operator_may_read_the_list_and_nothing_else_there(ctx: Any, client: Any) -> None:
    """The chart's Role: get on the one ConfigMap (resourceNames), no write, no other ConfigMap of the namespace."""
    await client.create(f"/api/v1/namespaces/{LIST_NS}/configmaps", {**configmap(""), "metadata": {
        "name": "other-settings", "namespace": LIST_NS}})
    assert (await ctx.kube.get(blocked.configmap_path(LIST_NS, LIST_NAME)))["data"]["handles"].endswith("@SpiralToo\n")
    for call in (ctx.kube.get(blocked.configmap_path(LIST_NS, "other-settings")),
                 ctx.kube.merge_patch(blocked.configmap_path(LIST_NS, LIST_NAME), {"data": {"handles": ""}})):
        with pytest.raises(ApiError) as denied:
            await call
        assert denied.value.status == 403
