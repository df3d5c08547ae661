"""The training benchmark runs on CPU with bf16 (the path that crashed on bf16 GPUs: HF Trainer first left
accelerate's process-wide state at mixed_precision="no"). It checks that the bench works, not how fast it is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_bench_runs_both_sides_with_bf16(tmp_path: Path) -> None:
    out = tmp_path / "train_throughput.json"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "train_throughput.py"), "--precision", "bf16",
                           "--model-size", "tiny", "--block-size", "128", "--steps", "1", "--warmup", "1",
                           "--rounds", "1", "--out", str(out)], capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["ours"]["mixed_precision"] == "bf16" and result["recipe"]["precision"] == "fp32"
    assert result["ours"]["tokens_per_s"] > 0 and result["recipe"]["tokens_per_s"] > 0
    assert len(result["rounds"]["ours_tokens_per_s"]) == 1 and result["speedup"] > 0
