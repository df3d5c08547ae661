"""One training process per GPU: the launcher that `run` and `train` become with `--nproc-per-node N`.

It starts N copies of the same command as workers (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR/PORT: what
torch.distributed's env:// rendezvous and accelerate read; NCCL on GPUs, gloo on CPU), forwards SIGTERM to all of
them, stops the others when one fails (so none hangs in a collective), and ends with an exit code that keeps the
meaning of the workers' own (docs/design.md: 2 input error, 143 checkpointed after SIGTERM, 1 worth a retry).
torchrun is not used for this one node: it turns every worker failure into exit code 1 and gives workers a fixed
30 s after SIGTERM, shorter than a checkpoint upload of a big model.

Across nodes (`--nnodes N`, one launcher per pod of an Indexed Job) each launcher starts its node's workers with
global ranks `node_rank * G + local_rank` and the master address and port of the flags: torch's env:// static
rendezvous, as PyTorchJob does. Exit code 75 means "stopped at a checkpoint because another process of the group
got SIGTERM: resume" (uncounted); a lost peer is an ordinary failure (1, counted).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.errors import (
    INPUT_ERROR_EXIT_CODE,
    PEER_EXIT_CODE,
    TRANSIENT_ERROR_EXIT_CODE,
    TweetBotInputError,
)

SIGTERM_EXIT_CODE = 143
# How long the other workers get to stop on their own once one has failed, before SIGKILL.
FAILURE_GRACE_SECONDS = 30.0


def is_worker(environ: Mapping[str, str] = os.environ) -> bool:
    """True inside a worker the launcher (or torchrun, or accelerate launch) started."""
    return "LOCAL_RANK" in environ


@dataclass(frozen=True)
class Nodes:
    """The training group as this launcher sees it: `nproc` workers here, on node `node_rank` of `nnodes`."""

    nproc: int = 1
    nnodes: int = 1
    node_rank: int = 0
    master_addr: str = "127.0.0.1"
    master_port: int = 29500

    @property
    def world(self) -> int:
        return self.nnodes * self.nproc

    def ranks(self) -> range:
        """The global ranks of this node's workers."""
        return range(self.node_rank * self.nproc, (self.node_rank + 1) * self.nproc)


def nodes_of(config: TrainConfig) -> Nodes:
    if config.node_rank >= config.nnodes:
        raise TweetBotInputError("BadNodeRank", f"--node-rank {config.node_rank} is not below --nnodes {config.nnodes}")
    return Nodes(config.nproc_per_node, config.nnodes, config.node_rank, config.master_addr, config.master_port)


def launches(config: TrainConfig) -> bool:
    """This process is a launcher (not itself a worker): several processes here, or several nodes."""
    return (config.nproc_per_node > 1 or config.nnodes > 1) and not is_worker()


def worker_environment(base: Mapping[str, str], nodes: Nodes, local_rank: int, master_port: int) -> dict[str, str]:
    """What torch's env:// rendezvous (and accelerate) read; one node alone rendezvouses on loopback at
    `master_port` (a free one), several at the master of the flags."""
    several = nodes.nnodes > 1
    return {
        **base,
        "RANK": str(nodes.ranks()[local_rank]),
        "LOCAL_RANK": str(local_rank),
        "WORLD_SIZE": str(nodes.world),
        "LOCAL_WORLD_SIZE": str(nodes.nproc),
        "GROUP_RANK": str(nodes.node_rank),
        "NODE_RANK": str(nodes.node_rank),
        "MASTER_ADDR": nodes.master_addr if several else "127.0.0.1",
        "MASTER_PORT": str(nodes.master_port if several else master_port),
        # NCCL: a collective that a dead peer never joins aborts at the group's timeout instead of hanging.
        "TORCH_NCCL_ASYNC_ERROR_HANDLING": base.get("TORCH_NCCL_ASYNC_ERROR_HANDLING", "1"),
        # One process per core would oversubscribe the CPU N times over.
        "OMP_NUM_THREADS": base.get("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // nodes.nproc))),
    }


def combined_exit_code(codes: Sequence[int], terminated: bool = False) -> int:
    """The launcher's (the pod's) exit code from its workers': an input error anywhere wins (no retry fixes it),
    then any other failure (a lost peer's 1, a signal such as NCCL's SIGABRT: counted, worth a retry); then 143
    when this pod got SIGTERM (or its workers stopped on one) and 75 when they stopped for another pod's SIGTERM
    (some 75; the others SIGTERMed by this launcher after it, or done); 0 only when every worker finished."""
    if all(code == 0 for code in codes):
        return 0
    if INPUT_ERROR_EXIT_CODE in codes:
        return INPUT_ERROR_EXIT_CODE
    if any(code not in (0, SIGTERM_EXIT_CODE, PEER_EXIT_CODE) for code in codes):
        return TRANSIENT_ERROR_EXIT_CODE
    if terminated or PEER_EXIT_CODE not in codes:
        return SIGTERM_EXIT_CODE
    return PEER_EXIT_CODE


def chosen_message(code: int, codes: Sequence[int], messages: Sequence[str | None], nodes: Nodes | None = None) -> str:
    """The termination message for the launcher's exit code: that of the first worker that ended with it (rank 0
    first, so success and SIGTERM read as one process's would), else one naming the failed worker."""
    for worker_code, message in zip(codes, messages, strict=True):
        if worker_code == code and message:
            return message
    nodes = nodes or Nodes(nproc=len(codes))
    failed = [(r, c) for r, c in zip(nodes.ranks(), codes, strict=True) if c != 0]
    rank, worker_code = next(((r, c) for r, c in failed if c == code), failed[0])
    return json.dumps({"status": "failed", "reason": "WorkerFailed",
                       "message": f"training process {rank} of {nodes.world} exited with code {worker_code} "
                                  "without saying why (its log has the details)"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def launch(argv: Sequence[str], nodes: Nodes, extra_env: Mapping[str, str] | None = None) -> tuple[int, list[int]]:
    """Runs `tweetbot-train <argv>` as this node's workers; (combined exit code, each worker's exit code)."""
    base = {**os.environ, **(extra_env or {})}
    port = free_port() if nodes.nnodes == 1 else nodes.master_port
    command = [sys.executable, "-m", "tweetbot_trainer.cli", *argv]
    workers = [subprocess.Popen(command, env=worker_environment(base, nodes, local, port))
               for local in range(nodes.nproc)]
    terminated = False

    def forward(signum: int, _frame: object) -> None:
        nonlocal terminated
        terminated = True
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        codes = _wait(workers, lambda: terminated)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return combined_exit_code(codes, terminated), codes


def _wait(workers: list[subprocess.Popen[bytes]], terminated: Callable[[], bool]) -> list[int]:
    """Waits for all; the first failure (not after our own SIGTERM) stops the rest: SIGTERM, then SIGKILL."""
    stop_deadline: float | None = None
    while any(w.poll() is None for w in workers):
        failed = any(w.returncode not in (None, 0) for w in workers)
        if failed and stop_deadline is None and not terminated():
            stop_deadline = time.monotonic() + FAILURE_GRACE_SECONDS
            for worker in workers:
                if worker.poll() is None:
                    worker.terminate()
        if stop_deadline is not None and time.monotonic() > stop_deadline:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
        time.sleep(0.1)
    return [_exit_code(w.returncode) for w in workers]


def _exit_code(returncode: int) -> int:
    """A worker killed by a signal reports -N; as a shell would: 128 + N."""
    return 128 - returncode if returncode < 0 else returncode
