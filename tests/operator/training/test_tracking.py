"""spec.tracking -> the training Job's flags and secretKeyRef env (chart defaults under the spec's own), and the
trainer's termination message -> status.tracking, the TrackingDegraded condition and its Warning event."""

from __future__ import annotations

from datetime import UTC, datetime

from tweetbot_operator.settings import Settings
from tweetbot_operator.training.job import build_training_job
from tweetbot_operator.training.status import derive_status, transition_events

from tests.operator.factories import SUCCESS_MESSAGE, condition, job, pod, terminated, tweetbot

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
MLFLOW = {"trackingURI": "https://mlflow.example:5000", "experiment": "bots", "logModel": "copy",
          "credentialsSecret": {"name": "mlflow-auth", "usernameKey": "user", "passwordKey": "pass"}}
WANDB = {"project": "bots", "entity": "team", "mode": "offline", "apiKeySecret": {"name": "wandb", "key": "k"}}


def trainer(tb: dict, settings: Settings | None = None) -> dict:
    return build_training_job(tb, settings or Settings())["spec"]["template"]["spec"]["containers"][0]


def flag(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def env_refs(container: dict) -> dict[str, tuple[str, str]]:
    return {e["name"]: (e["valueFrom"]["secretKeyRef"]["name"], e["valueFrom"]["secretKeyRef"]["key"])
            for e in container["env"] if "valueFrom" in e}


def test_spec_tracking_becomes_flags_and_secret_refs() -> None:
    container = trainer(tweetbot(tracking={"mlflow": MLFLOW, "wandb": WANDB}))
    args = container["args"]
    assert flag(args, "--mlflow-tracking-uri") == MLFLOW["trackingURI"] and flag(args, "--mlflow-experiment") == "bots"
    assert flag(args, "--mlflow-log-model") == "copy"
    assert (flag(args, "--wandb-project"), flag(args, "--wandb-entity"), flag(args, "--wandb-mode")) == \
        ("bots", "team", "offline")
    refs = env_refs(container)
    assert refs["MLFLOW_TRACKING_USERNAME"] == ("mlflow-auth", "user")
    assert refs["MLFLOW_TRACKING_PASSWORD"] == ("mlflow-auth", "pass")
    assert refs["WANDB_API_KEY"] == ("wandb", "k")
    assert not any(e.get("value") for e in container["env"] if "MLFLOW" in e["name"] or "WANDB" in e["name"])


def test_a_token_secret_and_chart_defaults() -> None:
    defaults = Settings(default_tracking={"mlflow": {"trackingURI": "http://mlflow.mlops:5000"}, "wandb": WANDB})
    token = {"trackingURI": "http://own:5000", "credentialsSecret": {"name": "tok", "tokenKey": "token"}}
    container = trainer(tweetbot(tracking={"mlflow": token}), defaults)
    assert flag(container["args"], "--mlflow-tracking-uri") == "http://own:5000"  # the spec's own wins
    assert flag(container["args"], "--wandb-project") == "bots"  # the default fills what the spec leaves out
    refs = env_refs(container)
    assert refs["MLFLOW_TRACKING_TOKEN"] == ("tok", "token") and "MLFLOW_TRACKING_PASSWORD" not in refs
    plain = trainer(tweetbot())
    assert not any(a.startswith(("--mlflow", "--wandb")) for a in plain["args"])
    assert Settings.from_env({"TWEETBOT_DEFAULT_TRACKING": '{"wandb": {"project": "p"}}'}).default_tracking == \
        {"wandb": {"project": "p"}}


def succeeded(tracking: dict, old: dict | None = None) -> tuple[dict, dict]:
    tb = tweetbot(tracking={"mlflow": MLFLOW})
    tb["status"] = old or {}
    done = job(conditions=[condition("Complete")], succeeded=1, completionTime="2026-11-25T11:05:00Z")
    status = derive_status(tb, done, [pod(phase="Succeeded", state=terminated({**SUCCESS_MESSAGE,
                                                                                "tracking": tracking}))], NOW)
    return tb["status"], status


def conditions(status: dict) -> dict[str, dict]:
    return {cond["type"]: cond for cond in status["conditions"]}


def test_tracking_url_and_degraded_from_the_termination_message() -> None:
    url = "https://mlflow.example:5000/#/experiments/1/runs/abc"
    old, ok = succeeded({"url": url})
    assert ok["tracking"] == {"url": url}
    assert conditions(ok)["TrackingDegraded"]["status"] == "False"
    assert not [e for e in transition_events(old, ok) if e.reason == "TrackingDegraded"]

    down = "mlflow: start: ConnectionError: refused"
    before, degraded = succeeded({"degraded": down}, old=ok)
    assert degraded["phase"] == "Succeeded" and degraded["tracking"] == {"degraded": down}
    cond = conditions(degraded)["TrackingDegraded"]
    assert cond["status"] == "True" and cond["reason"] == "TrackingDegraded" and down in cond["message"]
    [event] = [e for e in transition_events(before, degraded) if e.reason == "TrackingDegraded"]
    assert event.type == "Warning" and down in event.message
    assert not [e for e in transition_events(degraded, degraded) if e.reason == "TrackingDegraded"]  # once


def test_no_tracking_no_condition() -> None:
    done = job(conditions=[condition("Complete")], succeeded=1)
    status = derive_status(tweetbot(), done, [pod(phase="Succeeded", state=terminated(SUCCESS_MESSAGE))], NOW)
    assert "tracking" not in status and "TrackingDegraded" not in conditions(status)

