"""The group's store instead of collectives (train/group_store.py), in a real two-process gloo group whose
timeout (2 s) is shorter than rank 0's "upload" (5 s): the others wait it out on the store, where a barrier
fails; rank 0's error reaches them at once with its reason, and so does rank 0's death; rank 0's prepared
files, one bigger than a store payload may be, arrive whole."""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import torch.distributed as dist
import torch.multiprocessing as mp
from tweetbot_trainer.errors import TweetBotTransientError
from tweetbot_trainer.train.distributed import is_peer_loss
from tweetbot_trainer.train.group_store import CHUNK_BYTES, rank_zero_alone, share_data
from tweetbot_trainer.train.launcher import free_port

GROUP_TIMEOUT, UPLOAD_SECONDS = 2.0, 5.0


def _timed(results: dict[str, Any], name: str, body: Any) -> None:
    began = time.monotonic()
    try:
        results[name] = {"value": body()}
    except Exception as exc:  # recorded for the asserts
        results[name] = {"error": type(exc).__name__, "reason": getattr(exc, "reason", None), "message": str(exc),
                         "peer_loss": is_peer_loss(exc, {"WORLD_SIZE": "2"})}
    results[name]["seconds"] = time.monotonic() - began


def _slow_upload() -> str:
    time.sleep(UPLOAD_SECONDS)
    return "uploaded"


def _failing_upload() -> None:
    raise TweetBotTransientError("S3Unreachable", "no connection to s3://bots")


def _rank_zero_dies() -> None:
    time.sleep(0.5)
    os._exit(0)  # a pod lost in the middle of its upload


def _member(rank: int, port: int, tmp: Path) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE="2")
    dist.init_process_group("gloo", init_method="env://", timeout=timedelta(seconds=GROUP_TIMEOUT))
    results: dict[str, Any] = {}
    _timed(results, "data", lambda: str(share_data(2, rank, tmp / "prepared", tmp / f"received-{rank}")))
    _timed(results, "slow", lambda: rank_zero_alone("uploading step 10", _slow_upload, 60))
    _timed(results, "failing", lambda: rank_zero_alone("uploading step 20", _failing_upload, 60))

    def barrier() -> None:  # what wait_for_everyone around an upload did
        if rank == 0:
            time.sleep(UPLOAD_SECONDS)
        dist.barrier()

    _timed(results, "barrier", barrier)
    (tmp / f"results-{rank}.json").write_text(json.dumps(results))  # rank 0's last words
    _timed(results, "gone", lambda: rank_zero_alone("publishing the model", _rank_zero_dies, 60))
    (tmp / f"results-{rank}.json").write_text(json.dumps(results))


def _member_entry(rank: int, port: int, tmp: str) -> None:
    _member(rank, port, Path(tmp))


@pytest.mark.slow
def test_the_others_wait_out_rank_zeros_upload_on_the_store(tmp_path: Path) -> None:
    prepared = tmp_path / "prepared"
    prepared.mkdir()
    (prepared / "train.txt").write_bytes(os.urandom(CHUNK_BYTES + 12345))  # two chunks
    (prepared / "stats.json").write_text('{"users": {}}')
    (prepared / "launch.json").write_text("")
    mp.start_processes(_member_entry, args=(free_port(), str(tmp_path)), nprocs=2, start_method="spawn")
    zero, one = (json.loads((tmp_path / f"results-{r}.json").read_text()) for r in (0, 1))

    assert zero["slow"]["value"] == "uploaded" and one["slow"]["value"] is None  # rank 1 waited 5 s, unharmed
    assert one["slow"]["seconds"] > GROUP_TIMEOUT
    assert one["barrier"]["error"] and one["barrier"]["seconds"] < UPLOAD_SECONDS  # the barrier gave up at 2 s

    assert zero["failing"]["reason"] == "S3Unreachable"  # rank 0's own error is its own
    assert one["failing"]["reason"] == "PeerFailed" and one["failing"]["seconds"] < 1.5
    assert one["failing"]["message"] == ("process 0 of the training group failed in uploading step 20: "
                                         "S3Unreachable: no connection to s3://bots")
    # PeerLost once rank 0 is gone (its barrier's 2 s and the 0.5 s before it dies), not after the 60 s allowed
    assert one["gone"]["peer_loss"] and one["gone"]["seconds"] < 15

    assert zero["data"]["value"] == str(prepared)
    received = Path(one["data"]["value"])
    assert received == tmp_path / "received-1"
    assert {p.name: p.read_bytes() for p in received.iterdir()} == {p.name: p.read_bytes() for p in prepared.iterdir()}


def _publish_and_exit(rank: int, port: int, tmp: str) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE="2")
    dist.init_process_group("gloo", init_method="env://", timeout=timedelta(seconds=GROUP_TIMEOUT))
    results: dict[str, Any] = {}
    _timed(results, "published", lambda: rank_zero_alone("publishing the model", lambda: "published", 60))
    if rank == 0:
        os._exit(0)  # done: the pod ends at once, and its store with it
    (Path(tmp) / "published.json").write_text(json.dumps(results))


@pytest.mark.slow
def test_rank_zero_may_exit_as_soon_as_its_work_is_done(tmp_path: Path) -> None:
    """The others' read of rank 0's answer must not race rank 0's exit (the end of every successful run)."""
    mp.start_processes(_publish_and_exit, args=(free_port(), str(tmp_path)), nprocs=2, start_method="spawn")
    published = json.loads((tmp_path / "published.json").read_text())["published"]
    assert published.get("value", published) is None
