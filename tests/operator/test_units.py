"""The small pure pieces: settings from env, names, cron slots, the finalizer's next step, the current run."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import REGISTRY
from tweetbot_operator.deletion.cleanup import Step, next_step
from tweetbot_operator.handlers import kopf_settings
from tweetbot_operator.ops.metrics import count_transition
from tweetbot_operator.settings import Settings, SettingsError
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.naming import fit, job_name, run_id
from tweetbot_operator.training.job import build_training_job
from tweetbot_operator.training.runs import plan_run, results_outlived_job
from tweetbot_operator.training.schedule import due_slot, latest_slot
from tweetbot_operator.triggers import NoChangeDetection

from tests.operator.factories import tweetbot


def test_settings_defaults_match_the_design():
    s = Settings.from_env({})
    assert s.watch_namespaces == () and s.trainer_image == "ghcr.io/tweetbot/trainer:0.1.0"
    assert s.default_gpus == 1 and s.default_node_selector == {}
    assert s.finalizer == "tweetbot.io/artifacts" and s.annotation_prefix == "tweetbot.io"
    assert s.peering == "" and s.health_port == 8080 and s.metrics_port == 9090 and s.log_format == "json"


def test_settings_from_env():
    s = Settings.from_env({
        "TWEETBOT_WATCH_NAMESPACES": " bots, team-a ,", "TWEETBOT_DEFAULT_GPUS": "0",
        "TWEETBOT_DEFAULT_NODE_SELECTOR": '{"pool": "gpu"}', "TWEETBOT_FINALIZER": "example.com/cleanup",
        "TWEETBOT_PEERING": "tweetbot", "TWEETBOT_LOG_FORMAT": "plain", "TWEETBOT_POLL_INTERVAL": "2.5",
    })
    assert s.watch_namespaces == ("bots", "team-a") and s.default_gpus == 0
    assert s.default_node_selector == {"pool": "gpu"} and s.finalizer == "example.com/cleanup"
    assert s.peering == "tweetbot" and s.log_format == "plain" and s.poll_interval == 2.5


@pytest.mark.parametrize(("name", "value"), [
    ("TWEETBOT_DEFAULT_GPUS", "-1"), ("TWEETBOT_DEFAULT_GPUS", "two"), ("TWEETBOT_DEFAULT_NODE_SELECTOR", "[1]"),
    ("TWEETBOT_DEFAULT_NODE_SELECTOR", "{bad"), ("TWEETBOT_LOG_FORMAT", "xml"), ("TWEETBOT_POLL_INTERVAL", "0"),
])
def test_bad_settings_are_refused(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-.", min_size=1, max_size=300))
def test_fit_is_short_unique_and_stable(value):
    fitted = fit(value)
    assert len(fitted) <= 63 and fit(value) == fitted
    if len(value) <= 63:
        assert fitted == value
    else:
        assert fitted != fit(value + "x")


def test_run_ids_follow_the_design():
    slot = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    uid = "5f0c2b7e-9a41-4c3d-8e2f-0b1a2c3d4e5f"
    assert run_id("spiraltoo", uid, 3) == "spiraltoo-5f0c2b7e-g3"
    assert run_id("spiraltoo", uid, 3, slot) == "spiraltoo-5f0c2b7e-g3-202611250300"
    assert run_id("spiraltoo", "", 3) == "spiraltoo-g3"  # an object without a uid (not from an API server)
    assert job_name("spiraltoo", 3, slot) == "spiraltoo-g3-202611250300"


def test_cron_slots():
    created = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    at = datetime(2026, 11, 25, 3, 1, tzinfo=UTC)
    assert latest_slot("0 3 * * *", at) == datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    assert latest_slot("0 3 * * *", datetime(2026, 11, 25, 3, 0, tzinfo=UTC)).hour == 3
    slot = due_slot("0 3 * * *", at, created=created, last_slot=None, run_active=False)
    assert slot == datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    assert due_slot("0 3 * * *", at, created=created, last_slot=slot, run_active=False) is None  # once
    assert due_slot("0 3 * * *", at, created=created, last_slot=None, run_active=True) is None  # one at a time
    assert due_slot("0 3 * * *", at + timedelta(hours=1), created=created, last_slot=None, run_active=False) is None
    assert due_slot("0 3 * * *", at, created=at, last_slot=None, run_active=False) is None  # not before creation


def test_cleanup_steps():
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    fresh = {"metadata": {"creationTimestamp": "2026-11-25T11:59:00Z"}, "status": {}}
    assert next_step(None, now, 600) is Step.CREATE
    assert next_step(fresh, now, 600) is Step.WAIT
    assert next_step(fresh, now, 30) is Step.TIMED_OUT
    done = {**fresh, "status": {"conditions": [{"type": "Complete", "status": "True"}]}}
    failed = {**fresh, "status": {"conditions": [{"type": "Failed", "status": "True", "message": "boom"}]}}
    assert next_step(done, now, 600) is Step.DONE and next_step(failed, now, 600) is Step.FAILED


def test_current_job_keeps_the_run_across_suspend_edits_only():
    settings = Settings()
    g1 = tweetbot(generation=1)
    job1 = build_training_job(g1, settings)
    assert plan_run(g1, [job1]).job is job1
    suspended = tweetbot(generation=2, suspend=True)
    assert plan_run(suspended, [job1]).job is job1  # same run-shaping spec
    retrained = tweetbot(generation=3, baseModel="distilgpt2")
    assert plan_run(retrained, [job1]).job is None  # a new run
    other_owner = tweetbot(generation=1)
    other_owner["metadata"]["uid"] = "someone-else"
    assert plan_run(other_owner, [job1]).job is None
    slot = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    scheduled = build_training_job(g1, settings, slot)
    assert plan_run(g1, [job1, scheduled]).job is scheduled  # the newest run of the generation
    assert scheduled["metadata"]["labels"][c.LABEL_SLOT] == "202611250300"


def test_results_outlive_a_ttl_deleted_job():
    tb = tweetbot(generation=2)
    tb["status"] = {"phase": "Succeeded", "observedGeneration": 2, "jobName": "spiraltoo-g2"}
    assert results_outlived_job(tb)
    tb["status"]["observedGeneration"] = 1
    assert not results_outlived_job(tb)
    tb["status"] = {"phase": "Running", "observedGeneration": 2, "jobName": "spiraltoo-g2"}
    assert not results_outlived_job(tb)


def test_importing_the_operator_does_not_import_torch():
    code = ("import sys, tweetbot_operator.app, tweetbot_operator.__main__, tweetbot_operator.handlers; "
            "bad = [m for m in ('torch', 'tweetbot_trainer', 'transformers') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_kopf_settings_follow_ours():
    ks = kopf_settings(Settings(finalizer="example.com/cleanup", annotation_prefix="bots.example.com",
                                peering="tweetbot"))
    assert ks.persistence.finalizer == "example.com/cleanup"
    assert ks.persistence.progress_storage.prefix == "bots.example.com"
    assert isinstance(ks.persistence.diffbase_storage, NoChangeDetection)  # no annotation of kopf's own
    assert ks.peering.name == "tweetbot" and ks.peering.standalone is False
    assert kopf_settings(Settings()).peering.standalone is True


def test_run_metricscount_transitions_once():
    def sample(name, **labels):
        return REGISTRY.get_sample_value(name, labels) or 0.0

    before_ok = sample("tweetbot_runs_succeeded_total", namespace="team")
    before_failed = sample("tweetbot_runs_failed_total", namespace="team", reason="NotEnoughPosts")
    before_count = sample("tweetbot_run_duration_seconds_count")
    running = {"phase": "Running", "runId": "r1"}
    done = {"phase": "Succeeded", "runId": "r1", "startTime": "2026-11-25T10:00:00Z",
            "completionTime": "2026-11-25T10:10:00Z"}
    count_transition(running, done, "team")
    count_transition(done, done, "team")  # no transition, no count
    failed = {"phase": "Failed", "runId": "r2", "conditions": [{"type": "Failed", "reason": "NotEnoughPosts"}]}
    count_transition({"phase": "Pending", "runId": "r2"}, failed, "team")
    assert sample("tweetbot_runs_succeeded_total", namespace="team") == before_ok + 1
    assert sample("tweetbot_runs_failed_total", namespace="team", reason="NotEnoughPosts") == before_failed + 1
    assert sample("tweetbot_run_duration_seconds_count") == before_count + 1
    assert sample("tweetbot_run_duration_seconds_sum") >= 600


def test_tweetbot_events_reconcile_only_what_they_can_change():
    from tweetbot_operator.triggers import needs_reconcile

    body = tweetbot(generation=2)
    assert needs_reconcile(body, "ADDED") and needs_reconcile(body, None)  # new, or the first listing
    body["status"] = {"observedGeneration": 2, "phase": "Pending"}
    assert not needs_reconcile(body, "MODIFIED")  # e.g. our own status write
    assert needs_reconcile(body, None)  # resume: everything on the operator's first listing
    body["metadata"]["generation"] = 3
    assert needs_reconcile(body, "MODIFIED")  # a spec change
    body["metadata"]["deletionTimestamp"] = "2026-11-25T10:00:00Z"
    assert not needs_reconcile(body, "MODIFIED") and not needs_reconcile(body, "DELETED")
