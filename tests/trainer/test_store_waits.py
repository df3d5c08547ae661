"""The store's waits (train/group_store.py) in a real two-process gloo group whose collective timeout (2 s) is
shorter than a rank's model download and load (4 s each): one download per node, by its local rank 0, and the
first meeting after start-up waited for on the store, bounded by the rendezvous timeout (issue 25, items 3, 5)."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import torch.distributed as dist
import torch.multiprocessing as mp
from tweetbot_trainer.train.group_store import node_once, store_barrier
from tweetbot_trainer.train.launcher import free_port

GROUP_TIMEOUT, SLOW_LOAD = 2.0, 3.0


def _member(rank: int, port: int, tmp: Path) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE="2",
                      LOCAL_RANK=str(rank), LOCAL_WORLD_SIZE="2", GROUP_RANK="0")
    dist.init_process_group("gloo", init_method="env://", timeout=timedelta(seconds=GROUP_TIMEOUT))
    calls = tmp / "downloads"

    def download() -> str:
        time.sleep(SLOW_LOAD)  # longer than the group's timeout
        with calls.open("a") as out:
            out.write(f"{rank}\n")
        return str(tmp / "base-model")

    began = time.monotonic()
    path = node_once("base-model", download, 30)
    if rank == 1:
        time.sleep(SLOW_LOAD)  # a slow load: rank 0 waits at the barrier past the group's timeout
    store_barrier("the model loaded", 30)
    (tmp / f"rank-{rank}").write_text(f"{path}\n{time.monotonic() - began}")
    dist.destroy_process_group()


def test_one_download_per_node_and_a_barrier_that_outlasts_the_collective_timeout(tmp_path: Path) -> None:
    mp.start_processes(_member, args=(free_port(), tmp_path), nprocs=2, start_method="spawn")
    assert (tmp_path / "downloads").read_text() == "0\n"  # once, by local rank 0
    results: list[Any] = [(tmp_path / f"rank-{r}").read_text().split("\n") for r in (0, 1)]
    assert {r[0] for r in results} == {str(tmp_path / "base-model")}
    assert float(results[0][1]) >= 2 * SLOW_LOAD - 0.5  # rank 0 waited past GROUP_TIMEOUT without failing
