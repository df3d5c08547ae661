"""What each process of a group does alike or apart (issue 25, items 4-6): dropout masks per rank from one
initialisation, the loss logged and checked for divergence as the group's mean, fp16's loss scale in
checkpoints, GPT-2's one-kernel GELU (the store's waits: test_store_waits.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from transformers import GPT2Config, GPT2LMHeadModel
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.train.checkpoint import TrainState, load_local, save_local
from tweetbot_trainer.train.loop import LossLog
from tweetbot_trainer.train.model_loading import fast_activation
from tweetbot_trainer.train.phases import seed_dropout


def test_ranks_draw_their_own_dropout_masks_and_rank_zero_resumes_exactly() -> None:
    masks = []
    for rank in (0, 1):
        seed_dropout(42, rank, 0, resumed=False)
        masks.append(torch.nn.functional.dropout(torch.ones(64), 0.5))
    assert not torch.equal(masks[0], masks[1])
    torch.manual_seed(7)
    state = torch.get_rng_state()
    seed_dropout(42, 0, 100, resumed=True)  # the checkpoint's RNG state stays
    assert torch.equal(torch.get_rng_state(), state)


def test_the_logged_loss_is_the_group_mean_and_one_rank_s_nan_fails_all() -> None:
    other_rank = torch.tensor([3.0, float("nan")])

    def mean_with_other(losses: torch.Tensor) -> torch.Tensor:  # what the all-reduce (mean) returns
        return (losses + other_rank[: len(losses)]) / 2

    state = TrainState()
    log = LossLog(state, mean_with_other)
    log.add(1, torch.tensor(1.0))
    assert log.flush() == 2.0 and state.losses == [(1, 2.0)]
    log.add(2, torch.tensor(1.0))
    log.add(3, torch.tensor(1.0))
    with pytest.raises(TweetBotInputError) as raised:  # this rank's own losses were finite
        log.flush()
    assert raised.value.reason == "LossDiverged" and "step 3" in raised.value.message


def test_fp16_loss_scaler_state_is_checkpointed(tmp_path: Path) -> None:
    model = torch.nn.Linear(4, 4)
    optimizer = torch.optim.AdamW(model.parameters())
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**16)
    scaler.scale(model(torch.ones(1, 4)).sum())  # the scale tensor exists after the first scaled loss
    scaler.update(new_scale=1024.0)
    saved = save_local(tmp_path / "c", model, optimizer, TrainState(step=3), scaler)
    fresh = torch.amp.GradScaler("cpu", init_scale=2.0**16)
    load_local(saved, model, optimizer, fresh)
    assert fresh.get_scale() == 1024.0 and fresh.state_dict() == scaler.state_dict()


def test_gpt2_loads_with_the_one_kernel_gelu_and_the_same_outputs() -> None:
    config = GPT2Config(n_layer=2, n_embd=64, n_head=2, vocab_size=500, n_positions=64)
    assert config.activation_function == "gelu_new"
    torch.manual_seed(0)
    slow = GPT2LMHeadModel(config).eval()
    fast = GPT2LMHeadModel(fast_activation(GPT2Config(**config.to_dict()))).eval()
    fast.load_state_dict(slow.state_dict())
    assert fast.config.activation_function == "gelu_pytorch_tanh"
    x = torch.randint(0, 500, (2, 32))
    with torch.no_grad():
        torch.testing.assert_close(fast(x).logits, slow(x).logits, atol=1e-5, rtol=1e-5)
