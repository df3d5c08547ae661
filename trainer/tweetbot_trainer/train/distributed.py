"""Joining the training group across nodes, and telling a lost peer from a process's own failure.

The group forms by torch's env:// rendezvous (a TCPStore on MASTER_ADDR:MASTER_PORT, rank 0's), as PyTorchJob's
pods do. Two timeouts: the wait for peers (--rendezvous-timeout, long enough for a cold node's image pull) and
every collective after (--collective-timeout: gloo's and NCCL's watchdog), so a dead peer ends in an error
instead of a hang.

A replaced pod can start while its group's other old pods still write their last checkpoint and still answer at
their DNS names (a preempted node's pod is replaced at once; rank 0's pod ends a little later), so a rank may
reach the rendezvous store of the previous attempt. Joining it failed (its gloo mesh names a leaving process:
exit 1, counted against the Job's backoffLimit). Rank 0 marks its store once every rank is in; a rank that finds
the mark leaves that store and connects again until the new rank 0 listens.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accelerate.utils import DistributedDataParallelKwargs

from tweetbot_trainer.errors import TweetBotTransientError

# What a collective or the store says when the other end went away (gloo, the TCPStore, NCCL's watchdog).
_PEER_GONE = ("connection closed by peer", "connection reset by peer", "broken pipe", "connection refused",
              "socket closed", "communicator was aborted", "watchdog caught collective operation timeout",
              "timed out")
_DIST_ERRORS = {"DistError", "DistBackendError", "DistNetworkError", "DistStoreError"}
FORMED_KEY = "tweetbot/formed"  # set by rank 0 once every rank is in: a store with it is an earlier attempt's
JOINED_KEY = "tweetbot/joined"  # /<rank>: that rank found a store of this attempt
STALE_RETRY_SECONDS = 1.0


def world_size(environ: Mapping[str, str] = os.environ) -> int:
    return int(environ.get("WORLD_SIZE", "1"))


def global_rank(environ: Mapping[str, str] = os.environ) -> int:
    return int(environ.get("RANK", "0"))


def join_group(rendezvous_seconds: float, collective_seconds: float,
               environ: Mapping[str, str] = os.environ) -> None:
    """Rendezvous with the other processes (a no-op alone, or when the group exists). The wait for peers is
    `rendezvous_seconds` (a cold node may pull a multi-GB image first); a peer that does not come is a
    RendezvousFailed error (exit code 1: the Job's next attempt may find it). Every collective after is bounded
    by `collective_seconds`, so a dead peer ends in an error instead of a hang."""
    import torch
    import torch.distributed as dist

    if world_size(environ) <= 1 or dist.is_initialized():
        return
    backend = "gloo"
    if torch.cuda.is_available():
        torch.cuda.set_device(int(environ.get("LOCAL_RANK", "0")))  # NCCL binds each rank to its own GPU
        backend = "nccl"
    rank, world = int(environ.get("RANK", "0")), world_size(environ)
    master = f"{environ.get('MASTER_ADDR')}:{environ.get('MASTER_PORT')}"
    deadline = time.monotonic() + rendezvous_seconds
    try:  # the store first, with its own timeout: init_process_group's would also be every collective's
        store = _store_of_this_attempt(environ, rank, world, deadline)
        dist.init_process_group(backend, store=store, rank=rank, world_size=world,
                                timeout=timedelta(seconds=collective_seconds))
        if rank == 0:  # every rank has checked the store before the mark (NCCL's init does not wait for them)
            store.wait([f"{JOINED_KEY}/{r}" for r in range(1, world)], _left(deadline))
            store.set(FORMED_KEY, "1")
    except RuntimeError as exc:  # torch's DistError family is RuntimeError's
        raise TweetBotTransientError(
            "RendezvousFailed", f"process {rank} of {world} could not join the training group at master "
            f"{master} within {rendezvous_seconds:g} s (--rendezvous-timeout): {exc}") from exc


def is_peer_loss(exc: BaseException, environ: Mapping[str, str] = os.environ) -> bool:
    """A collective or store failure of a group process: the other end stopped or vanished, or the group's
    transport failed (reason PeerLost; still exit code 1, counted: a pod's own NCCL failure looks the same from
    every pod). Best effort: torch's error types and messages."""
    if world_size(environ) <= 1:
        return False
    seen: BaseException | None = exc
    while seen is not None:
        names = {cls.__name__ for cls in type(seen).__mro__}
        text = str(seen).lower()
        if names & _DIST_ERRORS or (("gloo" in text or "nccl" in text or "store" in text) and any(
                marker in text for marker in _PEER_GONE)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _left(deadline: float) -> timedelta:
    return timedelta(seconds=max(deadline - time.monotonic(), 1.0))


def _store_of_this_attempt(environ: Mapping[str, str], rank: int, world: int, deadline: float) -> Any:
    """Rank 0's store (this process's, on rank 0), not one an earlier attempt's rank 0 still holds."""
    import torch.distributed as dist

    addr, port = str(environ.get("MASTER_ADDR")), int(environ.get("MASTER_PORT", "0"))
    while True:
        store = dist.TCPStore(addr, port, world, is_master=rank == 0, timeout=_left(deadline),
                              wait_for_workers=True)
        if rank == 0 or not store.check([FORMED_KEY]):
            break
        del store  # closes the connection to the old group's store
        if time.monotonic() + STALE_RETRY_SECONDS > deadline:
            raise RuntimeError("the store there is an earlier attempt's, whose process 0 has not left")
        time.sleep(STALE_RETRY_SECONDS)
    if rank != 0:
        store.set(f"{JOINED_KEY}/{rank}", "1")
    return store


def ddp_kwargs(grad_accum: int, *, compiled: bool) -> DistributedDataParallelKwargs:
    """How accelerate wraps the model in DDP. gradient_as_bucket_view: the gradients are views into DDP's
    all-reduce buckets, not a second copy of every gradient (memory, and a copy a step). broadcast_buffers off:
    the models' buffers (rotary frequencies, masks) are computed alike on every rank and never trained, so
    rank 0's copy sent before every forward is wasted. static_graph (the graph is traced once) only without
    gradient accumulation, DDP's static graph breaks under no_sync (pytorch/pytorch#143580,
    huggingface/accelerate#3679), and eager: dynamo's DDPOptimizer is not known to work with it
    (pytorch/pytorch#109261)."""
    from accelerate.utils import DistributedDataParallelKwargs

    return DistributedDataParallelKwargs(gradient_as_bucket_view=True, broadcast_buffers=False,
                                         static_graph=grad_accum == 1 and not compiled)
