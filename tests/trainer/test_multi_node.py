"""The launcher across nodes (`--nnodes`, `--node-rank`, `--master-addr/port`): each node's workers get global
ranks and the master of the flags; exit codes tell a pod's own SIGTERM (143) from a peer's agreed stop (75), and
a lost peer is a counted failure (1: a group that keeps losing one must use up the Job's retries)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer.commands.runner import guarded, run_job
from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.errors import ReasonedError, TweetBotTransientError
from tweetbot_trainer.report import NullReporter
from tweetbot_trainer.train.context import Outcome
from tweetbot_trainer.train.distributed import is_peer_loss, join_group
from tweetbot_trainer.train.launcher import (
    Nodes,
    chosen_message,
    combined_exit_code,
    free_port,
    nodes_of,
    worker_environment,
)

from tests.fixtures.trainer_models import build_tiny, json_events, trainer_env, write_prepared

SAMPLE_ARCHIVE = Path(__file__).resolve().parents[2] / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"


class Failures(NullReporter):
    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.messages: list[str] = []

    def failed(self, reason: str, message: str) -> None:
        self.reasons.append(reason)
        self.messages.append(message)


def test_each_node_gives_its_workers_global_ranks_and_the_flags_master() -> None:
    nodes = Nodes(nproc=2, nnodes=3, node_rank=1, master_addr="job-0.svc", master_port=29500)
    envs = [worker_environment({}, nodes, local, master_port=12345) for local in range(2)]
    assert [e["RANK"] for e in envs] == ["2", "3"] and [e["LOCAL_RANK"] for e in envs] == ["0", "1"]
    assert {e["WORLD_SIZE"] for e in envs} == {"6"} and {e["LOCAL_WORLD_SIZE"] for e in envs} == {"2"}
    assert {(e["GROUP_RANK"], e["NODE_RANK"]) for e in envs} == {("1", "1")}
    assert {(e["MASTER_ADDR"], e["MASTER_PORT"]) for e in envs} == {("job-0.svc", "29500")}
    assert envs[0]["TORCH_NCCL_ASYNC_ERROR_HANDLING"] == "1"


def test_one_node_keeps_loopback_and_its_free_port() -> None:
    env = worker_environment({}, Nodes(nproc=2, master_addr="ignored", master_port=29500), 1, master_port=40001)
    assert (env["RANK"], env["WORLD_SIZE"], env["MASTER_ADDR"], env["MASTER_PORT"]) == ("1", "2", "127.0.0.1", "40001")


def test_node_rank_must_be_below_nnodes() -> None:
    assert nodes_of(TrainConfig(nnodes=2, node_rank=1, master_addr="m")).ranks() == range(1, 2)
    with pytest.raises(ReasonedError, match="is not below --nnodes 2"):
        nodes_of(TrainConfig(nnodes=2, node_rank=2))


@pytest.mark.parametrize(("codes", "terminated", "expected"), [
    ([75], False, 75),  # another pod's SIGTERM stopped this pod's only worker (PeerStopped)
    ([75, 143], False, 75),  # one worker stopped for the peer, the launcher SIGTERMed the other
    ([75, 75], True, 143),  # this pod got SIGTERM too: its own checkpointed stop
    ([143, 143], False, 143),
    ([0, 143], False, 143),
    ([75, 1], False, 1),  # a worker's own failure
    ([75, 2], False, 2),  # an input error wins
    ([137, 75], False, 1),  # a SIGKILLed worker (OOM) here
    ([1, 143], False, 1),  # a worker lost a peer (PeerLost), the launcher SIGTERMed the other: counted
    ([134, 143], False, 1),  # NCCL's watchdog aborted a worker (SIGABRT): counted like any failure
    ([0, 0], False, 0),
])
def test_the_pods_exit_code_from_its_workers(codes: list[int], terminated: bool, expected: int) -> None:
    assert combined_exit_code(codes, terminated) == expected


def test_the_failed_workers_message_names_its_global_rank() -> None:
    message = json.loads(chosen_message(1, [1], [None], Nodes(nproc=1, nnodes=2, node_rank=1)))
    assert "training process 1 of 2 exited with code 1" in message["message"]


def test_a_lost_peer_is_told_from_an_own_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    closed = RuntimeError("[../third_party/gloo/gloo/transport/tcp/pair.cc:534] Connection closed by peer [127.0.0.1]")
    assert not is_peer_loss(closed, {})  # alone there are no peers
    group = {"WORLD_SIZE": "2"}
    assert is_peer_loss(closed, group)
    assert is_peer_loss(type("DistBackendError", (RuntimeError,), {})("NCCL error"), group)
    wrapped = ValueError("step failed")
    wrapped.__cause__ = closed
    assert is_peer_loss(wrapped, group)
    assert not is_peer_loss(MemoryError("CUDA out of memory"), group)
    assert not is_peer_loss(RuntimeError("mat1 and mat2 shapes cannot be multiplied"), group)

    monkeypatch.setenv("WORLD_SIZE", "2")
    reporter = Failures()

    def lose_peer() -> None:
        raise closed

    def crash() -> None:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied")

    # Ambiguous (a pod's own NCCL failure reads the same in every pod): never the uncounted 75, or a group
    # failing each attempt would be recreated forever.
    assert guarded(reporter, lose_peer) == 1 and guarded(reporter, crash) == 1
    assert reporter.reasons == ["PeerLost", "RuntimeError"]
    assert "the training group lost a peer" in reporter.messages[0]


def test_a_peer_that_never_comes_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("RANK", "1")
    monkeypatch.setenv("MASTER_ADDR", "127.0.0.1")
    monkeypatch.setenv("MASTER_PORT", str(free_port()))  # nobody listens: rank 0 never came
    with pytest.raises(TweetBotTransientError) as caught:
        join_group(1.0, 1.0)
    assert caught.value.reason == "RendezvousFailed" and caught.value.exit_code == 1
    message = caught.value.message
    assert "at master 127.0.0.1:" in message and "within 1 s (--rendezvous-timeout)" in message


@pytest.mark.parametrize(("own_sigterm", "code", "reason"), [(True, 143, "Interrupted"), (False, 75, "PeerStopped")])
def test_a_stop_agreed_for_another_pods_sigterm_is_exit_75(own_sigterm: bool, code: int, reason: str) -> None:
    reporter = Failures()

    def body(stop: threading.Event) -> Outcome:
        if own_sigterm:
            stop.set()
        return Outcome(True, {"step": 10})  # the ranks agreed to stop at step 10 and checkpointed

    assert run_job(reporter, body) == code and reporter.reasons == [reason]


@pytest.mark.slow
def test_sigterm_to_one_node_stops_both_at_one_step_143_there_75_here(
        tmp_path: Path, s3_bucket: str, s3_env: dict[str, str]) -> None:
    data = write_prepared(tmp_path / "data", n_train=300)
    model = build_tiny(tmp_path / "model", n_positions=64)
    port = free_port()

    def node(rank: int) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "tweetbot_trainer.cli", "train", "--data", str(data), "--base-model", str(model),
             "--output", f"s3://{s3_bucket}/b/", "--run-id", "two-nodes", "--max-steps", "40", "--block-size", "32",
             "--batch-size", "2", "--nnodes", "2", "--node-rank", str(rank), "--master-addr", "127.0.0.1",
             "--master-port", str(port), "--termination-log", str(tmp_path / f"termination-{rank}")],
            env=trainer_env(s3_env), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    here, there = node(0), node(1)
    assert here.stdout is not None
    events = []
    for line in here.stdout:  # global rank 0 (node 0) alone reports
        events += json_events(line)
        if events and events[-1]["event"] == "progress" and events[-1]["step"] >= 3:
            there.send_signal(signal.SIGTERM)  # only node 1's pod is preempted
            break
    events += json_events(here.stdout.read())
    assert (here.wait(timeout=300), there.wait(timeout=300)) == (75, 143)
    [checkpoint] = [e for e in events if e["event"] == "checkpoint"]
    assert checkpoint["step"] == 10  # the ranks agree at the next stop check
    reasons = [json.loads((tmp_path / f"termination-{rank}").read_text())["reason"] for rank in (0, 1)]
    assert reasons == ["PeerStopped", "Interrupted"]


def _train(data: Path, model: Path, bucket: str, run_id: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "tweetbot_trainer.cli", "train", "--data", str(data), "--base-model", str(model),
            "--output", f"s3://{bucket}/b/", "--run-id", run_id, "--block-size", "32", "--batch-size", "2", *extra]


@pytest.mark.slow
def test_a_retry_of_a_finished_run_needs_no_group(tmp_path: Path, s3_bucket: str, s3_env: dict[str, str]) -> None:
    """Every index of a retried attempt alone (a peer may never come): rank 0 redoes what follows the manifest
    and the others are done at once, instead of waiting for the group until RendezvousFailed."""
    data, model = write_prepared(tmp_path / "data", n_train=80), build_tiny(tmp_path / "model", n_positions=64)
    owner = ["--owner", "ns/bot/uid-1"]
    env = trainer_env(s3_env)
    first = subprocess.run(_train(data, model, s3_bucket, "done", "--max-steps", "2", *owner), env=env,
                           capture_output=True, text=True, timeout=300, check=False)
    assert first.returncode == 0, first.stderr[-3000:]
    for rank in (0, 1):
        log = tmp_path / f"termination-{rank}"
        again = subprocess.run(
            _train(data, model, s3_bucket, "done", "--max-steps", "2", *owner, "--nnodes", "2", "--node-rank",
                   str(rank), "--master-port", str(free_port()), "--rendezvous-timeout", "3",
                   "--termination-log", str(log)),
            env=env, capture_output=True, text=True, timeout=300, check=False)
        assert again.returncode == 0, again.stderr[-3000:]
        assert json.loads(log.read_text())["status"] == "succeeded"
    # The ownership check still comes first on rank 0: another TweetBot's finished run is not finished again.
    other = subprocess.run(
        _train(data, model, s3_bucket, "done", "--owner", "ns/other/uid-2", "--nnodes", "2", "--node-rank", "0",
               "--master-port", str(free_port()), "--rendezvous-timeout", "3",
               "--termination-log", str(tmp_path / "termination-other")),
        env=env, capture_output=True, text=True, timeout=300, check=False)
    assert other.returncode == 2
    assert json.loads((tmp_path / "termination-other").read_text())["reason"] == "OutputConflict"


@pytest.mark.slow
def test_only_node_0_prepares_and_the_others_train_on_its_files(tmp_path: Path, s3_bucket: str,
                                                                s3_env: dict[str, str], s3_client: Any) -> None:
    """Node 1's source is not even there: it prepares nothing, and trains on what node 0 prepared."""
    model, port = build_tiny(tmp_path / "model", n_positions=64), free_port()

    def node(rank: int, archive: Path) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "tweetbot_trainer.cli", "run", "--user", "sample", "--source", "archive",
             "--source-uri", str(archive), "--base-model", str(model), "--output", f"s3://{s3_bucket}/b/",
             "--run-id", "shared-data", "--max-steps", "4", "--block-size", "32", "--batch-size", "2",
             "--nnodes", "2", "--node-rank", str(rank), "--master-port", str(port), "--rendezvous-timeout", "60",
             "--termination-log", str(tmp_path / f"termination-{rank}")],
            env=trainer_env(s3_env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    here, there = node(0, SAMPLE_ARCHIVE), node(1, tmp_path / "missing.js")
    (out, err), (out_1, err_1) = here.communicate(timeout=600), there.communicate(timeout=600)
    assert (here.returncode, there.returncode) == (0, 0), (err[-3000:], err_1[-3000:])
    assert [e["phase"] for e in json_events(out) if e["event"] == "phase"].count("prepare") == 1
    assert not json_events(out_1)  # node 1 neither prepared nor reported
    metrics = json.loads(s3_client.get_object(Bucket=s3_bucket, Key="b/shared-data/metrics.json")["Body"].read())
    assert metrics["processes"] == 2 and metrics["steps"] == 4 and metrics["phaseSeconds"]["prepare"] > 0
