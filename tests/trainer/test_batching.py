"""The batch plan: global batch from the data, micro-batch from the memory, accumulation in between."""

from __future__ import annotations

from types import SimpleNamespace

from tweetbot_trainer.train.batching import (
    MAX_AUTO_GLOBAL_BATCH,
    MAX_MICRO_BATCH,
    BatchPlan,
    auto_global_batch,
    fit_micro_batch,
    plan_batches,
)

GPT2 = SimpleNamespace(model_type="gpt2", num_hidden_layers=12, hidden_size=768, vocab_size=50257)
GiB = 1024**3


def test_small_data_trains_with_huggingtweets_batch_and_big_data_with_bigger_steps() -> None:
    assert auto_global_batch(30, world=1) == 1  # a typical user's posts: batch 1, as huggingtweets
    assert auto_global_batch(4 * 32, world=1) == 4  # still 32 steps an epoch
    assert auto_global_batch(10_000, world=1) == MAX_AUTO_GLOBAL_BATCH
    assert auto_global_batch(30, world=4) == 4  # one sequence per process at least
    # A multiple of the processes, rounded down: 40 steps an epoch, not 20 (rounding up to 8 did that).
    assert auto_global_batch(5 * 32, world=4) == 4
    assert 192 // auto_global_batch(192, world=4) >= 32  # 48 steps (rounding 6 up to 8 gave 24)
    assert auto_global_batch(160, world=16) == 16  # too few blocks for 32 steps: one per process still


def test_an_explicit_micro_batch_keeps_its_meaning() -> None:
    assert plan_batches(1000, 2, micro=8) == BatchPlan(micro=8, accum=1, world=2)


def test_accumulation_makes_up_what_memory_does_not_fit() -> None:
    plan = plan_batches(10_000, 2, global_batch=64, fits=6)
    assert plan.micro <= 6 and plan.global_batch >= 64 and plan.accum == 6
    assert plan_batches(10_000, 1, global_batch=64, fits=64) == BatchPlan(64, 1, 1)
    assert plan_batches(10_000, 1, micro=4, global_batch=16) == BatchPlan(4, 4, 1)  # both set: both honoured


def test_fit_micro_batch_from_the_device_memory() -> None:
    # GPT-2 124M, 1024 tokens, bf16: about 0.85 GB a sequence, 2 GB of model states.
    assert fit_micro_batch(GPT2, 124_000_000, 1024, 80 * GiB, half=True) == MAX_MICRO_BATCH  # H100
    sixteen = fit_micro_batch(GPT2, 124_000_000, 1024, 16 * GiB, half=True)  # V100 16 GB
    assert 8 <= sixteen <= 20
    assert fit_micro_batch(GPT2, 124_000_000, 1024, 16 * GiB, half=False) < sixteen  # fp32 activations
    assert fit_micro_batch(GPT2, 124_000_000, 1024, 2 * GiB, half=True) == 1  # never 0: the run says OOM itself
