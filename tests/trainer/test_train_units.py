"""Pure parts of training: the schedule, the data order, packing, tokenization, the step plan."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.train.blocks import pack_blocks, tokenize_posts
from tweetbot_trainer.train.hardware import resolve_precision, should_compile
from tweetbot_trainer.train.loop import plan
from tweetbot_trainer.train.schedule import batch_indices, lr_at, steps_per_epoch


def test_lr_warms_up_then_decays_by_cosine() -> None:
    peak, total, warmup = 1.372e-4, 100, 10
    lrs = [lr_at(s, total, peak, warmup) for s in range(total)]
    assert lrs[0] == pytest.approx(peak / 10)
    assert lrs[9] == pytest.approx(peak)
    assert all(a >= b for a, b in itertools.pairwise(lrs[9:]))  # non-increasing after warmup
    assert lr_at(total, total, peak, warmup) == pytest.approx(0.1 * peak)
    assert lr_at(55, total, peak, warmup) == pytest.approx(peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi / 2))))


def test_each_epoch_sees_every_block_in_a_seeded_order() -> None:
    n, gb = 10, 4
    per_epoch = steps_per_epoch(n, gb)
    assert per_epoch == 3
    epoch0 = torch.cat([batch_indices(s, n, gb, seed=1) for s in range(per_epoch)])
    assert set(epoch0.tolist()) == set(range(n)) and len(epoch0) == 12  # wraps to fill the last batch
    epoch1 = torch.cat([batch_indices(s, n, gb, seed=1) for s in range(per_epoch, 2 * per_epoch)])
    assert not torch.equal(epoch0, epoch1)  # reshuffled
    assert torch.equal(batch_indices(4, n, gb, seed=1), batch_indices(4, n, gb, seed=1))  # a function of step
    assert not torch.equal(batch_indices(0, n, gb, seed=1), batch_indices(0, n, gb, seed=2))


def test_plan_counts_steps_and_caps_them() -> None:
    assert plan(n_blocks=100, batch_size=8, world_size=1, epochs=4, max_steps=0) == (13, 52)
    assert plan(n_blocks=100, batch_size=8, world_size=2, epochs=4, max_steps=0) == (7, 28)
    assert plan(n_blocks=100, batch_size=8, world_size=1, epochs=4, max_steps=10) == (13, 10)


def test_pack_blocks_drops_the_tail_but_keeps_a_short_split() -> None:
    blocks = pack_blocks(list(range(10)), 4)
    assert blocks.tolist() == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert pack_blocks([1, 2, 3], 8).shape == (1, 3)
    with pytest.raises(TweetBotInputError):
        pack_blocks([1], 8)


class _WordTokenizer:
    """Enough of a tokenizer for tokenize_posts: one id per word."""

    eos_token_id = 0

    def __call__(self, texts: list[str], add_special_tokens: bool = False) -> dict[str, list[list[int]]]:
        return {"input_ids": [[len(word) for word in text.split()] for text in texts]}


def test_posts_are_joined_by_eos_whatever_the_tokenizer() -> None:
    ids = tokenize_posts("<|endoftext|>ab c<|endoftext|>  <|endoftext|>dddd<|endoftext|>", _WordTokenizer())
    assert ids == [0, 2, 1, 0, 4, 0]


def test_precision_on_cpu() -> None:
    if torch.cuda.is_available():
        pytest.skip("CPU behaviour")
    assert resolve_precision("auto") == "no"
    assert resolve_precision("fp32") == "no"
    with pytest.raises(TweetBotInputError):
        resolve_precision("fp16")


def test_compile_is_opt_in_off_a_gpu() -> None:
    assert should_compile("on") and not should_compile("off")
    if not torch.cuda.is_available():
        assert not should_compile("auto")
