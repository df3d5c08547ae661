"""What a GPU run would hit, shown on CPU: precision choice, fp32 master weights, accelerate's output casts,
checkpoint keys under torch.compile, divergence, micro-batches (issue "GPU training")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch
from accelerate import Accelerator
from accelerate.state import AcceleratorState
from transformers import AutoModelForCausalLM
from tweetbot_trainer.cli import main as cli_main
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.train.checkpoint import TrainState, load_local, save_local
from tweetbot_trainer.train.hardware import pick_precision
from tweetbot_trainer.train.loop import LoopSettings, micro_batches, train_loop
from tweetbot_trainer.train.phases import checkpoint_module, strip_output_casts

from tests.fixtures.trainer_models import build_tiny, write_prepared


@pytest.fixture(autouse=True)
def fresh_accelerator_state() -> Any:
    """accelerate keeps one process-wide state; tests here use several precisions in one process."""
    yield
    AcceleratorState._reset_state(reset_partial_state=True)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("tiny") / "model", n_positions=64)


def test_auto_precision_uses_fp16_where_bf16_is_only_emulated() -> None:
    assert pick_precision("auto", cuda=True, native_bf16=True) == "bf16"  # A100, H100, L4...
    assert pick_precision("auto", cuda=True, native_bf16=False) == "fp16"  # T4, V100
    assert pick_precision("auto", cuda=False, native_bf16=False) == "no"
    assert pick_precision("bf16", cuda=False, native_bf16=False) == "bf16"  # accelerate's CPU bf16
    with pytest.raises(TweetBotInputError):
        pick_precision("fp16", cuda=False, native_bf16=False)


def test_mixed_precision_outputs_stay_half_precision(tiny_model: Path) -> None:
    """accelerate's wrapper casts every output to fp32 (the whole [B, T, vocab] logits); ours does not."""
    accelerator = Accelerator(mixed_precision="bf16", cpu=True)
    model = accelerator.prepare(AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32))
    x = torch.randint(0, 100, (2, 16))
    assert model(input_ids=x).logits.dtype == torch.float32  # accelerate's cast: the copy we avoid
    strip_output_casts(accelerator, model)
    with accelerator.autocast():
        out = model(input_ids=x, labels=x)
    assert out.logits.dtype == torch.bfloat16 and torch.isfinite(out.loss)
    assert next(model.parameters()).dtype == torch.float32


def test_a_compiled_checkpoint_resumes_uncompiled_and_back(tmp_path: Path, tiny_model: Path) -> None:
    accelerator = Accelerator(cpu=True)
    eager = accelerator.prepare(AutoModelForCausalLM.from_pretrained(tiny_model))
    compiled = torch.compile(eager, backend="eager")  # same wrapper (and `_orig_mod.` keys) as inductor's
    assert any(k.startswith("_orig_mod.") for k in compiled.state_dict())
    optimizer = torch.optim.AdamW(eager.parameters())
    saved = save_local(tmp_path / "c", checkpoint_module(accelerator, compiled), optimizer, TrainState(step=1))

    fresh = AutoModelForCausalLM.from_pretrained(tiny_model)
    with torch.no_grad():
        for p in fresh.parameters():
            p.zero_()
    load_local(saved, checkpoint_module(accelerator, fresh), torch.optim.AdamW(fresh.parameters()))
    assert all(torch.equal(a, b) for a, b in zip(fresh.state_dict().values(), eager.state_dict().values(),
                                                 strict=True))
    back = torch.compile(fresh, backend="eager")
    saved_eager = save_local(tmp_path / "e", checkpoint_module(accelerator, fresh), optimizer, TrainState(step=1))
    load_local(saved_eager, checkpoint_module(accelerator, back), torch.optim.AdamW(back.parameters()))


def test_a_diverged_loss_fails_with_its_step_instead_of_publishing(tiny_model: Path) -> None:
    accelerator = Accelerator(cpu=True)
    model = AutoModelForCausalLM.from_pretrained(tiny_model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model, optimizer = accelerator.prepare(model, optimizer)
    blocks = torch.randint(0, 1000, (8, 16))
    settings = LoopSettings(total_steps=6, batch_size=2, learning_rate=1e-3, warmup_steps=0, seed=0,
                            report_every=3)
    state = TrainState()
    train_loop(accelerator, model, optimizer, blocks, settings=settings, state=state)
    assert [s for s, _ in state.losses] == [1, 2, 3, 4, 5, 6]  # every step's loss, synced every 3 steps
    with torch.no_grad():
        next(accelerator.unwrap_model(model).parameters()).fill_(float("nan"))
    settings = LoopSettings(total_steps=12, batch_size=2, learning_rate=1e-3, warmup_steps=0, seed=0,
                            report_every=3)
    with pytest.raises(TweetBotInputError) as caught:
        train_loop(accelerator, model, optimizer, blocks, settings=settings, state=state)
    assert caught.value.reason == "LossDiverged" and "at step 7" in caught.value.message
    assert state.step == 9 and len(state.losses) == 6  # stopped at the first sync; nothing non-finite kept


@pytest.mark.usefixtures("s3_env")
def test_a_diverged_run_exits_2_without_a_manifest(tmp_path: Path, tiny_model: Path, s3_bucket: str,
                                                   s3_client: Any) -> None:
    data = write_prepared(tmp_path / "data", n_train=80, n_eval=20)
    termination = tmp_path / "termination-log"
    code = cli_main(["train", "--data", str(data), "--base-model", str(tiny_model), "--output",
                     f"s3://{s3_bucket}/bots/", "--run-id", "nan-g1", "--max-steps", "8", "--block-size", "32",
                     "--batch-size", "2", "--learning-rate", "1e30", "--termination-log", str(termination)])
    assert code == 2
    message = json.loads(termination.read_text())
    assert message["reason"] == "LossDiverged" and "step" in message["message"]
    keys = {o["Key"] for o in s3_client.list_objects_v2(Bucket=s3_bucket, Prefix="bots/nan-g1/").get("Contents", [])}
    assert "bots/nan-g1/manifest.json" not in keys


def test_micro_batches_split_the_global_batch_exactly() -> None:
    accelerator = Accelerator(cpu=True)
    blocks = torch.arange(40).reshape(20, 2)
    whole = LoopSettings(total_steps=1, batch_size=6, learning_rate=1e-3, warmup_steps=0, seed=3)
    split = LoopSettings(total_steps=1, batch_size=2, learning_rate=1e-3, warmup_steps=0, seed=3, grad_accum=3)
    for step in range(4):
        [one] = micro_batches(blocks, step, whole, accelerator)
        assert torch.equal(torch.cat(micro_batches(blocks, step, split, accelerator)), one)
