"""S3 goes away under the trainer, or was never usable: no run gets a manifest until every file is whole, a later
attempt completes it, and settings that no retry fixes fail the TweetBot at once with a clear condition.

The outages are real: a SeaweedFS server of this module's own is crash-stopped (SIGKILL) mid-upload and started
again on the same data and ports. To cut S3 at a known point the trainer is frozen (SIGSTOP) as soon as it says
where it is (its JSON lines), S3 is stopped, and the trainer thawed (SIGCONT) into the outage.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import torch
from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import ClientError, EndpointConnectionError
from transformers import GPT2LMHeadModel
from tweetbot_operator.k8s.client import tweetbot_path
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.s3 import S3UnavailableError, S3Uri, with_retries
from tweetbot_trainer.train.checkpoint import CheckpointStore, load_local
from tweetbot_trainer.train.model_loading import build_tiny_model

from tests.fixtures.trainer_models import write_prepared
from tests.support.k8s_fixtures import eventually
from tests.support.local_kubelet import LOG_FILE_ANNOTATION
from tests.support.run_checks import assert_complete_run, keys
from tests.support.s3server import S3Server
from tests.system.conftest import NS, SAMPLE_ARCHIVE, s3_secret, secret, tweetbot

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
RETRY_ENV = "TWEETBOT_S3_RETRY_SECONDS"
TWEETBOTS = "tweetbot.io/v1alpha1/tweetbots"
Event = dict[str, Any]


# -- the trainer as a process whose JSON lines are read as they come ------------------------------------------


class Trainer:
    """`tweetbot-train train` in a subprocess; stdout events are collected by a thread, stderr goes to a file."""

    def __init__(self, args: list[str], env: dict[str, str], stderr_path: Path) -> None:
        self.stderr_path = stderr_path
        with stderr_path.open("wb") as err:
            self.proc = subprocess.Popen([sys.executable, "-m", "tweetbot_trainer.cli", "train", *args], env=env,
                                         stdout=subprocess.PIPE, stderr=err, text=True)
        self.events: list[Event] = []
        self._queue: queue.Queue[Event | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("{"):
                event = json.loads(line)
                self.events.append(event)
                self._queue.put(event)
        self._queue.put(None)

    def wait_for(self, wanted: Callable[[Event], bool], timeout: float = 120.0) -> Event:
        deadline = time.monotonic() + timeout
        while True:
            event = self._queue.get(timeout=max(0.01, deadline - time.monotonic()))
            if event is None:
                raise AssertionError(f"trainer exited ({self.proc.wait()}) first: {self.stderr()[-3000:]}")
            if wanted(event):
                return event

    def finish(self, timeout: float = 180.0) -> int:
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)  # a frozen process cannot die of SIGKILL until woken
            self.proc.kill()
            self.proc.wait()


def phase(name: str) -> Callable[[Event], bool]:
    return lambda e: e.get("event") == "phase" and e.get("phase") == name


def progress_at(step: int) -> Callable[[Event], bool]:
    return lambda e: e.get("event") == "progress" and e.get("step") == step


def cut_s3(trainer: Trainer, server: S3Server, look: Callable[[], set[str]]) -> set[str]:
    """Freezes the trainer where it is, records what S3 holds (`look`), crash-stops S3, thaws the trainer."""
    trainer.proc.send_signal(signal.SIGSTOP)
    try:
        seen = look()
        server.stop()
    finally:
        trainer.proc.send_signal(signal.SIGCONT)
    return seen


# -- what S3 holds ------------------------------------------------------------------------------------------


# -- fixtures: a server to break, a model big enough that its upload takes a moment, prepared data -----------


@pytest.fixture(scope="module")
def fault_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """This module's own S3 server (the session's one is never stopped)."""
    with S3Server(tmp_path_factory.mktemp("fault-s3")) as server:
        yield server


@pytest.fixture
def s3_up(fault_s3: S3Server) -> S3Server:
    """The fault server, running (a test that failed halfway may have left it stopped)."""
    if fault_s3.process is None:
        fault_s3.start()
    return fault_s3


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # n_embd 128: ~26 MB of weights, a two-part multipart upload, so "uploading" lasts long enough to cut.
    return build_tiny_model(tmp_path_factory.mktemp("model"), n_layer=1, n_head=2, n_embd=128, n_positions=64)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_prepared(tmp_path_factory.mktemp("data"), n_train=120, n_eval=20)


def train_args(data: Path, model: Path, bucket: str, run_id: str, termination: Path, *extra: str) -> list[str]:
    return ["--data", str(data), "--base-model", str(model), "--output", f"s3://{bucket}/bots/",
            "--run-id", run_id, "--max-steps", "4", "--block-size", "64", "--batch-size", "4",
            "--precision", "fp32", "--compile", "off", "--termination-log", str(termination), *extra]


def trainer_env(server: S3Server, retry_seconds: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    path = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return {**env, **server.env(), "PYTHONPATH": path, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1", RETRY_ENV: str(retry_seconds)}


# -- 0. the retry policy itself, without a server --------------------------------------------------------------


def client_error(code: str, status: int) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}},
                       "PutObject")


def failing(*errors: Exception) -> tuple[Callable[[], str], list[int]]:
    """An action that raises `errors` in turn, then returns "ok"; and its call count."""
    calls = [0]

    def action() -> str:
        calls[0] += 1
        if calls[0] <= len(errors):
            raise errors[calls[0] - 1]
        return "ok"

    return action, calls


def test_retry_policy_backs_off_within_its_budget_and_never_retries_what_no_retry_fixes() -> None:
    down = EndpointConnectionError(endpoint_url="http://127.0.0.1:9/b/k")
    pauses: list[float] = []
    far = time.monotonic() + 3600

    # No connection, a 503, throttling: retried with pauses that double (jittered to 50-100 %).
    action, calls = failing(down, client_error("ServiceUnavailable", 503), client_error("SlowDown", 503), down)
    assert with_retries("uploading x to s3://b/k", action, far, sleep=pauses.append) == "ok"
    assert calls == [5] and len(pauses) == 4
    assert all(0.5 * 2**i <= pause <= 2**i for i, pause in enumerate(pauses)), pauses

    # The budget spent: a clear, retryable error naming what failed, where, and why.
    action, calls = failing(down, down)
    with pytest.raises(S3UnavailableError) as gave_up:
        with_retries("uploading x to s3://b/k", action, time.monotonic() - 1, sleep=pauses.append)
    assert calls == [1]
    assert str(gave_up.value).startswith("gave up on S3 after 1 attempt in 0 s uploading x to s3://b/k: Could not")

    # Errors no retry fixes go through at once, also when boto3 wraps them; the exit code will be 2.
    for error, reason in ((client_error("NoSuchBucket", 404), "MissingBucket"),
                          (client_error("SignatureDoesNotMatch", 403), "BadCredentials"),
                          (client_error("InvalidAccessKeyId", 403), "BadCredentials")):
        wrapped = S3UploadFailedError(f"Failed to upload x to b/k: {error}")
        wrapped.__context__ = error
        action, calls = failing(wrapped)
        with pytest.raises(TweetBotInputError) as user_error:
            with_retries("uploading x to s3://b/k", action, far, sleep=pauses.append)
        assert calls == [1] and user_error.value.reason == reason
    # A 4xx that is not about credentials or the bucket is not retried either (it would only fail again).
    action, calls = failing(client_error("EntityTooLarge", 400))
    with pytest.raises(ClientError):
        with_retries("uploading x to s3://b/k", action, far, sleep=pauses.append)
    assert calls == [1]


# -- 1. S3 down for a while mid-upload: the trainer waits it out ---------------------------------------------


def test_s3_restart_mid_upload_is_retried_and_the_run_completes(
    s3_up: S3Server, tiny_model: Path, prepared: Path, tmp_path: Path
) -> None:
    bucket, prefix = s3_up.new_bucket("bots"), "bots/restart-g1/"
    client = s3_up.client()
    args = train_args(prepared, tiny_model, bucket, "restart-g1", tmp_path / "termination")
    trainer = Trainer(args, trainer_env(s3_up, retry_seconds=120), tmp_path / "stderr")
    try:
        trainer.wait_for(phase("upload"))
        at_cut = cut_s3(trainer, s3_up, lambda: keys(client, bucket, prefix))
        down_since = time.monotonic()
        s3_up.start()  # SeaweedFS takes seconds to come back: meanwhile the trainer's attempts meet a dead port
        down_for = time.monotonic() - down_since
        code = trainer.finish()
    finally:
        trainer.kill()

    assert code == 0, trainer.stderr()[-3000:]
    assert "manifest.json" not in at_cut  # the cut really was before the end of the upload
    assert trainer.stderr().count("retrying in") >= 2  # the human log says what happened
    assert trainer.events[-1] == {"event": "phase", "phase": "done", "ts": trainer.events[-1]["ts"]}
    assert not [e for e in trainer.events if e["event"] == "error"]
    assert_complete_run(client, bucket, prefix)
    assert json.loads((tmp_path / "termination").read_text())["status"] == "succeeded"
    assert down_for > 5  # boto3's own retries alone give up after 1-2 s


# -- 2. S3 down for longer than the retry budget, twice: each attempt fails (exit 1) without a manifest and
#       without harm to the last checkpoint, and the next attempt of the same command picks up from there ----------


def outage_attempt(args: list[str], env: dict[str, str], server: S3Server, stderr: Path,
                   cut_after: list[Callable[[Event], bool]], look: Callable[[], set[str]]) -> tuple[Trainer, set[str]]:
    """One attempt of the run: once the trainer has said each of `cut_after`, S3 is cut and stays down until the
    trainer gives up; then S3 comes back. Returns the finished trainer and what S3 held at the cut."""
    trainer = Trainer(args, env, stderr)
    try:
        for wanted in cut_after:
            trainer.wait_for(wanted)
        at_cut = cut_s3(trainer, server, look)
        code = trainer.finish(timeout=120)
    finally:
        trainer.kill()
        if server.process is None:
            server.start()
    assert code == 1, trainer.stderr()[-3000:]  # retryable: the Job's next pod tries again
    return trainer, at_cut


def assert_gave_up_clearly(trainer: Trainer, run_uri: str, termination: Path) -> None:
    errors = [e for e in trainer.events if e["event"] == "error"]
    assert len(errors) == 1, errors
    message = errors[0]["message"]
    # Where it was writing, that it gave up retrying, and why (the connection error).
    assert run_uri in message and "gave up" in message and "could not connect" in message.lower(), message
    assert "retrying" in trainer.stderr()
    assert json.loads(termination.read_text()) == {"status": "failed", "reason": errors[0]["reason"],
                                                   "message": message}


def test_outages_past_the_retry_budget_lose_nothing(
    s3_up: S3Server, tiny_model: Path, prepared: Path, tmp_path: Path
) -> None:
    """Three attempts of one run, as a Job's pods would make them: S3 is cut during checkpoint 6's upload, then
    during the final upload; each time it stays down past the trainer's retry budget (3 s)."""
    bucket, prefix = s3_up.new_bucket("bots"), "bots/outage-g1/"
    client = s3_up.client()
    termination = tmp_path / "termination"
    args = train_args(prepared, tiny_model, bucket, "outage-g1", termination,
                      "--max-steps", "8", "--checkpoint-every", "3")  # checkpoints at steps 3 and 6
    env = trainer_env(s3_up, retry_seconds=3)
    store = CheckpointStore(s3_up.client(), S3Uri(bucket, prefix + "checkpoints/"))
    whole = {f"checkpoints/step-3/{n}" for n in ("model.pt", "optimizer.pt", "state.pt", "checkpoint.json")}

    # 1. Cut right after step 6, as its checkpoint is written and uploaded: checkpoint 3 stays whole.
    first, at_cut = outage_attempt(
        args, env, s3_up, tmp_path / "stderr-1",
        [lambda e: e.get("event") == "checkpoint" and e.get("step") == 3, progress_at(6)],
        lambda: keys(client, bucket, prefix))
    assert whole <= at_cut and "checkpoints/step-6/checkpoint.json" not in at_cut
    assert_gave_up_clearly(first, f"s3://{bucket}/{prefix}checkpoints/step-6/", termination)
    assert [e["step"] for e in first.events if e["event"] == "checkpoint"] == [3]
    after = keys(client, bucket, prefix)
    assert whole <= after and "manifest.json" not in after
    assert store.newest_complete() == 3  # any part of checkpoint 6 that got up has no marker: ignored
    model = GPT2LMHeadModel.from_pretrained(tiny_model)
    state, _ = load_local(store.download(3, tmp_path), model, torch.optim.AdamW(model.parameters()))
    assert state.step == 3

    # 2. Resumes from 3, checkpoints at 6, and is cut while uploading the model: no manifest.
    second, at_cut = outage_attempt(args, env, s3_up, tmp_path / "stderr-2", [phase("upload")],
                                    lambda: keys(client, bucket, prefix))
    assert "manifest.json" not in at_cut  # the cut really came before the end of the upload
    assert_gave_up_clearly(second, f"s3://{bucket}/{prefix}", termination)
    assert [e["step"] for e in second.events if e["event"] == "progress"] == [4, 5, 6, 7, 8]
    assert "manifest.json" not in keys(client, bucket, prefix)  # partial files may be there, no manifest
    assert store.newest_complete() == 6

    # 3. The same command with S3 back: resumes from 6 and completes the run.
    third = Trainer(args, env, tmp_path / "stderr-3")
    try:
        assert third.finish() == 0, third.stderr()[-3000:]
    finally:
        third.kill()
    resumed = [e["step"] for e in third.events if e["event"] == "checkpoint" and "(resumed)" in e["uri"]]
    assert resumed == [6]
    assert [e["step"] for e in third.events if e["event"] == "progress"] == [7, 8]  # no step lost or redone
    assert_complete_run(client, bucket, prefix)
    assert json.loads(termination.read_text())["status"] == "succeeded"


# -- 3. through the whole system: settings no retry fixes -> Failed at once, with a clear condition -----------


def job_pods(cluster: Any, job_name: str) -> list[dict[str, Any]]:
    return [p for p in cluster.list_objects("v1/pods", NS)
            if (p["metadata"].get("labels") or {}).get("batch.kubernetes.io/job-name") == job_name]


def exit_codes(pods: list[dict[str, Any]]) -> list[int]:
    return [s["state"]["terminated"]["exitCode"] for p in pods for s in p["status"].get("containerStatuses", [])
            if "terminated" in s.get("state", {})]


async def failed_at_once(cluster: Any, name: str) -> dict[str, Any]:
    """Waits for the TweetBot to fail; checks one pod ran, exited 2 and the Job failed on its policy."""
    def status() -> dict[str, Any]:
        return (cluster.read(TWEETBOTS, NS, name) or {}).get("status") or {}

    final = await eventually(lambda: status().get("phase") in {"Succeeded", "Failed"} and status(), timeout=120,
                             interval=0.5)
    assert final["phase"] == "Failed", final
    pods = job_pods(cluster, final["jobName"])
    assert exit_codes(pods) == [2] and len(pods) == 1  # no backoff retries: the spec allows 2
    log = Path(pods[0]["metadata"]["annotations"][LOG_FILE_ANNOTATION]).read_text(errors="replace")
    assert '"phase"' not in log, log  # checked before downloading any post
    job = cluster.read("batch/v1/jobs", NS, final["jobName"])
    reasons = {c["type"]: c.get("reason") for c in job["status"]["conditions"] if c["status"] == "True"}
    assert reasons.get("Failed") == "PodFailurePolicy", job["status"]
    return next(c for c in final["conditions"] if c["type"] == "Failed" and c["status"] == "True")


async def test_wrong_keys_or_a_missing_bucket_fail_the_tweetbot_at_once_with_a_clear_condition(
    s3_server: S3Server, cluster, client, operator, kubelet
) -> None:
    """Two TweetBots at once: one whose Secret has a wrong secret key, one whose output bucket does not exist."""
    bucket = s3_server.new_bucket("bots")
    s3_server.client().upload_file(str(SAMPLE_ARCHIVE), bucket, "archives/sample.js")
    await client.create(f"/api/v1/namespaces/{NS}/secrets", s3_secret(s3_server))
    await client.create(f"/api/v1/namespaces/{NS}/secrets", secret("bad-creds", {
        "AWS_ACCESS_KEY_ID": s3_server.access_key, "AWS_SECRET_ACCESS_KEY": "not-the-secret-key"}))
    common = {"archive_uri": f"s3://{bucket}/archives/{{user}}.js", "endpoint": s3_server.endpoint_url,
              "base_model": "gpt2"}  # never loaded: both fail before
    bad_keys = tweetbot("badkeys", output=f"s3://{bucket}/bots/badkeys/", **common)
    bad_keys["spec"]["output"]["credentialsSecret"] = {"name": "bad-creds"}
    await client.create(tweetbot_path(NS), bad_keys)
    await client.create(tweetbot_path(NS), tweetbot("nobucket", output="s3://tweetbot-no-such-bucket/bots/",
                                                    **common))

    failed = await failed_at_once(cluster, "badkeys")
    assert failed["reason"] == "BadCredentials", failed
    assert "credentials rejected" in failed["message"] and bucket in failed["message"], failed
    assert "not-the-secret-key" not in json.dumps(cluster.read(TWEETBOTS, NS, "badkeys"))

    failed = await failed_at_once(cluster, "nobucket")
    assert failed["reason"] == "MissingBucket", failed
    assert "tweetbot-no-such-bucket" in failed["message"] and "does not exist" in failed["message"], failed
    assert keys(s3_server.client(), bucket, "bots/") == set()  # nothing written anywhere
