"""A rank of a new attempt never joins the previous attempt's group (train/distributed.py, join_group).

When one node of a multi-node run is preempted, the Job controller replaces each pod as it ends (podFailurePolicy
Ignore): the new pod of index 1 can start while the old pod of index 0 is still writing its last checkpoint and
still answers at index 0's DNS name with the old group's rendezvous store. A new rank 1 that joined that store
read the old group's keys, reached for a process that was leaving, and failed (exit 1: counted against the Job's
backoffLimit; the two-node system test caught it under load). Here, in real processes: the old group forms, its
rank 1 leaves, a new rank 1 comes while the old rank 0 still holds the address, and only after the old rank 0
is gone does the new rank 0 take the same port; the new pair forms one group and sums correctly.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from tweetbot_trainer.train.distributed import join_group
from tweetbot_trainer.train.launcher import free_port

OLD_RANK0, OLD_RANK1, NEW_RANK1, NEW_RANK0 = range(4)
OVERLAP = 3.0  # how long the old rank 0 stays after the new rank 1 started (its last checkpoint upload)


def _wait_for(path: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(path.name)
        time.sleep(0.05)


def _sum_of_ranks(rank: int) -> int:
    total = torch.tensor([rank + 1])
    dist.all_reduce(total)
    return int(total.item())


def _process(role: int, port: int, out: Path) -> None:
    rank = 0 if role in (OLD_RANK0, NEW_RANK0) else 1
    env = {"MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port), "RANK": str(rank), "WORLD_SIZE": "2"}
    if role == NEW_RANK1:
        _wait_for(out / "old-formed")
        (out / "new-rank1-started").touch()
    if role == NEW_RANK0:
        _wait_for(out / "old-rank0-gone")
        time.sleep(0.5)  # its process exits just after saying so
    try:
        join_group(30.0, 10.0, env)
        result: object = _sum_of_ranks(rank)
    except Exception as exc:  # the test reads what happened, whatever it was
        result = f"{type(exc).__name__}: {exc}"[:300]
    (out / f"role{role}.json").write_text(json.dumps(result))
    if role == OLD_RANK0:
        (out / "old-formed").touch()
        _wait_for(out / "new-rank1-started")
        time.sleep(OVERLAP)
        (out / "old-rank0-gone").touch()
    os._exit(0)  # the old group's members leave without a teardown, as a stopped pod does


def test_a_new_attempts_rank_waits_for_the_new_rank_zero(tmp_path: Path) -> None:
    context = mp.spawn(_process, args=(free_port(), tmp_path), nprocs=4, join=False)
    deadline = time.monotonic() + 90
    while not context.join(timeout=1):
        assert time.monotonic() < deadline, "the processes did not end within 90 s"
    results = {role: json.loads((tmp_path / f"role{role}.json").read_text()) for role in range(4)}
    assert results == {OLD_RANK0: 3, OLD_RANK1: 3, NEW_RANK1: 3, NEW_RANK0: 3}
