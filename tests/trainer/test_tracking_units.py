"""The tracking front's guarantees without a server: a tracker that hangs or fails is dropped within its bound
and named in `degraded`, the others go on; reasons and URLs carry no credentials; the card links the run;
`kubectl tweetbot get` shows the run's page."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from kubectl_tweetbot.table import render
from tweetbot_trainer.publish.card import CardData, render_card
from tweetbot_trainer.publish.tracking.mlflow_tracker import run_page
from tweetbot_trainer.publish.tracking.settings import TrackingSettings
from tweetbot_trainer.publish.tracking.tracking import RunIdentity, Tracking, open_tracking, scrub


class Recorder:
    """A tracker that keeps what it is given; `hang` / `fail` name the calls that never return / raise."""

    def __init__(self, name: str, hang: str = "", fail: str = "") -> None:
        self.name, self.hang, self.fail = name, hang, fail
        self.calls: list[tuple[str, Any]] = []
        self.release = threading.Event()

    def _call(self, what: str, value: Any = None) -> None:
        if what == self.hang:
            self.release.wait(30)
        if what == self.fail:
            raise ConnectionError(f"refused by https://user:{'s3cr3t-pass'}@tracker.example")
        self.calls.append((what, value))

    def start(self, run: RunIdentity) -> None:
        self._call("start", run)

    def url(self) -> str | None:
        return f"http://{self.name}.example/run"

    def log_params(self, params: Mapping[str, Any]) -> None:
        self._call("params", dict(params))

    def log_metrics(self, metrics: Mapping[str, float], step: int) -> None:
        self._call("metrics", (dict(metrics), step))

    def log_files(self, paths: Sequence[Path], folder: str) -> None:
        self._call("files", folder)

    def log_model(self, model_dir: Path, model_uri: str) -> None:
        self._call("model", model_uri)

    def finish(self, status: str) -> None:
        self._call("finish", status)


def test_a_hanging_tracker_is_dropped_within_its_bound_and_the_other_goes_on() -> None:
    hanging, failing, fine = Recorder("mlflow", hang="metrics"), Recorder("other", fail="start"), Recorder("wandb")
    tracking = Tracking([hanging, failing, fine], timeout=0.5)
    tracking.start(RunIdentity("bot-g1", "bot"))
    started = time.monotonic()
    for step in range(1, 4):
        tracking.log_metrics({"train/loss": 1.0 / step}, step)
    elapsed = time.monotonic() - started
    assert [c for c, _ in hanging.calls] == ["start"]
    hanging.release.set()  # the call left behind ends; nothing more is sent to its tracker
    tracking.finish("succeeded")
    assert elapsed < 2.0, elapsed  # one bounded wait, then no more calls to the dropped tracker
    assert "finish" not in [c for c, _ in hanging.calls] and failing.calls == []
    assert [c for c, _ in fine.calls] == ["start", "metrics", "metrics", "metrics", "finish"]
    summary = tracking.summary()
    assert summary["url"] == "http://mlflow.example/run"
    assert "mlflow: metrics: TimeoutError: no answer in 0.5 s" in summary["degraded"]
    assert "other: start: ConnectionError" in summary["degraded"] and "s3cr3t" not in summary["degraded"]


def test_scrub_removes_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "tok-123456")
    assert scrub("failed\nwith tok-123456 at https://u:p@host/x") == "failed with *** at https://host/x"
    assert run_page("https://u:p@mlflow.example:5000/base/", "3", "abc") == \
        "https://mlflow.example:5000/base/#/experiments/3/runs/abc"
    assert run_page("databricks", "3", "abc") is None


def test_no_tracker_configured_is_a_no_op() -> None:
    tracking = open_tracking(TrackingSettings())
    assert not tracking.enabled
    tracking.start(RunIdentity("bot-g1", "bot"))
    tracking.log_metrics({"x": 1.0}, 1)
    assert tracking.summary() == {} and tracking.url is None


def test_the_card_links_the_tracking_run_and_only_an_http_url() -> None:
    base = {"users": ["bot"], "stats": {"bot": {"kept": 1}}}
    card = render_card(CardData(**base, tracking_url="http://mlflow:5000/#/experiments/1/runs/r"))  # type: ignore[arg-type]
    assert "[training run](http://mlflow:5000/#/experiments/1/runs/r)" in card
    assert "training run" not in render_card(CardData(**base, tracking_url="javascript:alert(1)"))  # type: ignore[arg-type]


def test_kubectl_tweetbot_get_shows_the_run_page_when_a_tweetbot_tracks() -> None:
    plain = {"metadata": {"name": "plain"}, "spec": {"users": ["a"]}, "status": {"phase": "Running"}}
    tracked = {"metadata": {"name": "tracked"}, "spec": {"users": ["b"]},
               "status": {"phase": "Succeeded", "tracking": {"url": "http://mlflow:5000/#/experiments/1/runs/r"}}}
    assert "TRACKING" not in render([plain])
    header, first, second = render([plain, tracked]).splitlines()
    assert header.split()[-1] == "TRACKING" and first.split()[-1] == "-"
    assert second.split()[-1] == "http://mlflow:5000/#/experiments/1/runs/r"


FAKE_MLFLOW_CLIENT = '''
import time
time.sleep(2.5)  # importing the real client takes seconds on a busy node


class MlflowClient:
    def __init__(self, tracking_uri):
        self.uri = tracking_uri

    def get_experiment_by_name(self, name):
        return None

    def create_experiment(self, name):
        return "1"

    def search_runs(self, ids, filter_string, max_results):
        return []

    def create_run(self, experiment_id, run_name, tags):
        class Info:
            run_id = "r1"

        class Run:
            info = Info()

        return Run()
'''


def test_importing_a_client_is_not_counted_as_the_tracker_being_down(tmp_path: Path) -> None:
    """A client whose import takes longer than the tracker's bound (mlflow under the load of a training node) still
    tracks: the bound is for the tracker's answers. (The fake client, in a fresh interpreter, keeps the real one.)"""
    package = tmp_path / "mlflow" / "tracking"
    package.mkdir(parents=True)
    (tmp_path / "mlflow" / "__init__.py").write_text("")
    (package / "__init__.py").write_text(FAKE_MLFLOW_CLIENT)
    script = ("from tweetbot_trainer.publish.tracking.tracking import RunIdentity, open_tracking\n"
              "from tweetbot_trainer.publish.tracking.settings import TrackingSettings\n"
              "t = open_tracking(TrackingSettings(mlflow_tracking_uri='http://127.0.0.1:5000', timeout=1.0))\n"
              "t.start(RunIdentity('spiraltoo-g1', 'spiraltoo'))\n"
              "print(t.summary())\n")
    trainer = Path(__file__).resolve().parents[2] / "trainer"
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": f"{tmp_path}:{trainer}"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "{'url': 'http://127.0.0.1:5000/#/experiments/1/runs/r1'}", done.stdout


def test_the_card_links_each_trackers_run_and_says_where_an_offline_run_is() -> None:
    base = {"users": ["bot"], "stats": {"bot": {"kept": 1}}}
    both = render_card(CardData(**base, tracking_urls={  # type: ignore[arg-type]
        "mlflow": "http://mlflow:5000/#/experiments/1/runs/r", "wandb": "https://wandb.ai/team/bots/runs/bot-g1"}))
    assert ("the training run in [MLflow](http://mlflow:5000/#/experiments/1/runs/r) and "
            "[W&B](https://wandb.ai/team/bots/runs/bot-g1)") in both
    offline = render_card(CardData(**base, tracking_urls={"mlflow": "http://mlflow:5000/#/experiments/1/runs/r"},  # type: ignore[arg-type]
                                   tracking_offline={"wandb": "offline-run-20261207_101010-bot-g1"}))
    assert "[training run](http://mlflow:5000/#/experiments/1/runs/r)" in offline
    assert "`wandb/offline-run-20261207_101010-bot-g1/`" in offline and "wandb sync" in offline
