"""Status of a multi-node run (pure): which pod failed and why, each node's pod problems, the group running."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tweetbot_operator.spec import constants as c
from tweetbot_operator.training.status import derive_status, observe, pod_failure

from tests.operator.factories import condition, job, pod, terminated, tweetbot

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SOURCE_DOWN = {"status": "failed", "reason": "SourceTemporaryError", "message": "HTTP 503 after 5 attempts"}
GROUP_STOPPED = {"status": "failed", "reason": "GroupStopped", "message": "node 1 stopped"}


def indexed_job(nodes: int = 2, **status: Any) -> dict[str, Any]:
    body = job(**status)
    body["spec"].update(completionMode="Indexed", completions=nodes, parallelism=nodes, backoffLimit=2)
    return body


def node_pod(index: int, suffix: str = "abcde", created: str = "2026-11-25T10:00:00Z", **kwargs: Any) -> dict:
    body = pod(f"spiraltoo-g1-{index}-{suffix}", created=created, **kwargs)
    body["metadata"]["annotations"] = {c.ANNOTATION_COMPLETION_INDEX: str(index)}
    return body


def ended(index: int, message: dict[str, Any] | str, code: int, **kwargs: Any) -> dict[str, Any]:
    return node_pod(index, phase="Failed", state=terminated(message, code), **kwargs)


def test_the_failed_node_is_named_not_the_ones_that_stopped_with_it():
    pods = [ended(0, GROUP_STOPPED, 75, created="2026-11-25T10:00:02Z"), ended(1, SOURCE_DOWN, 1)]
    reason, message = pod_failure(pods, nodes=2)
    assert reason == "SourceTemporaryError"
    assert message == ("pod spiraltoo-g1-1-abcde (node rank 1 of 2) failed: exit code 1: SourceTemporaryError: "
                       "HTTP 503 after 5 attempts")


def test_a_group_stop_is_the_failure_only_when_nothing_else_failed():
    reason, message = pod_failure([ended(0, GROUP_STOPPED, 75)], nodes=2)
    assert reason == "GroupStopped" and message.startswith("pod spiraltoo-g1-0-abcde (node rank 0 of 2) failed")


def test_each_nodes_newest_pod_counts():
    """An earlier attempt's failure of node 1 is not the story once node 0 failed in the newer attempt."""
    pods = [ended(1, SOURCE_DOWN, 1, suffix="old"),
            ended(1, GROUP_STOPPED, 75, suffix="new", created="2026-11-25T11:00:00Z"),
            ended(0, {"status": "failed", "reason": "OOMKilled", "message": "out of memory"}, 137,
                  suffix="new", created="2026-11-25T11:00:00Z")]
    assert pod_failure(pods, nodes=2)[1].startswith("pod spiraltoo-g1-0-new (node rank 0 of 2) failed: exit code 137")


def test_a_trainer_killed_without_a_message_is_named_by_its_exit_code():
    pods = [ended(1, "", 137)]
    pods[0]["status"]["containerStatuses"][0]["state"]["terminated"]["reason"] = "Error"
    reason, message = pod_failure(pods, nodes=2)
    assert reason == "Error" and "pod spiraltoo-g1-1-abcde (node rank 1 of 2) failed: exit code 137" in message


def test_a_failed_multi_node_run_says_which_pod_failed():
    failed = indexed_job(failed=1, conditions=[condition("Failed", "BackoffLimitExceeded", "too many")])
    status = derive_status(tweetbot(), failed, [ended(1, SOURCE_DOWN, 1), ended(0, GROUP_STOPPED, 75)], NOW)
    cond = next(c for c in status["conditions"] if c["type"] == "Failed")
    assert status["phase"] == "Failed" and cond["reason"] == "SourceTemporaryError"
    assert "pod spiraltoo-g1-1-abcde (node rank 1 of 2) failed" in cond["message"]


def test_retrying_after_a_node_failed_names_it_too():
    pods = [ended(1, SOURCE_DOWN, 1), ended(0, GROUP_STOPPED, 75)]
    obs = observe(tweetbot(), indexed_job(failed=1, active=2), pods)
    assert obs.reason == "Retrying" and "node rank 1 of 2" in obs.message


def test_the_group_runs_and_one_nodes_problem_is_reported():
    running = [node_pod(0), node_pod(1)]
    obs = observe(tweetbot(), indexed_job(active=2), running)
    assert (obs.phase, obs.message) == ("Running", "the trainer is running on 2 nodes")
    stuck = node_pod(1, state={"waiting": {"reason": "ErrImagePull", "message": "no such image"}})
    assert observe(tweetbot(), indexed_job(active=2), [node_pod(0), stuck]).reason == "ImagePullError"


def test_a_succeeded_group_reads_rank_zeros_message():
    message = {"status": "succeeded", "runId": "r", "modelURI": "s3://bots/spiraltoo/r/"}
    done = indexed_job(succeeded=1, conditions=[condition("SuccessCriteriaMet"), condition("Complete")])
    pods = [node_pod(0, phase="Succeeded", state=terminated(json.dumps(message))),
            # stopped by the Job controller once rank 0 succeeded (successPolicy), after it
            ended(1, {"status": "failed", "reason": "Terminated", "message": "SIGTERM"}, 143,
                  created="2026-11-25T10:00:05Z")]
    status = derive_status(tweetbot(), done, pods, NOW)
    assert status["phase"] == "Succeeded" and status["modelURI"] == "s3://bots/spiraltoo/r/"


def test_attempts_are_counted_in_groups():
    """One failed group attempt is a failed pod per node: the status counts group attempts, as the user's
    backoffLimit does (2: three attempts, the Job's limit 5 pods)."""
    two = indexed_job(failed=2, active=2, ready=2)
    two["spec"]["backoffLimit"] = 5
    pods = [ended(0, SOURCE_DOWN, 1), ended(1, SOURCE_DOWN, 1), node_pod(0, "new", phase="Running"),
            node_pod(1, "new", phase="Running")]
    observed = observe(tweetbot(), two, pods)
    assert "(attempt 2 of 3;" in observed.message, observed.message
    one = indexed_job(failed=1)  # the first pod of a group has failed, its peer not yet: that attempt failed
    one["spec"]["backoffLimit"] = 5
    assert "attempt 1 of 3 failed" in observe(tweetbot(), one, [ended(1, SOURCE_DOWN, 1)]).message
