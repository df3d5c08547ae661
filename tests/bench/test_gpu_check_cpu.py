"""`bench/gpu_check.sh --cpu`, as CI runs it: the GPU check's code paths stay working without a GPU (tiny shapes,
a step or two; the numbers are not the point). One JSON: GPT-2 with the run's plan, the LoRA production path with
its plan and estimate, the 8B-shaped LoRA plan within an 80 GB GPU, the report cadence's measurement and the
quality measure's cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_gpu_check_cpu_writes_one_json(tmp_path: Path) -> None:
    out = tmp_path / "gpu_check.json"
    env = {**os.environ, "PYTHON": sys.executable}
    done = subprocess.run([str(REPO / "bench" / "gpu_check.sh"), "--cpu", "--out", str(out)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["mode"] == "cpu" and result["failed"] == []
    assert result["gpt2_full"]["tokens_per_s"] > 0 and result["gpt2_full"]["plan"]["microBatch"] >= 1
    lora = result["llama_lora_tiny"]
    assert lora["tokens_per_s"] > 0 and lora["estimate_bytes"] > 0 and lora["plan"]["trainableParameters"] > 0
    cadence = result["compile_check"]["cadence"]  # host syncs every step against the run's cadence
    assert cadence["report_every"] >= 10 and cadence["tokens_per_s_sync_every_step"] > 0
    assert cadence["tokens_per_s_at_cadence"] > 0
    plan_8b = result["llama_8b_lora_plan"]
    assert plan_8b["baseDtype"] == "bfloat16" and plan_8b["totalGiB"] <= plan_8b["usableGiB"]
    quality = result["quality_cost"]  # bench/quality_cost.py on a tiny model: every metric timed
    assert set(quality["secondsPerMetric"]) == {"generateBase", "generateBot", "style", "memorization", "variety",
                                                 "language", "noRepeat"}
    assert quality["generations"] == 6 and quality["fineTuneSteps"] == 1
