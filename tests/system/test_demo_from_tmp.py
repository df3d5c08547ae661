"""The README's demo from a checkout under /tmp (git clone ... /tmp/x && bash scripts/demo.sh), issue 29 item 8.

The demo's own script, scripts/demo_cluster.py, runs from a copy of this working tree under /tmp, with that copy's
packages: the S3 server, the API emulator, the operator, and the copy's local kubelet, whose host roots are the
copy. The demo's TweetBot names a base model saved inside the copy (a local path starting with /tmp, as the demo's
SmolLM2 folder does); the Job's pod has its own /tmp volume, which the kubelet once mapped over that path, so the
trainer was handed a folder that does not exist and the run failed ("Repo id must be in the form ...").

Cheaper than the demo, on the path the bug broke: the session's tiny GPT-2 in place of SmolLM2 (same kind of local
folder), two training steps, no serving.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.support.s3server import S3Server

REPO = Path(__file__).resolve().parents[2]
# What scripts/demo_cluster.py needs of a checkout (the rest of a clone is docs, the chart, the plugin).
DEMO_PARTS = ("VERSION", "scripts", "tests", "trainer", "operator", "manifests")
SKIP = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", ".demo", ".pytest_cache")


def checkout_under_tmp(parent: Path) -> Path:
    """This working tree's files the demo uses, copied as a clone would hold them (uncommitted edits included)."""
    checkout = parent / "tweetbot"
    checkout.mkdir()
    for part in DEMO_PARTS:
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, checkout / part, ignore=SKIP)
        else:
            shutil.copy2(REPO / part, checkout / part)
    return checkout


def save_base_model(s3: Any, uri: str, folder: Path) -> None:
    """The tiny GPT-2 as plain files in `folder` (what the demo's set-up does with SmolLM2's checkpoint)."""
    bucket, prefix = uri.removeprefix("s3://").split("/", 1)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            target = folder / item["Key"][len(prefix):]
            target.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(bucket, item["Key"], str(target))


def pod_logs(checkout: Path) -> str:
    logs = sorted((checkout / ".demo" / "kubelet").rglob("log"))
    return "\n".join(f"--- {p.relative_to(checkout)}\n{p.read_text(errors='replace')[-3000:]}" for p in logs)


@pytest.mark.slow
def test_the_demo_succeeds_from_a_checkout_under_tmp(s3_server: S3Server, tiny_model_uri: str) -> None:
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="tweetbot-clone-") as tmp:
        checkout = checkout_under_tmp(Path(tmp))
        base_model = checkout / ".demo" / "base-models" / "tiny-gpt2"
        save_base_model(s3_server.client(), tiny_model_uri, base_model)
        assert (base_model / "config.json").is_file() and str(base_model).startswith("/tmp/")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "KUBE"))}
        # The copy's packages, not this checkout's (CI installs them editable from here).
        env.update(PYTHONPATH=f"{checkout / 'trainer'}:{checkout / 'operator'}:{checkout}",
                   HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", OMP_NUM_THREADS="1")
        proc = subprocess.run([sys.executable, "scripts/demo_cluster.py", "--base-model", str(base_model),
                               "--max-steps", "2", "--no-serving", "--timeout", "300"],
                              cwd=checkout, env=env, capture_output=True, text=True, timeout=420, check=False)
        report = f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}\n{pod_logs(checkout)}"
        assert proc.returncode == 0, report
        assert f"baseModel: {base_model}\n" in proc.stdout  # the demo's TweetBot named the folder under /tmp
        assert "Succeeded" in proc.stdout and "model            s3://tweetbot/bots/sample/" in proc.stdout, report
