"""The run lifecycle's pure parts: which Job a spec edit keeps, moves or supersedes (runs.plan_run), the last good
model surviving a newer run (status.derive_status), and the cleanup pod's placement (jobs.build_cleanup_job)."""

from __future__ import annotations

from datetime import UTC, datetime

from tweetbot_operator.deletion.cleanup_job import build_cleanup_job
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec import constants as c
from tweetbot_operator.training.job import build_training_job
from tweetbot_operator.training.runs import plan_run
from tweetbot_operator.training.status import derive_status

from tests.operator.factories import SUCCESS_MESSAGE, condition, pod, terminated, tweetbot

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SETTINGS = Settings(default_node_selector={"nvidia.com/gpu.present": "true"})


def running(body: dict) -> dict:
    return {**body, "status": {"active": 1}}


def succeeded(body: dict) -> dict:
    return {**body, "status": {"succeeded": 1, "conditions": [condition("Complete")]}}


def test_a_model_edit_starts_a_new_run_and_stops_the_old_job():
    old = running(build_training_job(tweetbot(generation=1), SETTINGS))
    edited = tweetbot(generation=2, training={"epochs": 2})
    plan = plan_run(edited, [old])
    assert plan.job is None and plan.continues is None  # a new run id
    assert plan.stop == [old]


def test_a_placement_edit_continues_the_same_run_in_a_new_job():
    old = running(build_training_job(tweetbot(generation=1), SETTINGS))
    for placement in ({"backoffLimit": 5}, {"activeDeadlineSeconds": 7200}, {"priorityClassName": "low"},
                      {"tolerations": [{"key": "spot", "operator": "Exists"}]}):
        edited = tweetbot(generation=2, **placement)
        plan = plan_run(edited, [old])
        assert plan.job is None and plan.continues == old["metadata"]["annotations"][c.ANNOTATION_RUN_ID]
        assert plan.replaces == "spiraltoo-g1" and plan.stop == [old]
        new = build_training_job(edited, SETTINGS, rid=plan.continues, replaces=plan.replaces)
        assert new["metadata"]["name"] == "spiraltoo-g2" and new["spec"]["suspend"] is True  # waits for g1
        args = new["spec"]["template"]["spec"]["containers"][0]["args"]
        assert args[args.index("--run-id") + 1] == plan.continues
        # Once created, it is this generation's Job, and the old one is still to be stopped.
        again = plan_run(edited, [old, new])
        assert again.job is new and again.stop == [old]


def test_in_place_edits_and_finished_runs_keep_the_job():
    old = running(build_training_job(tweetbot(generation=1), SETTINGS))
    assert plan_run(tweetbot(generation=2, suspend=True), [old]).job is old
    assert plan_run(tweetbot(generation=2, output={"s3": "s3://bots/spiraltoo/", "credentialsSecret": {
        "name": "s3-creds"}, "keepRuns": 9}), [old]).job is old
    done = succeeded(build_training_job(tweetbot(generation=1), SETTINGS))
    assert plan_run(tweetbot(generation=2, backoffLimit=5), [done]).job is done  # nothing left to resume


def test_the_last_good_model_survives_a_newer_run_until_it_succeeds():
    tb = tweetbot(generation=1)
    first = succeeded(build_training_job(tb, SETTINGS))
    tb["status"] = derive_status(tb, first, [pod(phase="Succeeded", state=terminated(SUCCESS_MESSAGE))], NOW)
    good = SUCCESS_MESSAGE["modelURI"]
    assert tb["status"]["lastSuccessfulRun"]["modelURI"] == good

    retrain = tweetbot(generation=2, training={"epochs": 2})
    retrain["status"] = tb["status"]
    second = running(build_training_job(retrain, SETTINGS))
    status = derive_status(retrain, second, [pod("spiraltoo-g2-abcde")], NOW)
    ready = {cnd["type"]: cnd for cnd in status["conditions"]}["Ready"]
    assert status["phase"] == "Running" and status["modelURI"] == good and status["evalLoss"] == 3.1
    assert ready["status"] == "True" and good in ready["message"]
    assert status["latestRun"]["jobName"] == "spiraltoo-g2" and status["latestRun"]["phase"] == "Running"

    # keepRuns never prunes the run status.modelURI points at while this one trains.
    args = second["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args[args.index("--protect-run") + 1] == tb["status"]["lastSuccessfulRun"]["runId"]

    failed_job = {**second, "status": {"failed": 3, "conditions": [condition("Failed", "BackoffLimitExceeded")]}}
    retrain["status"] = status
    failed = derive_status(retrain, failed_job, [], NOW)
    assert failed["phase"] == "Failed" and failed["modelURI"] == good
    assert failed["lastSuccessfulRun"] == tb["status"]["lastSuccessfulRun"]
    assert {cnd["type"]: cnd for cnd in failed["conditions"]}["Ready"]["status"] == "True"


def test_without_a_model_a_failed_run_is_not_ready():
    tb = tweetbot()
    j = {**build_training_job(tb, SETTINGS), "status": {"failed": 3, "conditions": [condition("Failed")]}}
    status = derive_status(tb, j, [], NOW)
    assert "modelURI" not in status and {cnd["type"]: cnd for cnd in status["conditions"]}["Ready"]["status"] == "False"


def test_cleanup_pod_does_not_get_the_gpu_default_node_selector():
    pod_spec = build_cleanup_job(tweetbot(deletionPolicy="Delete"), SETTINGS)["spec"]["template"]["spec"]
    assert "nodeSelector" not in pod_spec and "tolerations" not in pod_spec
    train = build_training_job(tweetbot(), SETTINGS)["spec"]["template"]["spec"]
    assert train["nodeSelector"] == {"nvidia.com/gpu.present": "true"}


def test_what_the_run_published_is_kept_with_the_last_good_model():
    """The trainer reports what its run folder holds to serve (model or adapter, base model, rank): serving builds
    vLLM's pod from it, so it goes into status.lastSuccessfulRun, well-formed values only."""
    from tests.support.k8s_fixtures import CRD
    from tests.support.k8s_schema import admit, version_schema

    tb = tweetbot(generation=1)
    job = succeeded(build_training_job(tb, SETTINGS))
    report = {**SUCCESS_MESSAGE, "published": "adapter", "baseModel": "s3://models/llama-8b/", "loraRank": 16}
    status = derive_status(tb, job, [pod(phase="Succeeded", state=terminated(report))], NOW)
    last = status["lastSuccessfulRun"]
    assert (last["published"], last["baseModel"], last["loraRank"]) == ("adapter", "s3://models/llama-8b/", 16)
    stored, errors = admit(version_schema(CRD, "v1alpha1"), {**tb, "status": status})
    assert errors == [] and stored["status"]["lastSuccessfulRun"] == last  # the schema keeps every field
    hostile = {**SUCCESS_MESSAGE, "published": "<script>", "baseModel": "x" * 5000, "loraRank": True}
    status = derive_status(tb, job, [pod(phase="Succeeded", state=terminated(hostile))], NOW)
    assert not {"published", "baseModel", "loraRank"} & set(status["lastSuccessfulRun"])
