"""Joining the training group across nodes, and telling a lost peer from a process's own failure.

The group forms by torch's env:// rendezvous (a TCPStore on MASTER_ADDR:MASTER_PORT, rank 0's), as PyTorchJob's
pods do. Two timeouts: the wait for peers (--rendezvous-timeout, long enough for a cold node's image pull) and
every collective after (--collective-timeout: gloo's and NCCL's watchdog), so a dead peer ends in an error
instead of a hang.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accelerate.utils import DistributedDataParallelKwargs

from tweetbot_trainer.errors import TweetBotTransientError

# What a collective or the store says when the other end went away (gloo, the TCPStore, NCCL's watchdog).
_PEER_GONE = ("connection closed by peer", "connection reset by peer", "broken pipe", "connection refused",
              "socket closed", "communicator was aborted", "watchdog caught collective operation timeout",
              "timed out")
_DIST_ERRORS = {"DistError", "DistBackendError", "DistNetworkError", "DistStoreError"}


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
    try:  # the store first, with its own timeout: init_process_group's would also be every collective's
        store = dist.TCPStore(str(environ.get("MASTER_ADDR")), int(environ.get("MASTER_PORT", "0")), world,
                              is_master=rank == 0, timeout=timedelta(seconds=rendezvous_seconds),
                              wait_for_workers=True)
        dist.init_process_group(backend, store=store, rank=rank, world_size=world,
                                timeout=timedelta(seconds=collective_seconds))
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
