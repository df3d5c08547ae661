"""LoRA runs end to end on tiny models against the real S3 test server: a GPT-2 and a Llama with a tokenizer that
is not GPT-2's (SmolLM2's), the adapter and the merged model both load and generate, only a small fraction of the
parameters trains, an adapter-only run, and a bf16 checkpoint as the base model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import torch
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer
from tweetbot_trainer.cli import main as cli_main
from tweetbot_trainer.s3 import S3Uri, download_prefix

from tests.fixtures.trainer_models import (
    build_tiny,
    build_tiny_llama,
    json_events,
    sigterm_after_step,
    trainer_env,
    write_prepared,
)

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("s3_env")]
FAST = ["--max-steps", "8", "--block-size", "64", "--batch-size", "4", "--learning-rate", "1e-3"]


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_llama(tmp_path_factory.mktemp("llama") / "model")


@pytest.fixture(scope="module")
def tiny_gpt2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("gpt2") / "model", n_positions=128)


def _train(tmp_path: Path, base: Path, bucket: str, run_id: str, *extra: str) -> Path:
    """Trains, downloads the finished run folder and returns it."""
    data = write_prepared(tmp_path / "data")
    code = cli_main(["train", "--data", str(data), "--base-model", str(base), "--output", f"s3://{bucket}/bots/",
                     "--run-id", run_id, *FAST, "--termination-log", str(tmp_path / "termination"), *extra])
    assert code == 0
    folder = tmp_path / "run"
    from tweetbot_trainer.s3 import make_client

    download_prefix(make_client(), S3Uri.parse(f"s3://{bucket}/bots/{run_id}/"), folder)
    return folder


def _generate(model: Any, tokenizer: Any) -> str:
    inputs = tokenizer(tokenizer.eos_token + "My dream is", return_tensors="pt", add_special_tokens=False)
    out = model.generate(**inputs, max_new_tokens=8, do_sample=False, pad_token_id=tokenizer.eos_token_id)
    assert out.shape[1] > inputs["input_ids"].shape[1]
    return str(tokenizer.decode(out[0]))


@pytest.mark.parametrize("arch", ["llama", "gpt2"])
def test_lora_run_publishes_an_adapter_and_the_merged_model(arch: str, tmp_path: Path, s3_bucket: str,
                                                           request: pytest.FixtureRequest) -> None:
    base = request.getfixturevalue(f"tiny_{arch}")
    run = _train(tmp_path, base, s3_bucket, f"{arch}-g1", "--lora-rank", "8", "--lora-alpha", "16")
    metrics = json.loads((run / "metrics.json").read_text())
    assert (metrics["published"], metrics["loraRank"]) == ("model", 8)  # the merged model is served
    assert 0 < metrics["trainableParameters"] < 0.1 * metrics["parameters"]
    assert metrics["peakGpuMemoryBytes"] is None  # CPU
    assert metrics["parameterDtype"] == "float32"
    assert metrics["evalLoss"] < metrics["evalLossBefore"]

    tokenizer = AutoTokenizer.from_pretrained(run)
    merged = AutoModelForCausalLM.from_pretrained(run)  # the top of the folder: a plain transformers model
    adapted = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base), run / "adapter")
    adapter_config = json.loads((run / "adapter" / "adapter_config.json").read_text())
    assert adapter_config["base_model_name_or_path"] == str(base) and adapter_config["r"] == 8
    ids = tokenizer(tokenizer.eos_token + "coffee loves", return_tensors="pt", add_special_tokens=False)["input_ids"]
    with torch.no_grad():  # merging changes nothing the model computes
        torch.testing.assert_close(merged(ids).logits, adapted(ids).logits, atol=1e-4, rtol=1e-4)
        assert not torch.allclose(merged(ids).logits, AutoModelForCausalLM.from_pretrained(base)(ids).logits)
    _generate(merged, tokenizer)
    _generate(adapted, tokenizer)
    assert merged.config.prefix == tokenizer.eos_token  # the pipeline's prompts follow the posts' separator

    card = (run / "README.md").read_text()
    assert "| LoRA rank | 8 |" in card and "| LoRA alpha | 16 |" in card
    assert f"joined by `{tokenizer.eos_token}`" in card
    assert "pipeline('text-generation'" in card


def test_llama_tokenizer_posts_are_joined_by_its_eos_without_bos(tiny_llama: Path) -> None:
    from tweetbot_trainer.train.blocks import tokenize_posts
    from tweetbot_trainer.train.model_loading import load_model_and_tokenizer

    _model, tokenizer = load_model_and_tokenizer(str(tiny_llama))
    assert tokenizer.pad_token == tokenizer.eos_token == "<|im_end|>"  # saved without a pad token
    assert tokenizer.chat_template  # there, and ignored: the posts are plain text
    ids = tokenize_posts("<|endoftext|>a cat<|endoftext|>a dog<|endoftext|>", tokenizer)
    assert ids.count(tokenizer.eos_token_id) == 3 and tokenizer.bos_token_id not in ids
    assert "endoftext" not in tokenizer.decode(ids)


def test_no_merge_keeps_only_the_adapter_and_the_card_says_how_to_load_it(tmp_path: Path, tiny_gpt2: Path,
                                                                          s3_bucket: str) -> None:
    run = _train(tmp_path, tiny_gpt2, s3_bucket, "adapter-g1", "--lora-rank", "4", "--no-merge")
    assert not (run / "model.safetensors").exists()
    assert (run / "adapter" / "adapter_model.safetensors").is_file()
    card = (run / "README.md").read_text()
    assert "AutoPeftModelForCausalLM.from_pretrained" in card and "LoRA adapter only" in card
    assert len(json.loads((run / "predictions.json").read_text())) > 0  # sampled from base + adapter
    # What it published, for the operator to serve it as base + adapter (status.lastSuccessfulRun).
    report = json.loads((tmp_path / "termination").read_text())
    published = {"published": "adapter", "baseModel": str(tiny_gpt2), "loraRank": 4}
    assert {key: report[key] for key in published} == published
    assert {key: json.loads((run / "metrics.json").read_text())[key] for key in published} == published


def test_a_bf16_checkpoint_trains_with_fp32_master_weights(tmp_path: Path, s3_bucket: str) -> None:
    base = build_tiny_llama(tmp_path / "bf16", dtype=torch.bfloat16)
    assert json.loads((base / "config.json").read_text())["dtype"] == "bfloat16"
    run = _train(tmp_path, base, s3_bucket, "bf16-g1")
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["parameterDtype"] == "float32"
    assert metrics["trainableParameters"] == metrics["parameters"]  # a full fine-tune
    assert metrics["evalLoss"] < metrics["evalLossBefore"]
    AutoModelForCausalLM.from_pretrained(run)


def test_lora_resume_from_its_s3_checkpoint_equals_an_uninterrupted_run(
    tmp_path: Path, tiny_llama: Path, s3_bucket: str, s3_env: dict[str, str], s3_client: Any
) -> None:
    data = write_prepared(tmp_path / "data", n_train=300)
    env = trainer_env(s3_env)

    def command(run_id: str) -> list[str]:
        return [sys.executable, "-m", "tweetbot_trainer.cli", "train", "--data", str(data), "--base-model",
                str(tiny_llama), "--output", f"s3://{s3_bucket}/bots/", "--run-id", run_id, "--lora-rank", "8",
                "--max-steps", "12", "--block-size", "64", "--batch-size", "4",
                "--termination-log", str(tmp_path / f"{run_id}.log")]

    straight = subprocess.Popen(command("straight-g1"), env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
    proc = subprocess.Popen(command("resume-g1"), env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    seen = sigterm_after_step(proc, 3)
    assert proc.wait(timeout=300) == 143
    stopped_at = next(e["step"] for e in seen if e["event"] == "checkpoint")
    checkpoint = s3_client.list_objects_v2(Bucket=s3_bucket, Prefix=f"bots/resume-g1/checkpoints/step-{stopped_at}/")
    sizes = {o["Key"].rsplit("/", 1)[1]: o["Size"] for o in checkpoint["Contents"]}
    base_bytes = (tiny_llama / "model.safetensors").stat().st_size
    assert sizes["model.pt"] < base_bytes / 20  # only the adapter, not the frozen base model
    assert sizes["optimizer.pt"] < base_bytes / 10

    resumed = subprocess.run(command("resume-g1"), env=env, capture_output=True, text=True, timeout=300, check=False)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert any(e.get("event") == "checkpoint" and "(resumed)" in e["uri"] for e in json_events(resumed.stdout))
    _, err = straight.communicate(timeout=300)
    assert straight.returncode == 0, err[-3000:]

    def manifest_sha(run_id: str, path: str) -> str:
        body = s3_client.get_object(Bucket=s3_bucket, Key=f"bots/{run_id}/manifest.json")["Body"].read()
        return next(f["sha256"] for f in json.loads(body)["files"] if f["path"] == path)

    for path in ("adapter/adapter_model.safetensors", "model.safetensors"):
        assert manifest_sha("resume-g1", path) == manifest_sha("straight-g1", path)
    metrics = [json.loads(s3_client.get_object(Bucket=s3_bucket, Key=f"bots/{r}/metrics.json")["Body"].read())
               for r in ("resume-g1", "straight-g1")]
    assert metrics[0]["losses"] == metrics[1]["losses"] and metrics[0]["evalLoss"] == metrics[1]["evalLoss"]
