"""spec.quality.minimum, the gate before serving (training/quality_gate.py), with constructed termination messages:
status.quality and its printer column, a run below the bar held (Succeeded, previous model kept in status and
served, QualityGate False saying which number failed and by how much, a Warning event), and lowering the bar (no
new run) promoting it."""

from __future__ import annotations

import copy
import json
import math

from tweetbot_operator.k8s.client import tweetbot_path
from tweetbot_operator.reconcile import reconcile
from tweetbot_operator.spec.fields import NON_RUN_FIELDS, run_spec_hash
from tweetbot_operator.spec.validation import validate_spec
from tweetbot_operator.training.quality_gate import gate_failures, quality_status

from tests.operator.factories import (
    KEY,
    SUCCESS_MESSAGE,
    condition_of,
    events_of,
    jobs_of,
    make_pod,
    set_job_status,
    started,
    status_of,
    tweetbot,
)

GOOD = {"fitRatio": 0.41, "styleMatch": 0.72, "styleMatchBase": 0.19, "styleMatchPerson": 0.9, "memorized": 0.0,
        "longestCopiedWords": 5, "variety": 0.83, "duplicates": 0.0}
PARROT = {**GOOD, "styleMatch": 0.3, "memorized": 0.2, "longestCopiedWords": 31}
BAR = {"minimum": {"styleMatch": 0.5, "maxMemorized": 0.05}}


def test_status_quality_keeps_finite_numbers_and_a_summary() -> None:
    result = {"quality": {**GOOD, "styleMatch": math.nan, "memorized": 0.031, "extra": "x", "variety": True}}
    status = quality_status(result, "spiraltoo-g1")
    assert status is not None and "styleMatch" not in status and "extra" not in status and "variety" not in status
    assert status["runId"] == "spiraltoo-g1" and status["summary"] == "copied 3%"
    assert quality_status({"quality": GOOD}, None)["summary"] == "style 72% (base 19%), copied 0%"  # type: ignore[index]
    assert quality_status({}, "r") is None and quality_status({"quality": "bad"}, "r") is None


def test_gate_failures_say_which_number_and_by_how_much() -> None:
    spec = {"quality": BAR}
    assert gate_failures(spec, GOOD) == []
    assert gate_failures(spec, PARROT) == [
        "styleMatch 30% is below the minimum 50% by 20.0 points",
        "memorized 20% is above maxMemorized 5% by 15.0 points",
    ]
    assert gate_failures(spec, {"memorized": 0.0}) == ["styleMatch was not measured (too few held-out posts?)"]
    assert gate_failures({}, PARROT) == []  # no bar: every run is promoted


def test_the_bar_is_validated_and_edited_in_place() -> None:
    base = tweetbot()["spec"]
    assert validate_spec({**base, "quality": BAR}) == []
    assert validate_spec({**base, "quality": {"minimum": {"styleMatch": 1.5, "maxMemorized": "x"}}}) == [
        "spec.quality.minimum.styleMatch must be a number from 0 to 1",
        "spec.quality.minimum.maxMemorized must be a number from 0 to 1"]
    assert "quality" in NON_RUN_FIELDS and run_spec_hash({**base, "quality": BAR}) == run_spec_hash(base)


async def _succeed(client, job_name: str, quality: dict) -> None:
    message = {**SUCCESS_MESSAGE, "runId": job_name, "modelURI": f"s3://bots/spiraltoo/{job_name}/",
               "quality": quality}
    await make_pod(client, job_name, {"terminated": {"exitCode": 0, "message": json.dumps(message)}},
                   phase="Succeeded")
    await set_job_status(client, job_name, {
        "active": 0, "succeeded": 1, "completionTime": "2026-11-25T10:05:00Z",
        "conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": "2026-11-25T10:05:00Z"}]})


def _served(cluster) -> str:
    deployment = cluster.read("apps/v1/deployments", "default", "spiraltoo-serve")
    return deployment["spec"]["template"]["spec"]["containers"][0]["args"][1]


async def test_a_run_below_the_bar_is_held_and_lowering_the_bar_promotes_it(cluster, client, ctx) -> None:
    g1, g2 = "s3://bots/spiraltoo/spiraltoo-g1/", "s3://bots/spiraltoo/spiraltoo-g2/"
    await started(cluster, client, ctx, {"serving": {"enabled": True}, "quality": copy.deepcopy(BAR)})
    await _succeed(client, "spiraltoo-g1", GOOD)
    await reconcile(ctx, KEY)
    status = status_of(cluster)
    assert status["modelURI"] == g1 and _served(cluster) == g1
    assert status["quality"]["summary"] == "style 72% (base 19%), copied 0%"  # kept by the CRD's schema
    assert condition_of(status, "QualityGate")["status"] == "True"
    first = status["runId"]

    # A retrain that parrots its posts: Succeeded, but g1 stays the model, in status and in serving.
    await client.merge_patch(tweetbot_path("default", "spiraltoo"), {"spec": {"training": {"epochs": 9}}})
    await reconcile(ctx, KEY)
    await _succeed(client, "spiraltoo-g2", PARROT)
    await reconcile(ctx, KEY)
    status = status_of(cluster)
    second = status["runId"]
    assert status["phase"] == "Succeeded" and status["latestRun"]["jobName"] == "spiraltoo-g2" and second != first
    assert status["modelURI"] == g1 and status["lastSuccessfulRun"]["runId"] == first
    assert _served(cluster) == g1 and status["serving"]["modelURI"] == g1
    assert status["quality"]["runId"] == second and status["quality"]["memorized"] == 0.2
    gate = condition_of(status, "QualityGate")
    assert gate["status"] == "False" and gate["reason"] == "QualityGateHeld"
    assert "styleMatch 30% is below the minimum 50% by 20.0 points" in gate["message"]
    assert "memorized 20% is above maxMemorized 5% by 15.0 points" in gate["message"]
    ready = condition_of(status, "Ready")
    assert ready["status"] == "True" and g1 in ready["message"]  # the previous model is there to use
    assert ("Warning", "QualityGateHeld") in [(kind, reason) for kind, reason, _ in events_of(cluster)]

    # Lowering the bar starts no run and promotes the held one.
    await client.merge_patch(tweetbot_path("default", "spiraltoo"),
                             {"spec": {"quality": {"minimum": {"styleMatch": 0.2, "maxMemorized": 0.25}}}})
    await reconcile(ctx, KEY)
    status = status_of(cluster)
    assert len(jobs_of(cluster)) == 2
    assert status["modelURI"] == g2 and status["lastSuccessfulRun"]["runId"] == second
    assert _served(cluster) == g2 and condition_of(status, "QualityGate")["status"] == "True"
