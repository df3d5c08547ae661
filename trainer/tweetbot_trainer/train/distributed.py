"""Joining the training group across nodes, and telling a lost peer from a process's own failure.

The group forms by torch's env:// rendezvous (a TCPStore on MASTER_ADDR:MASTER_PORT, rank 0's), as PyTorchJob's
pods do. Its timeout bounds both the wait for peers that never come and every collective after (gloo's and
NCCL's watchdog), so a dead peer ends in an error instead of a hang.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta

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


def join_group(timeout_seconds: float, environ: Mapping[str, str] = os.environ) -> None:
    """Rendezvous with the other processes (a no-op alone, or when the group exists); a peer that does not come
    within the timeout is a RendezvousFailed error (exit code 1: the Job's next attempt may find it)."""
    import torch
    import torch.distributed as dist

    if world_size(environ) <= 1 or dist.is_initialized():
        return
    backend = "gloo"
    if torch.cuda.is_available():
        torch.cuda.set_device(int(environ.get("LOCAL_RANK", "0")))  # NCCL binds each rank to its own GPU
        backend = "nccl"
    try:
        dist.init_process_group(backend, init_method="env://", timeout=timedelta(seconds=timeout_seconds))
    except RuntimeError as exc:  # torch's DistError family is RuntimeError's
        master = f"{environ.get('MASTER_ADDR')}:{environ.get('MASTER_PORT')}"
        raise TweetBotTransientError(
            "RendezvousFailed", f"process {environ.get('RANK')} of {world_size(environ)} could not join the "
            f"training group at master {master} within {timeout_seconds:g} s (--rendezvous-timeout): {exc}") from exc


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
