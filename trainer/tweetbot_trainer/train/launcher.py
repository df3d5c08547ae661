"""One training process per GPU: the launcher that `run` and `train` become with `--nproc-per-node N`.

It starts N copies of the same command as workers (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR/PORT: what
torch.distributed's env:// rendezvous and accelerate read; NCCL on GPUs, gloo on CPU), forwards SIGTERM to all of
them, stops the others when one fails (so none hangs in a collective), and ends with an exit code that keeps the
meaning of the workers' own (docs/design.md: 2 input error, 143 checkpointed after SIGTERM, 1 worth a retry).
torchrun is not used for this one node: it turns every worker failure into exit code 1 and gives workers a fixed
30 s after SIGTERM, shorter than a checkpoint upload of a big model.
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

from tweetbot_trainer.errors import INPUT_ERROR_EXIT_CODE, TRANSIENT_ERROR_EXIT_CODE

SIGTERM_EXIT_CODE = 143
# How long the other workers get to stop on their own once one has failed, before SIGKILL.
FAILURE_GRACE_SECONDS = 30.0


def is_worker(environ: Mapping[str, str] = os.environ) -> bool:
    """True inside a worker the launcher (or torchrun, or accelerate launch) started."""
    return "LOCAL_RANK" in environ


def worker_environment(base: Mapping[str, str], rank: int, world: int, master_port: int) -> dict[str, str]:
    return {
        **base,
        "RANK": str(rank),
        "LOCAL_RANK": str(rank),
        "WORLD_SIZE": str(world),
        "LOCAL_WORLD_SIZE": str(world),
        "MASTER_ADDR": "127.0.0.1",
        "MASTER_PORT": str(master_port),
        # One process per core would oversubscribe the CPU N times over.
        "OMP_NUM_THREADS": base.get("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // world))),
    }


def combined_exit_code(codes: Sequence[int]) -> int:
    """The launcher's exit code from its workers': an input error anywhere wins (no retry fixes it), then a
    failure worth a retry, then the SIGTERM checkpoint (143); 0 only when every worker finished."""
    if all(code == 0 for code in codes):
        return 0
    if INPUT_ERROR_EXIT_CODE in codes:
        return INPUT_ERROR_EXIT_CODE
    if all(code in (0, SIGTERM_EXIT_CODE) for code in codes):
        return SIGTERM_EXIT_CODE
    return TRANSIENT_ERROR_EXIT_CODE


def chosen_message(code: int, codes: Sequence[int], messages: Sequence[str | None]) -> str:
    """The termination message for the launcher's exit code: that of the first worker that ended with it (rank 0
    first, so success and SIGTERM read as one process's would), else one naming the failed worker."""
    for worker_code, message in zip(codes, messages, strict=True):
        if worker_code == code and message:
            return message
    failed = [(r, c) for r, c in enumerate(codes) if c != 0]
    rank, worker_code = next(((r, c) for r, c in failed if c == code), failed[0])
    return json.dumps({"status": "failed", "reason": "WorkerFailed",
                       "message": f"training process {rank} of {len(codes)} exited with code {worker_code} "
                                  "without saying why (its log has the details)"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def launch(argv: Sequence[str], nproc: int, extra_env: Mapping[str, str] | None = None) -> tuple[int, list[int]]:
    """Runs `tweetbot-train <argv>` as `nproc` workers; (combined exit code, each worker's exit code)."""
    base = {**os.environ, **(extra_env or {})}
    port = free_port()
    command = [sys.executable, "-m", "tweetbot_trainer.cli", *argv]
    workers = [subprocess.Popen(command, env=worker_environment(base, rank, nproc, port)) for rank in range(nproc)]
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
    return combined_exit_code(codes), codes


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
