"""The training plan (train/plan.py, `tweetbot-train plan`): an 8B Llama LoRA on 80 GB never planned above the
GPU's memory (issue 25: the fp32 base, autocast's copies and undercounted activations planned 83 GiB), every
term counted, the CLI's JSON and table, and the frozen base in bf16 where the device has bf16."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from tweetbot_trainer.cli import main as cli_main
from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.train.hardware import frozen_base_dtype
from tweetbot_trainer.train.lora import apply_lora, parameter_counts
from tweetbot_trainer.train.memory import MEMORY_HEADROOM, GiB, ModelSize
from tweetbot_trainer.train.plan import TERMS, plan_training
from tweetbot_trainer.train.shapes import gpu_memory, meta_model, model_config

from tests.fixtures.trainer_models import build_tiny_llama

LORA = TrainConfig(lora_rank=16)


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_llama(tmp_path_factory.mktemp("llama") / "model")


def llama_8b_lora(frozen_bytes: int) -> ModelSize:
    config = model_config("llama-3-8b")
    total, trainable = parameter_counts(apply_lora(meta_model(config), LORA))  # config only: no weights
    return ModelSize.of(config, total, trainable, frozen_bytes=frozen_bytes)


def test_an_8b_lora_on_80gb_is_planned_within_the_gpu() -> None:
    _name, free, bf16 = gpu_memory("h100")
    assert bf16 and 79 * GiB < free < 80 * GiB
    assert frozen_base_dtype(16, "bf16", native_bf16=True) == torch.bfloat16
    plan = plan_training(llama_8b_lora(2), LORA, model="llama-3-8b", gpu="h100", free_bytes=free,
                         precision="bf16", n_blocks=200, block_size=1024, world=1, cuda=True)
    assert plan.total_bytes <= free * MEMORY_HEADROOM  # the margin kept
    assert 14.5 * GiB < plan.terms["weights"] < 15.5 * GiB  # bf16 base, fp32 adapters
    assert plan.terms["autocastCopies"] < 0.1 * GiB  # nothing to cast
    # Activations at about 47 bytes a token, layer and hidden unit, not GPT-2's 34.
    assert plan.terms["activations"] >= plan.micro * 1024 * 32 * 4096 * 42
    assert plan.global_batch == 6 and plan.steps_per_epoch >= 32
    assert set(plan.terms) == set(TERMS)


def test_an_fp32_base_counts_its_autocast_copies_and_plans_less() -> None:
    """What the run did before: the fp32 base's plan must count the bf16 copies and still fit."""
    _name, free, _bf16 = gpu_memory("h100")
    plan = plan_training(llama_8b_lora(4), LORA, model="llama-3-8b", gpu="h100", free_bytes=free,
                         precision="bf16", n_blocks=200, block_size=1024, world=1, cuda=True)
    assert plan.terms["weights"] > 29 * GiB and plan.terms["autocastCopies"] > 14 * GiB
    assert plan.total_bytes <= free * MEMORY_HEADROOM
    assert frozen_base_dtype(16, "fp16", native_bf16=False) == torch.float32  # T4/V100: fp32 base, GradScaler
    assert frozen_base_dtype(0, "bf16", native_bf16=True) == torch.float32  # full fine-tune: fp32 masters


def test_ddp_buckets_count_with_several_processes() -> None:
    _name, free, _bf16 = gpu_memory("a100-40gb")
    config = model_config("gpt2")
    total, _ = parameter_counts(meta_model(config))
    size = ModelSize.of(config, total)
    one, four = (plan_training(size, TrainConfig(), model="gpt2", gpu="a100-40gb", free_bytes=free,
                               precision="bf16", n_blocks=10_000, block_size=1024, world=w, cuda=True)
                 for w in (1, 4))
    assert one.terms["ddpBuckets"] == 0 and four.terms["ddpBuckets"] == 4 * total


def test_the_plan_command_prints_json_and_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["plan", "--base-model", "llama-3-8b", "--gpu", "80", "--tokens", "204800",
                     "--lora-rank", "16"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["baseDtype"] == "bfloat16" and plan["blocks"] == 200 and plan["totalGiB"] <= plan["usableGiB"]
    assert set(plan["memoryGiB"]) == set(TERMS)
    assert cli_main(["plan", "--base-model", "gpt2", "--base-model", "smollm2-135m", "--gpu", "l4", "--gpu", "h200",
                     "--blocks", "50", "--output", "table"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 + 4 and "| gpt2 | l4 |" in lines[2]


def test_the_plan_command_reads_a_model_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "gpt2", "n_layer": 2, "n_embd": 64,
                                                      "n_head": 2, "vocab_size": 1000, "n_positions": 128}))
    assert cli_main(["plan", "--base-model", str(tmp_path), "--gpu", "t4", "--blocks", "64"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["precision"] == "fp16" and plan["blockSize"] == 128 and plan["baseDtype"] == "float32"


def test_an_unknown_gpu_is_an_input_error() -> None:
    with pytest.raises(TweetBotInputError) as raised:
        gpu_memory("abacus")
    assert "abacus" not in raised.value.message


def test_a_lora_base_loads_in_bf16_with_fp32_adapters_and_trains(tiny_llama: Path) -> None:
    from tweetbot_trainer.train.phases import load_base

    config = TrainConfig(lora_rank=4)
    model, _tok = load_base(str(tiny_llama), config, "bf16", native_bf16=True)
    frozen = {p.dtype for p in model.parameters() if not p.requires_grad}
    adapters = {p.dtype for p in model.parameters() if p.requires_grad}
    assert frozen == {torch.bfloat16} and adapters == {torch.float32}
    before = [p.detach().clone() for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    x = torch.randint(0, 100, (2, 16))
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss = model(input_ids=x, labels=x).loss
    loss.backward()
    optimizer.step()
    assert torch.isfinite(loss)
    after = [p for p in model.parameters() if p.requires_grad]
    assert any(not torch.equal(a, b) for a, b in zip(before, after, strict=True))
    full, _ = load_base(str(tiny_llama), TrainConfig(), "bf16", native_bf16=True)
    assert {p.dtype for p in full.parameters()} == {torch.float32}
