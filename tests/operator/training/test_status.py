"""The pure status derivation: phase, conditions, results and events from (TweetBot, Job, pods)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from tweetbot_operator.training.status import (
    CONDITION_TYPES,
    derive_status,
    invalid_status,
    observe,
    status_patch,
    transition_events,
)
from tweetbot_operator.training.trainer_output import parse_progress, parse_termination_message

from tests.operator.factories import SUCCESS_MESSAGE, condition, job, pod, terminated, tweetbot

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def conditions(status):
    return {cond["type"]: cond for cond in status["conditions"]}


def test_no_job_yet_is_pending():
    status = derive_status(tweetbot(), None, [], NOW)
    assert status["phase"] == "Pending"
    assert status["observedGeneration"] == 1
    conds = conditions(status)
    assert set(conds) == set(CONDITION_TYPES)
    assert conds["Ready"]["status"] == "False" and conds["Ready"]["reason"] == "Creating"
    assert all(cond["lastTransitionTime"] == "2026-11-25T12:00:00Z" for cond in conds.values())


def test_running_with_progress():
    progress = {"percent": 30.0, "step": 120, "totalSteps": 400, "etaSeconds": 85.2, "loss": 3.21}
    status = derive_status(tweetbot(), job(active=1, startTime="2026-11-25T11:00:00Z"), [pod()], NOW, progress)
    assert status["phase"] == "Running"
    assert status["jobName"] == "spiraltoo-g1" and status["runId"] == "spiraltoo-g1"
    assert status["startTime"] == "2026-11-25T11:00:00Z"
    assert status["progress"] == progress
    assert conditions(status)["Running"]["status"] == "True"


def test_progress_is_kept_between_log_reads_of_the_same_run():
    tb = tweetbot()
    tb["status"] = derive_status(tb, job(active=1), [pod()], NOW, {"percent": 10.0})
    again = derive_status(tb, job(active=1), [pod()], NOW + timedelta(seconds=5))
    assert again["progress"] == {"percent": 10.0}
    assert status_patch(tb["status"], again) is None  # nothing changed: no write


def test_succeeded_reads_the_termination_message():
    finished = pod(phase="Succeeded", state=terminated(SUCCESS_MESSAGE))
    j = job(conditions=[condition("Complete")], succeeded=1, startTime="2026-11-25T11:00:00Z",
            completionTime="2026-11-25T11:05:00Z")
    status = derive_status(tweetbot(), j, [finished], NOW)
    assert status["phase"] == "Succeeded"
    assert status["modelURI"] == "s3://bots/spiraltoo/spiraltoo-g1/"
    assert status["evalLoss"] == 3.1 and status["perplexity"] == 22.2 and status["evalLossBefore"] == 3.9
    assert status["stats"]["spiraltoo"]["kept"] == 1113 and status["keptPosts"] == 1113
    assert status["completionTime"] == "2026-11-25T11:05:00Z"
    assert status["progress"]["percent"] == 100.0
    conds = conditions(status)
    assert conds["Ready"]["status"] == "True" and conds["Succeeded"]["status"] == "True"
    assert "s3://bots/spiraltoo/spiraltoo-g1/" in conds["Ready"]["message"]


def test_succeeded_run_shows_every_step_done():
    tb = tweetbot()
    tb["status"] = derive_status(tb, job(active=1), [pod()], NOW,
                                 {"percent": 52.5, "step": 21, "totalSteps": 40, "etaSeconds": 148.0})
    finished = pod(phase="Succeeded", state=terminated(SUCCESS_MESSAGE))
    done = derive_status(tb, job(conditions=[condition("Complete")], succeeded=1), [finished], NOW)
    assert done["progress"] == {"percent": 100.0, "step": 40, "totalSteps": 40, "etaSeconds": 0.0}


def test_failed_with_the_trainers_reason():
    message = {"status": "failed", "reason": "NotEnoughPosts", "message": "not enough posts: 12 < 100"}
    failed_pod = pod(phase="Failed", state=terminated(message, exit_code=2))
    j = job(conditions=[condition("Failed", "PodFailurePolicy", "exit code 2")], failed=1)
    status = derive_status(tweetbot(), j, [failed_pod], NOW)
    assert status["phase"] == "Failed"
    ready = conditions(status)["Failed"]
    assert ready["reason"] == "NotEnoughPosts" and "not enough posts" in ready["message"]
    assert "modelURI" not in status


def test_failed_without_a_message_uses_the_job_condition():
    j = job(conditions=[condition("Failed", "DeadlineExceeded", "Job was active longer than specified deadline")])
    obs = observe(tweetbot(), j, [pod(phase="Failed", state=terminated("Traceback ... (a log tail)", 1))])
    assert (obs.phase, obs.reason) == ("Failed", "DeadlineExceeded")


def retrying_job(failed: int) -> dict:
    j = job(active=1, failed=failed)
    j["spec"]["backoffLimit"] = 2
    return j


def test_a_failed_attempt_that_the_job_retries_says_why():
    unreachable = {"status": "failed", "reason": "SourceUnreachable",
                   "message": "https://x.example/archive.zip: cannot connect (Connection refused)"}
    first = pod("spiraltoo-g1-aaaaa", phase="Failed", state=terminated(unreachable, exit_code=1))
    second = pod("spiraltoo-g1-bbbbb", phase="Pending", created="2026-11-25T10:01:00Z",
                 state={"waiting": {"reason": "ContainerCreating"}})
    tb = tweetbot()
    tb["status"] = derive_status(tb, job(active=1), [pod("spiraltoo-g1-aaaaa")], NOW)
    retrying = derive_status(tb, retrying_job(1), [first, second], NOW)
    ready = conditions(retrying)["Ready"]
    assert retrying["phase"] == "Pending" and ready["reason"] == "Retrying"
    assert ready["message"] == ("attempt 1 of 3 failed (SourceUnreachable: https://x.example/archive.zip: cannot "
                                "connect (Connection refused)); the Job retries it")
    assert retrying["failedAttempts"] == 1
    [event] = transition_events(tb["status"], retrying)  # one event for the failure, not two
    assert (event.type, event.reason) == ("Warning", "AttemptFailed") and "SourceUnreachable" in event.message

    running = pod("spiraltoo-g1-bbbbb", created="2026-11-25T10:01:00Z")
    again = derive_status({**tb, "status": retrying}, retrying_job(1), [first, running], NOW)
    assert again["phase"] == "Running"
    assert conditions(again)["Ready"]["message"] == (
        "the trainer is running (attempt 2 of 3; the last one failed: SourceUnreachable: "
        "https://x.example/archive.zip: cannot connect (Connection refused))")
    [event] = transition_events(retrying, again)
    assert (event.type, event.reason) == ("Normal", "Training")

    # The operator may first hear of the failure when the next attempt already runs: the failure still gets its
    # Warning, and the phase (Running all along) none.
    [event] = transition_events(tb["status"], again)
    assert (event.type, event.reason) == ("Warning", "AttemptFailed") and "SourceUnreachable" in event.message
    assert transition_events(again, again) == []


def test_a_trainer_killed_for_memory_says_what_to_change():
    oom = pod(phase="Failed", state={"terminated": {"exitCode": 137, "reason": "OOMKilled"}})
    oom["spec"] = {"containers": [{"name": "trainer", "resources": {"limits": {"memory": "8Gi"}}}]}
    j = job(conditions=[condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")],
            failed=3)
    failed = conditions(derive_status(tweetbot(), j, [oom], NOW))["Failed"]
    assert failed["reason"] == "OOMKilled"
    assert failed["message"] == ("the trainer ran out of memory (limit 8Gi): raise spec.resources.memory or lower "
                                 "spec.training.batchSize")
    crashed = pod(phase="Failed", state={"terminated": {"exitCode": 139}})
    obs = observe(tweetbot(), j, [crashed])
    assert (obs.reason, obs.message) == ("TrainerExited", "the trainer exited with code 139")


def test_a_deadline_is_the_jobs_failure_not_the_sigterm_the_trainer_got():
    interrupted = {"status": "failed", "reason": "Interrupted", "message": "stopped by SIGTERM at step 9"}
    j = job(conditions=[condition("Failed", "DeadlineExceeded", "Job was active longer than specified deadline")])
    obs = observe(tweetbot(), j, [pod(phase="Failed", state=terminated(interrupted, 143))])
    assert (obs.reason, obs.message) == ("DeadlineExceeded", "Job was active longer than specified deadline")


def test_missing_secret_is_reported_while_pending():
    waiting = {"waiting": {"reason": "CreateContainerConfigError", "message": 'secret "s3-creds" not found'}}
    status = derive_status(tweetbot(), job(active=1), [pod(phase="Pending", state=waiting)], NOW)
    assert status["phase"] == "Pending"
    ready = conditions(status)["Ready"]
    assert ready["reason"] == "MissingSecret" and 's3-creds' in ready["message"]
    events = transition_events({}, status)
    assert events[0].type == "Warning" and events[0].reason == "MissingSecret"


def test_unschedulable_and_image_errors_are_actionable():
    unsched = pod(phase="Pending", state={"waiting": {"reason": "ContainerCreating"}}, conditions=[
        {"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
         "message": "0/3 nodes: Insufficient nvidia.com/gpu"}])
    assert observe(tweetbot(), job(active=1), [unsched]).reason == "Unschedulable"
    image = pod(phase="Pending", state={"waiting": {"reason": "ImagePullBackOff", "message": "not found"}})
    assert observe(tweetbot(), job(active=1), [image]).reason == "ImagePullError"


def test_suspended_and_queued():
    assert observe(tweetbot(suspend=True), job(suspend=True), []).phase == "Suspended"
    queued = observe(tweetbot(), job(suspend=True), [])
    assert (queued.phase, queued.reason) == ("Pending", "Queued")


def test_last_transition_time_kept_while_status_unchanged():
    tb = tweetbot()
    tb["status"] = derive_status(tb, job(active=1), [pod()], NOW)
    later = derive_status(tb, job(active=1), [pod()], NOW + timedelta(minutes=5), {"percent": 50.0})
    before, after = conditions(tb["status"]), conditions(later)
    assert after["Running"]["lastTransitionTime"] == before["Running"]["lastTransitionTime"]
    done = derive_status({**tb, "status": later}, job(conditions=[condition("Complete")]),
                         [pod(phase="Succeeded", state=terminated(SUCCESS_MESSAGE))], NOW + timedelta(minutes=9))
    assert conditions(done)["Running"]["lastTransitionTime"] == "2026-11-25T12:09:00Z"
    assert conditions(done)["Failed"]["lastTransitionTime"] == before["Failed"]["lastTransitionTime"]


def test_invalid_spec_status_and_event():
    status = invalid_status(tweetbot(), ["spec.users must list 1 to 3 handles"], NOW)
    assert status["phase"] == "Failed"
    failed = conditions(status)["Failed"]
    assert failed["status"] == "True" and failed["reason"] == "InvalidSpec"
    assert "spec.users" in failed["message"]
    [event] = transition_events({}, status)
    assert (event.type, event.reason) == ("Warning", "InvalidSpec")


def test_events_only_on_transitions():
    running = derive_status(tweetbot(), job(active=1), [pod()], NOW)
    assert [e.reason for e in transition_events({"phase": "Pending"}, running)] == ["Training"]
    assert transition_events(running, running) == []


def test_status_patch_removes_dropped_keys():
    assert status_patch({"phase": "Running", "progress": {"percent": 1}}, {"phase": "Failed"}) == {
        "phase": "Failed", "progress": None}


def test_trainer_output_parsing():
    tail = "\n".join([
        '{"event": "phase", "phase": "train", "ts": 1.0}',
        '{"event": "progress", "step": 120, "total_steps": 400, "percent": 30.0, "loss": 3.21, "eta_s": 85.2}',
        "50%|#####     | 200/400 [00:10<00:10]",  # tqdm on stderr, interleaved
        '{"event": "progress", "step": 200, "total_steps": 400, "percent": 50.0, "loss": 3.0, "eta_s": 40}',
        '{"event": "checkpoint", "step": 200, "uri": "s3://b/c/"}',
        '{"event": "progress", broken json',
    ])
    assert parse_progress(tail) == {"percent": 50.0, "step": 200, "totalSteps": 400, "etaSeconds": 40.0, "loss": 3.0}
    assert parse_progress("no json here") is None
    assert parse_termination_message("Traceback: boom") is None
    assert parse_termination_message('{"status": "failed", "reason": "X"}') == {"status": "failed", "reason": "X"}


# -- generated pod/job states ------------------------------------------------------------------------------

job_conditions = st.lists(st.sampled_from(["Complete", "Failed", "Suspended", "FailureTarget"]), max_size=2)
pod_states = st.sampled_from([
    {"running": {}},
    {"waiting": {"reason": "ContainerCreating"}},
    {"waiting": {"reason": "CreateContainerConfigError", "message": 'secret "x" not found'}},
    {"waiting": {"reason": "ErrImagePull"}},
    {"terminated": {"exitCode": 0, "message": '{"status": "succeeded", "modelURI": "s3://b/p/r/"}'}},
    {"terminated": {"exitCode": 2, "message": '{"status": "failed", "reason": "Bad", "message": "m"}'}},
    {"terminated": {"exitCode": 1, "message": "log tail"}},
])


@settings(max_examples=200, deadline=None)
@given(conds=job_conditions, states=st.lists(pod_states, max_size=3), suspend=st.booleans(),
       gen=st.integers(1, 1000), has_job=st.booleans())
def test_generated_states_give_wellformed_status(conds, states, suspend, gen, has_job):
    tb = tweetbot(generation=gen, suspend=suspend)
    j = job(conditions=[condition(t) for t in conds], suspend=suspend, active=1) if has_job else None
    pods = [pod(f"p{i}", created=f"2026-11-25T10:0{i}:00Z", state=s) for i, s in enumerate(states)]
    status = derive_status(tb, j, pods, NOW)
    assert status["phase"] in ("Pending", "Running", "Succeeded", "Failed", "Suspended")
    assert status["observedGeneration"] == gen
    conds_out = conditions(status)
    assert set(conds_out) == set(CONDITION_TYPES)
    true_types = {t for t, cond in conds_out.items() if cond["status"] == "True"}
    # exactly the phase's own condition is True (Ready doubles Succeeded)
    expected = {status["phase"]} | ({"Ready"} if status["phase"] == "Succeeded" else set())
    assert true_types == (expected - {"Pending"})
    for cond in conds_out.values():
        assert cond["reason"] and cond["reason"][0].isalpha()
        assert cond["observedGeneration"] == gen
    # deriving again from its own output changes nothing (idempotent, no write)
    again = derive_status({**tb, "status": status}, j, pods, NOW + timedelta(hours=1))
    assert status_patch(status, again) is None
