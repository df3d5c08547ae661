"""What the processes of a training group hand each other through the group's rendezvous store (the TCPStore
that global rank 0's process hosts), not through collectives: a collective is bounded by the group's timeout
(--rendezvous-timeout), which rank 0's upload of a big checkpoint outlasts, and carries tensors, not files.

Keys (in the default group's store, so gone with rank 0's process: a waiting rank then fails at once):
- `tweetbot/rank0/<n>/<label>`: rank 0's n-th piece of work alone (a checkpoint upload, the publish) is over:
  `ok`, or `failed: <reason>: <message>`; every rank calls the helper in the same order, so `n` agrees.
  Each other rank then sets `<key>/read/<rank>`, which rank 0 waits for (READ_WAIT_SECONDS at most: a lost rank
  does not hold it up) before it goes on: its exit takes the store away, after the publish or a failure.
- `tweetbot/data/<file>/<i>`: chunk i of a prepared file of global rank 0, CHUNK_BYTES at most (torch's libuv
  store refuses a payload over 8 MiB); `tweetbot/data/index` (set last): {file: chunks} as JSON.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from tweetbot_trainer.errors import ReasonedError, TweetBotTransientError, one_line

T = TypeVar("T")
CHUNK_BYTES = 4 << 20
READ_WAIT_SECONDS = 10.0
_DATA = "tweetbot/data"
_calls = itertools.count()  # this process's calls of rank_zero_alone: the same sequence on every rank


def group_store() -> tuple[Any, int, int] | None:
    """(the default group's store, this rank, the world size), or None alone / without a group."""
    import torch.distributed as dist

    if not dist.is_initialized() or dist.get_world_size() <= 1:
        return None
    # torch (2.13) has no public getter; this is the store the default group was made with.
    return dist.distributed_c10d._get_default_store(), dist.get_rank(), dist.get_world_size()


def rank_zero_alone(label: str, work: Callable[[], T], timeout_seconds: float) -> T | None:
    """`work()` on global rank 0 (its result; None elsewhere) while the others wait for it on the store, up to
    `timeout_seconds` (--upload-timeout) instead of the group's timeout. Rank 0's error reaches them at once
    (PeerFailed); a rank 0 that is gone makes the wait fail at once too (the store went with it: PeerLost)."""
    group = group_store()
    if group is None:
        return work()
    store, rank, world = group
    key = f"tweetbot/rank0/{next(_calls)}/{label.replace(' ', '-')}"
    if rank == 0:
        return _work_and_tell(store, key, world, work)
    try:
        store.wait([key], timedelta(seconds=timeout_seconds))
    except RuntimeError as exc:  # DistStoreError on a timeout; a connection error when rank 0 is gone
        if "timeout" not in str(exc).lower():
            raise
        raise TweetBotTransientError("UploadTimeout", f"process 0 of the training group did not finish {label} "
                                     f"within {timeout_seconds:g} s (--upload-timeout)") from exc
    value = store.get(key).decode()
    store.set(f"{key}/read/{rank}", "1")
    if value != "ok":
        raise TweetBotTransientError("PeerFailed", f"process 0 of the training group failed in {label}: "
                                     f"{value.removeprefix('failed: ')}")
    return None


def _work_and_tell(store: Any, key: str, world: int, work: Callable[[], T]) -> T:
    try:
        result = work()
    except BaseException as exc:
        reason = exc.reason if isinstance(exc, ReasonedError) else type(exc).__name__
        with contextlib.suppress(Exception):  # a broken store must not hide the error itself
            _tell(store, key, world, f"failed: {reason}: {one_line(str(exc), 500)}")
        raise
    _tell(store, key, world, "ok")
    return result


def _tell(store: Any, key: str, world: int, value: str) -> None:
    store.set(key, value)
    with contextlib.suppress(RuntimeError):  # a rank that is gone reads nothing: the group fails without us
        store.wait([f"{key}/read/{r}" for r in range(1, world)], timedelta(seconds=READ_WAIT_SECONDS))


def share_data(nnodes: int, node_rank: int, data_dir: Path, into: Path) -> Path:
    """The prepared data folder to train on: across nodes, global rank 0's files, which the other nodes' ranks
    receive into `into` (data prepared once per run, never on the other nodes); else `data_dir` as it is."""
    group = group_store()
    if group is None or nnodes <= 1:
        return data_dir
    store, rank, _world = group
    if rank == 0:
        send_files(store, data_dir)
    elif node_rank > 0:
        receive_files(store, into)
        return into
    return data_dir  # node 0's other ranks: the launcher's folder is theirs too


def send_files(store: Any, folder: Path) -> None:
    index: dict[str, int] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        data = path.read_bytes()
        chunks = max(1, -(-len(data) // CHUNK_BYTES))
        for i in range(chunks):
            store.set(f"{_DATA}/{path.name}/{i}", data[i * CHUNK_BYTES:(i + 1) * CHUNK_BYTES])
        index[path.name] = chunks
    store.set(f"{_DATA}/index", json.dumps(index))  # last: every chunk is there once the index is


def receive_files(store: Any, into: Path) -> None:
    index: dict[str, int] = json.loads(store.get(f"{_DATA}/index"))  # blocks up to the group's timeout
    into.mkdir(parents=True, exist_ok=True)
    for name, chunks in index.items():
        with (into / name).open("wb") as out:
            for i in range(chunks):
                out.write(store.get(f"{_DATA}/{name}/{i}"))


def node_once(label: str, work: Callable[[], str], timeout_seconds: float) -> str:
    """`work()` (a download: its result a local path) once per node, by its local rank 0; the node's other ranks
    wait for it on the store (`timeout_seconds` at most: a big model's download) and get the same path (the node
    shares one filesystem, and local rank 0's folder lives as long as the run)."""
    import os

    group = group_store()
    if group is None or int(os.environ.get("LOCAL_WORLD_SIZE", "1")) <= 1:
        return work()
    store, _rank, _world = group
    key = f"tweetbot/node/{os.environ.get('GROUP_RANK', '0')}/{next(_calls)}/{label}"
    if int(os.environ.get("LOCAL_RANK", "0")) == 0:
        try:
            result = work()
        except BaseException as exc:
            reason = exc.reason if isinstance(exc, ReasonedError) else type(exc).__name__
            with contextlib.suppress(Exception):
                store.set(key, f"failed: {reason}: {one_line(str(exc), 500)}")
            raise
        store.set(key, f"ok:{result}")
        return result
    _wait(store, [key], timeout_seconds, f"the node's process 0 did not finish the {label}")
    value = store.get(key).decode()
    if not value.startswith("ok:"):
        raise TweetBotTransientError("PeerFailed", f"the node's process 0 failed in {label}: "
                                     f"{value.removeprefix('failed: ')}")
    return value.removeprefix("ok:")


def store_barrier(label: str, timeout_seconds: float) -> None:
    """All ranks reach this point, waited for on the store up to `timeout_seconds` rather than the collective
    timeout: the first meeting after start-up waits for the slowest rank's model download and load."""
    group = group_store()
    if group is None:
        return
    store, rank, world = group
    key = f"tweetbot/barrier/{next(_calls)}/{label}"
    store.set(f"{key}/{rank}", "1")
    _wait(store, [f"{key}/{r}" for r in range(world)], timeout_seconds,
          f"not every process of the training group reached {label}")


def _wait(store: Any, keys: list[str], timeout_seconds: float, what: str) -> None:
    try:
        store.wait(keys, timedelta(seconds=timeout_seconds))
    except RuntimeError as exc:  # DistStoreError on a timeout; a connection error when rank 0 is gone
        if "timeout" not in str(exc).lower():
            raise
        raise TweetBotTransientError("PeerTimeout", f"{what} within {timeout_seconds:g} s "
                                     "(--rendezvous-timeout)") from exc
