"""After the steps of a run (issue 25, item 8), on CPU: progress without a host sync every step, the model saved
in its base checkpoint's dtype, the samples in one bf16 generate call, the weights uploading while the samples
and card are made (ordering against the real SeaweedFS, not timing), and how DDP is asked to wrap the model."""

from __future__ import annotations

import json
import struct
import time
from pathlib import Path
from typing import Any

import pytest
import torch
from accelerate.state import AcceleratorState
from transformers import AutoModelForCausalLM
from tweetbot_trainer.cli import main as cli_main
from tweetbot_trainer.publish import run_folder
from tweetbot_trainer.train.distributed import ddp_kwargs
from tweetbot_trainer.train.loop import report_every

from tests.fixtures.trainer_models import build_tiny, write_prepared

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt", "special_tokens_map.json")


@pytest.fixture(autouse=True)
def fresh_accelerator_state() -> Any:
    yield
    AcceleratorState._reset_state(reset_partial_state=True)


def safetensors_dtypes(data: bytes) -> set[str]:
    """The tensor dtypes a safetensors file's header names (its first 8 bytes: the header's length)."""
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    return {entry["dtype"] for name, entry in header.items() if name != "__metadata__"}


def test_progress_syncs_the_gpu_every_few_steps_not_every_step() -> None:
    assert report_every(3, cuda=True) == 10 and report_every(400, cuda=True) == 10  # one sync per 10 steps
    assert report_every(100_000, cuda=True) == 500  # long runs: about 200 progress lines
    assert report_every(3, cuda=False) == 1  # a CPU queues nothing: its syncs cost nothing


def test_ddp_keeps_gradients_in_its_buckets_and_a_static_graph_only_eager_without_accumulation() -> None:
    one = ddp_kwargs(grad_accum=1, compiled=False).to_kwargs()
    assert one["gradient_as_bucket_view"] is True and one["broadcast_buffers"] is False
    assert one["static_graph"] is True
    # to_kwargs leaves defaults (static_graph=False) out
    assert "static_graph" not in ddp_kwargs(grad_accum=4, compiled=False).to_kwargs()
    assert "static_graph" not in ddp_kwargs(grad_accum=1, compiled=True).to_kwargs()


@pytest.mark.usefixtures("s3_env")
def test_a_bf16_base_is_published_in_bf16_its_weights_uploading_while_samples_are_made(
        tmp_path: Path, s3_bucket: str, s3_client: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    tiny = build_tiny(tmp_path / "tiny", n_positions=64)
    base = tmp_path / "bf16-model"
    AutoModelForCausalLM.from_pretrained(tiny, dtype=torch.bfloat16).save_pretrained(base)
    for name in TOKENIZER_FILES:
        if (tiny / name).is_file():
            (base / name).write_bytes((tiny / name).read_bytes())
    prefix = "bots/bf16-g1/"
    seen: dict[str, Any] = {"generate": []}
    real_predictions = run_folder.predictions

    def keys() -> set[str]:
        listed = s3_client.list_objects_v2(Bucket=s3_bucket, Prefix=prefix).get("Contents", [])
        return {o["Key"][len(prefix):] for o in listed}

    def watched_predictions(model: Any, *args: Any, **kwargs: Any) -> Any:
        # Bounded wait for the weights in S3: a publish that uploads only after the samples never gets there.
        deadline = time.monotonic() + 30
        while "model.safetensors" not in keys() and time.monotonic() < deadline:
            time.sleep(0.05)
        seen["keys_while_sampling"] = keys()
        generate = model.generate

        def counted(*g_args: Any, **g_kwargs: Any) -> Any:
            seen["generate"].append((torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"),
                                     next(model.parameters()).dtype, g_kwargs["input_ids"].shape[0]))
            return generate(*g_args, **g_kwargs)

        monkeypatch.setattr(model, "generate", counted)
        return real_predictions(model, *args, **kwargs)

    monkeypatch.setattr(run_folder, "predictions", watched_predictions)
    data = write_prepared(tmp_path / "data", n_train=80, n_eval=20)
    code = cli_main(["train", "--data", str(data), "--base-model", str(base), "--output",
                     f"s3://{s3_bucket}/bots/", "--run-id", "bf16-g1", "--max-steps", "3", "--block-size", "32",
                     "--batch-size", "2", "--precision", "bf16", "--termination-log", str(tmp_path / "t")])
    assert code == 0
    assert "model.safetensors" in seen["keys_while_sampling"]  # the upload overlapped the samples
    assert "manifest.json" not in seen["keys_while_sampling"] and "README.md" not in seen["keys_while_sampling"]
    assert {"manifest.json", "README.md", "predictions.json", "loss.png"} <= keys()

    # Saved as the base checkpoint was: bf16 weights and config, though trained as fp32 masters.
    weights = s3_client.get_object(Bucket=s3_bucket, Key=prefix + "model.safetensors")["Body"].read()
    assert safetensors_dtypes(weights) == {"BF16"}
    config = json.loads(s3_client.get_object(Bucket=s3_bucket, Key=prefix + "config.json")["Body"].read())
    assert config["dtype"] == "bfloat16"
    metrics = json.loads(s3_client.get_object(Bucket=s3_bucket, Key=prefix + "metrics.json")["Body"].read())
    assert metrics["mixedPrecision"] == "bf16" and len(metrics["losses"]) == 3  # every step's loss kept
    assert metrics["parameterDtype"] == "float32"  # trained as fp32 masters

    # The samples: one generate call for all prompts (2 each), under the run's bf16 autocast.
    assert seen["generate"] == [(True, torch.bfloat16, torch.bfloat16, 4)]
    predictions = json.loads(s3_client.get_object(Bucket=s3_bucket, Key=prefix + "predictions.json")["Body"].read())
    assert [len(p["samples"]) for p in predictions] == [2, 2, 2, 2]
    assert all(s.startswith(p["prompt"]) for p in predictions for s in p["samples"])

    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert [e["step"] for e in events if e["event"] == "progress"] == [1, 2, 3]  # on a CPU, every step
    # The run logs the plan it trains with, as `tweetbot-train plan` prints it (one JSON line).
    [plan] = [e for e in events if e["event"] == "plan"]
    assert plan["microBatch"] == 2 and plan["precision"] == "bf16" and plan["gpu"] == "cpu"
    assert plan["baseDtype"] == "float32" and plan["usableGiB"] is None
