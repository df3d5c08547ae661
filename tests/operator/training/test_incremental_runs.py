"""Incremental retraining and takedown in the operator, with constructed objects (issue 28): the trainer flags
of a scheduled run, a skipped run (Skipped latest run, the model kept, an event, status.data), and a TweetBot
naming a blocked handle (HandleBlocked, its running Job stopped)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from tweetbot_operator.context import Context
from tweetbot_operator.k8s.client import ApiError, jobs_path
from tweetbot_operator.reconcile import reconcile
from tweetbot_operator.settings import Settings
from tweetbot_operator.training import blocked
from tweetbot_operator.training.incremental import incremental_flags
from tweetbot_operator.training.job import build_training_job
from tweetbot_operator.training.status import derive_status, transition_events

from tests.operator.factories import SUCCESS_MESSAGE, condition, job, pod, terminated, tweetbot, uid_of

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SLOT = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
LAST = {"runId": "spiraltoo-g1", "modelURI": "s3://bots/spiraltoo/spiraltoo-g1/", "generation": 1}


def trained_bot(generation: int = 1, **spec: Any) -> dict[str, Any]:
    tb = tweetbot(generation=generation, schedule="0 3 * * *", **spec)
    tb["status"] = {"phase": "Succeeded", "modelURI": LAST["modelURI"], "lastSuccessfulRun": dict(LAST),
                    "evalLoss": 3.1, "jobName": "spiraltoo-g1", "runId": "spiraltoo-g1"}
    return tb


def test_a_scheduled_run_names_the_previous_run_the_skip_threshold_and_the_warm_start() -> None:
    tb = trained_bot(training={"lora": {"rank": 8}}, refresh={"minNewPosts": 5, "fullFetchEvery": 4})
    args = build_training_job(tb, Settings(), SLOT)["spec"]["template"]["spec"]["containers"][0]["args"]
    joined = " ".join(args)
    assert f"--previous-run {LAST['modelURI']}" in joined and "--min-new-posts 5" in joined
    assert "--full-fetch-every 4" in joined and "--warm-start" in args


def test_a_spec_edit_always_trains_and_starts_from_scratch() -> None:
    edited = trained_bot(generation=2, training={"lora": {"rank": 8}})
    flags = incremental_flags(edited, None)
    assert flags == ["--previous-run", LAST["modelURI"]]  # no skip threshold, no warm start from generation 1
    assert "--warm-start" not in incremental_flags(trained_bot(training={"warmStart": False, "lora": {"rank": 8}}),
                                                   SLOT)
    assert "--warm-start" not in incremental_flags(trained_bot(), SLOT)  # full fine-tune: off unless asked
    assert incremental_flags(tweetbot(), None) == []  # a first run


def test_a_skipped_run_keeps_the_model_reports_skipped_and_the_data() -> None:
    tb = trained_bot()
    skipped = {"status": "skipped", "reason": "TooFewNewPosts", "runId": "spiraltoo-g1-202611250300",
               "newPosts": 3, "minNewPosts": 20, "message": "3 new posts since the last run (fewer than 20)",
               "data": {"posts": 83, "newPosts": 3, "deletedPosts": 0, "newestPost": "2026-11-20T10:00:00Z"}}
    done = job("spiraltoo-g1-202611250300", conditions=[condition("Complete")], succeeded=1,
               completionTime="2026-11-25T03:02:00Z")
    status = derive_status(tb, done, [pod(phase="Succeeded", state=terminated(skipped))], NOW)
    assert status["latestRun"]["phase"] == "Skipped"
    assert status["modelURI"] == LAST["modelURI"] and status["lastSuccessfulRun"] == LAST and status["evalLoss"] == 3.1
    assert status["data"] == {"posts": 83, "newPosts": 3, "deletedPosts": 0, "newestPost": "2026-11-20T10:00:00Z",
                              "staleDays": 5}
    ready = next(cnd for cnd in status["conditions"] if cnd["type"] == "Ready")
    assert ready["status"] == "True" and ready["reason"] == "Skipped" and LAST["runId"] in ready["message"]
    events = transition_events({**tb["status"], "phase": "Running"}, status)
    assert [(e.type, e.reason) for e in events] == [("Normal", "Skipped")] and "3 new posts" in events[0].message


def test_a_succeeded_run_sets_status_data_from_its_message() -> None:
    message = {**SUCCESS_MESSAGE, "data": {"posts": 1986, "newPosts": 40, "newestPost": "2026-11-25T09:00:00Z"}}
    done = job(conditions=[condition("Complete")], succeeded=1)
    status = derive_status(tweetbot(), done, [pod(phase="Succeeded", state=terminated(message))], NOW)
    assert status["data"] == {"posts": 1986, "newPosts": 40, "newestPost": "2026-11-25T09:00:00Z", "staleDays": 0}


class FakeKube:
    """The few calls a reconcile of a blocked TweetBot makes, answered from constructed objects."""

    def __init__(self, tb: dict[str, Any], handles: str, jobs: list[dict[str, Any]]) -> None:
        self.tb, self.handles, self.jobs = tb, handles, jobs
        self.deleted: list[str] = []
        self.patches: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []

    async def get(self, path: str) -> dict[str, Any] | None:
        if path == blocked.configmap_path("tweetbot-system", "tweetbot-blocked-handles"):
            return {"data": {"handles": self.handles}}
        return self.tb

    async def list(self, path: str, labels: Any = None, fields: Any = None) -> list[dict[str, Any]]:
        return self.jobs

    async def delete(self, path: str, propagation: str = "Background") -> bool:
        self.deleted.append(path)
        return True

    async def merge_patch(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self.patches.append(body)
        return self.tb

    async def create(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self.events.append(body)
        return body


@pytest.fixture
def blocked_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(blocked.ENV, "tweetbot-system/tweetbot-blocked-handles")
    blocked._cache.clear()


@pytest.mark.usefixtures("blocked_list")
async def test_a_blocked_handle_is_refused_and_its_running_job_stopped() -> None:
    tb = trained_bot(users=["SpiralToo", "other"], source={"archive": {"uri": "s3://bots/archives/{user}.zip"}})
    owner = {"uid": uid_of("spiraltoo")}
    running = job("spiraltoo-g1-202611250300", active=1)
    running["metadata"]["ownerReferences"] = [owner]
    finished = job("spiraltoo-g1", conditions=[condition("Complete")], succeeded=1)
    finished["metadata"]["ownerReferences"] = [owner]
    kube = FakeKube(tb, "# taken down on request\n@spiraltoo\n", [running, finished])
    ctx = Context(settings=Settings(), kube=kube, clock=lambda: NOW)  # type: ignore[arg-type]
    status = await reconcile(ctx, ("default", "spiraltoo"))
    assert status is not None and status["phase"] == "Failed"
    ready = next(cnd for cnd in status["conditions"] if cnd["type"] == "Ready")
    assert ready["reason"] == "HandleBlocked" and "@spiraltoo" in ready["message"] and "other" not in ready["message"]
    assert kube.deleted == [jobs_path("default", "spiraltoo-g1-202611250300")]  # the finished one stays
    assert {(e["type"], e["reason"]) for e in kube.events} >= {("Warning", "HandleBlocked"), ("Warning", "RunStopped")}
    assert ("default", "spiraltoo") not in ctx.scheduled


@pytest.mark.usefixtures("blocked_list")
async def test_handles_not_listed_are_not_blocked() -> None:
    kube = FakeKube(tweetbot(), "someone_else\n", [])
    assert blocked.blocked_observation(tweetbot()["spec"], await blocked.blocked_handles(kube)) is None


async def test_without_a_configured_list_nothing_is_read() -> None:
    assert await blocked.blocked_handles(object(), env={}) == frozenset()


@pytest.mark.usefixtures("blocked_list")
async def test_an_unreadable_list_blocks_nothing() -> None:
    class Refusing(FakeKube):
        async def get(self, path: str) -> dict[str, Any] | None:
            raise ApiError(403, "Forbidden", "configmaps is forbidden")

    assert await blocked.blocked_handles(Refusing(tweetbot(), "", [])) == frozenset()


def test_a_multi_node_run_skipped_by_rank_0_is_skipped_while_the_other_nodes_are_stopped() -> None:
    """resources.nodes 2: rank 0 fetches alone and ends the run as skipped; rank 1 never gets the data (it waits
    for node 0's group) and is stopped by the Job controller once the successPolicy (rank 0) is met."""
    tb = trained_bot(resources={"nodes": 2, "gpus": 1})
    skipped = {"status": "skipped", "reason": "TooFewNewPosts", "runId": "spiraltoo-g1-202611250300", "newPosts": 1,
               "minNewPosts": 20, "message": "1 new posts since the last run (fewer than 20)",
               "data": {"posts": 81, "newPosts": 1, "deletedPosts": 0, "newestPost": "2026-11-25T01:00:00Z"}}
    indexed = build_training_job(tb, Settings(), SLOT)
    assert indexed["spec"]["successPolicy"] == {"rules": [{"succeededIndexes": "0"}]}
    done = job("spiraltoo-g1-202611250300", conditions=[condition("SuccessCriteriaMet"), condition("Complete")],
               succeeded=1, completionTime="2026-11-25T03:01:00Z")
    done["spec"].update(indexed["spec"])
    rank0 = pod("spiraltoo-g1-202611250300-0-abcde", phase="Succeeded", state=terminated(skipped))
    rank1 = pod("spiraltoo-g1-202611250300-1-fghij", phase="Running")
    for index, node in enumerate((rank0, rank1)):
        node["metadata"]["annotations"] = {"batch.kubernetes.io/job-completion-index": str(index)}
    status = derive_status(tb, done, [rank1, rank0], NOW)
    assert status["latestRun"]["phase"] == "Skipped" and status["modelURI"] == LAST["modelURI"]
    assert status["data"]["newPosts"] == 1 and status["lastSuccessfulRun"] == LAST
