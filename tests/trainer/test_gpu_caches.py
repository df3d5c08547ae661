"""Issue 25, items 7 and 9, on CPU: torch.compile decided by the run's estimated compute time against its compile
time (cold, or warm from the compile cache), the caches on the model cache volume (the image's environment, the
operator's HF_HOME), and s3:// base models kept there (against the real SeaweedFS)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from tweetbot_operator.k8s.container_env import base_env
from tweetbot_trainer.cli import main as cli_main
from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.train import caches
from tweetbot_trainer.train.compile_policy import cache_warm, peak_flops, record_compiled, shape_key
from tweetbot_trainer.train.lora import apply_lora, parameter_counts
from tweetbot_trainer.train.memory import ModelSize
from tweetbot_trainer.train.model_loading import fetch_model_dir
from tweetbot_trainer.train.plan import TrainingPlan, plan_training
from tweetbot_trainer.train.shapes import gpu_memory, meta_model, model_config

from tests.deploy.test_dockerfile import stages


def plan(shape: str, *, blocks: int, epochs: int = 4, lora: int = 0, warm: bool = False, cuda: bool = True,
         mode: str = "auto") -> TrainingPlan:
    config = TrainConfig(lora_rank=lora, epochs=epochs, compile=mode)
    cfg = model_config(shape)
    total, trainable = parameter_counts(apply_lora(meta_model(cfg), config))
    _name, free, _bf16 = gpu_memory("h100")
    return plan_training(ModelSize.of(cfg, total, trainable, frozen_bytes=2 if lora else 4), config, model=shape,
                         gpu="NVIDIA H100 80GB HBM3", free_bytes=free, precision="bf16", n_blocks=blocks,
                         block_size=1024, world=1, cuda=cuda, compile_cache_warm=warm)


def test_compile_pays_by_the_runs_compute_time_not_a_token_count() -> None:
    small = plan("gpt2", blocks=200)  # a big account's posts, 4 epochs: seconds of GPT-2 on an H100
    assert not small.compile and small.compile_estimate is not None
    assert small.compile_estimate.eager_seconds < small.compile_estimate.compile_seconds
    assert plan("gpt2", blocks=20_000).compile  # 80M tokens: minutes of steps, a compile repays itself
    # The same tokens on an 8B LoRA are a hundred times the compute: compiling pays far sooner than for GPT-2.
    assert plan("llama-3-8b", blocks=2_000, lora=16).compile and not plan("gpt2", blocks=2_000).compile
    # A warm compile cache (these shapes compiled before on this volume) makes a mid-sized run pay.
    assert not plan("llama-3.2-1b", blocks=600, lora=16).compile
    assert plan("llama-3.2-1b", blocks=600, lora=16, warm=True).compile
    # Never on CPU; on/off as asked.
    cpu = plan("gpt2", blocks=20_000, cuda=False)
    assert not cpu.compile and cpu.as_json()["compileEstimate"] is None
    assert plan("gpt2", blocks=200, mode="on").compile and not plan("gpt2", blocks=20_000, mode="off").compile
    assert peak_flops("h100") == peak_flops("NVIDIA H100 80GB HBM3") > peak_flops("NVIDIA A100-SXM4-80GB")


def test_the_compile_cache_key_ignores_where_the_model_was_downloaded(tmp_path: Path) -> None:
    one, other = model_config("gpt2"), model_config("gpt2")
    one._name_or_path, other._name_or_path = "/tmp/tweetbot-a/base-model", "/tmp/tweetbot-b/base-model"
    key = shape_key(one, block_size=1024, micro=8, precision="bf16", lora=False, gpu="H100")
    assert key == shape_key(other, block_size=1024, micro=8, precision="bf16", lora=False, gpu="H100")
    assert key != shape_key(one, block_size=1024, micro=4, precision="bf16", lora=False, gpu="H100")
    env = {"TORCHINDUCTOR_CACHE_DIR": str(tmp_path / "inductor")}
    assert not cache_warm(key, env)
    record_compiled(key, env)
    assert cache_warm(key, env)


def test_compile_caches_default_to_the_model_cache_volume() -> None:
    operator_env = {"HF_HOME": "/cache/huggingface"}  # the operator's, whatever the image
    caches.compile_cache_defaults(operator_env)
    assert operator_env["TORCHINDUCTOR_CACHE_DIR"] == "/cache/torchinductor"
    assert operator_env["TRITON_CACHE_DIR"] == "/cache/triton"
    chosen = {"TWEETBOT_CACHE_DIR": "/data", "TORCHINDUCTOR_CACHE_DIR": "/elsewhere"}
    caches.compile_cache_defaults(chosen)
    assert chosen["TORCHINDUCTOR_CACHE_DIR"] == "/elsewhere" and chosen["TRITON_CACHE_DIR"] == "/data/triton"
    bare: dict[str, str] = {}
    caches.compile_cache_defaults(bare)
    assert bare == {}


def test_the_trainer_image_keeps_its_caches_where_the_operator_mounts_the_volume() -> None:
    [env_line] = [line for line in stages()["trainer"] if line.startswith("ENV ") and "HF_HOME" in line]
    image = dict(re.findall(r"(\w+)=(\S+)", env_line))
    operator = {item["name"]: item["value"] for item in base_env()}
    assert image["HF_HOME"] == operator["HF_HOME"] == "/cache/huggingface"
    assert image["TWEETBOT_CACHE_DIR"] == "/cache"
    assert image["TORCHINDUCTOR_CACHE_DIR"].startswith("/cache/")
    assert image["TRITON_CACHE_DIR"].startswith("/cache/")


@pytest.mark.usefixtures("s3_env")
def test_an_s3_base_model_is_downloaded_once_into_the_cache(tmp_path: Path, s3_bucket: str, s3_client: Any,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    uri = f"s3://{s3_bucket}/models/tiny/"
    assert cli_main(["make-tiny-model", "--out", uri, "--n-positions", "64"]) == 0
    monkeypatch.setenv("TWEETBOT_CACHE_DIR", str(tmp_path / "cache"))
    first = Path(fetch_model_dir(uri, tmp_path / "run-1"))
    assert first.parent == tmp_path / "cache" / caches.MODELS_DIR and (first / "config.json").is_file()
    s3_client.delete_object(Bucket=s3_bucket, Key="models/tiny/config.json")
    s3_client.put_object(Bucket=s3_bucket, Key="models/tiny/config.json", Body=(first / "config.json").read_bytes())
    # The same bytes put again keep their ETag (their MD5): still the cached folder.
    again = Path(fetch_model_dir(uri, tmp_path / "run-2"))
    assert again == first and not (tmp_path / "run-2").exists()  # a warm node: nothing downloaded
    s3_client.put_object(Bucket=s3_bucket, Key="models/tiny/extra.txt", Body=b"new")
    changed = Path(fetch_model_dir(uri, tmp_path / "run-3"))
    assert changed != first and (changed / "extra.txt").read_bytes() == b"new"
    # Unused for a week: pruned when another model comes in.
    old = 1.0
    os.utime(first, (old, old))
    assert caches.prune(first.parent, keep=changed) == [first.name]
    # No writable cache: the run's own folder, as before.
    monkeypatch.setenv("TWEETBOT_CACHE_DIR", "/proc/no-cache-here")
    assert fetch_model_dir(uri, tmp_path / "run-4") == str(tmp_path / "run-4" / "base-model")
