"""The LoRA vs full fine-tune benchmark runs on CPU and reports both modes. It checks that the bench works and
that LoRA trains far fewer parameters, not how fast either is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_bench_reports_lora_and_full(tmp_path: Path) -> None:
    out = tmp_path / "lora_throughput.json"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "lora_throughput.py"), "--shape", "tiny",
                           "--block-size", "64", "--steps", "1", "--warmup", "1", "--out", str(out)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())
    full, lora = result["full"], result["lora"]
    assert full["trainable_parameters"] == full["parameters"]
    assert 0 < lora["trainable_parameters"] < 0.1 * lora["parameters"]
    assert full["tokens_per_s"] > 0 and lora["tokens_per_s"] > 0 and lora["peak_memory_bytes"] > 0
