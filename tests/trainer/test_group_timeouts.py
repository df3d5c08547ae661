"""The group's two timeouts (train/distributed.py), in a real two-process gloo group: a peer that comes later
than any collective may take still joins (the rendezvous waits --rendezvous-timeout: a cold node pulls its image
first), and a collective that a peer does not enter fails after --collective-timeout instead of hanging."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import torch.distributed as dist
import torch.multiprocessing as mp
from tweetbot_trainer.train.distributed import join_group
from tweetbot_trainer.train.launcher import free_port

LATE, COLLECTIVE = 3.0, 1.0


def _member(rank: int, port: int, out: Path) -> None:
    env = {"MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port), "RANK": str(rank), "WORLD_SIZE": "2"}
    if rank == 1:  # later than any collective may take, counted from rank 0's start (imports vary under load)
        while not (out / "rank0-joining").exists():
            time.sleep(0.01)
        time.sleep(LATE)
    else:
        (out / "rank0-joining").touch()
    began = time.monotonic()
    join_group(30.0, COLLECTIVE, env)
    result: dict[str, object] = {"joined_after": time.monotonic() - began}
    if rank == 0:
        time.sleep(4 * COLLECTIVE)  # never enters the barrier in time
    began = time.monotonic()
    try:
        dist.barrier()
        result["barrier"] = "passed"
    except RuntimeError as exc:
        result["barrier"] = type(exc).__name__
    result["barrier_seconds"] = time.monotonic() - began
    (out / f"rank{rank}.json").write_text(json.dumps(result))
    if rank == 1:
        os._exit(0)  # skip the group's teardown, which would wait for rank 0's barrier


def test_a_late_peer_joins_and_a_stuck_collective_times_out(tmp_path: Path) -> None:
    mp.spawn(_member, args=(free_port(), tmp_path), nprocs=2, join=True)
    rank0, rank1 = (json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1))
    assert rank0["joined_after"] >= LATE - 0.5  # rank 0 waited for the late peer, longer than COLLECTIVE
    assert rank1["barrier"] != "passed" and rank1["barrier_seconds"] < 4 * COLLECTIVE
