"""`--gradient-checkpointing on` really trains with recomputation: the same losses as without it (dropout's
masks are replayed), for a full fine-tune and for LoRA on a frozen embedding, and the published model is a plain
one (its config keeps the KV cache for generation)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tweetbot_trainer.cli import main as cli_main
from tweetbot_trainer.s3 import S3Uri, download_prefix, make_client

from tests.fixtures.trainer_models import build_tiny, build_tiny_llama, write_prepared

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("s3_env")]
FAST = ["--max-steps", "6", "--block-size", "64", "--batch-size", "4", "--learning-rate", "1e-3"]


def _train(tmp_path: Path, base: Path, bucket: str, run_id: str, *extra: str) -> Path:
    data = write_prepared(tmp_path / "data")
    code = cli_main(["train", "--data", str(data), "--base-model", str(base), "--output", f"s3://{bucket}/gc/",
                     "--run-id", run_id, *FAST, "--termination-log", str(tmp_path / f"term-{run_id}"), *extra])
    assert code == 0
    folder = tmp_path / run_id
    download_prefix(make_client(), S3Uri.parse(f"s3://{bucket}/gc/{run_id}/"), folder)
    return folder


@pytest.mark.parametrize("arch", ["gpt2", "llama-lora"])
def test_gradient_checkpointing_trains_the_same_model(arch: str, tmp_path: Path, s3_bucket: str) -> None:
    if arch == "gpt2":
        base, extra = build_tiny(tmp_path / "base"), []
    else:
        base, extra = build_tiny_llama(tmp_path / "base"), ["--lora-rank", "4"]
    plain = _train(tmp_path, base, s3_bucket, f"{arch}-off", "--gradient-checkpointing", "off", *extra)
    recomputed = _train(tmp_path, base, s3_bucket, f"{arch}-on", "--gradient-checkpointing", "on", *extra)
    off, on = (json.loads((run / "metrics.json").read_text()) for run in (plain, recomputed))
    assert off["hyperparameters"]["gradient_checkpointing"] is False
    assert on["hyperparameters"]["gradient_checkpointing"] is True
    assert on["evalLoss"] == pytest.approx(off["evalLoss"], rel=1e-4)
    assert on["evalLoss"] < on["evalLossBefore"]
    config = json.loads((recomputed / "config.json").read_text())
    assert config.get("use_cache", True) is True  # training's switch-off must not reach the published model
