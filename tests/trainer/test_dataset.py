"""Training text: <|endoftext|> joining, the 90/10 held-out split, upsampling, seeded shuffles."""

from __future__ import annotations

import random

from tweetbot_trainer.data.dataset import EOT, build_training_text, join_posts, split_held_out, upsample


def test_join_posts() -> None:
    assert join_posts(["a b", "c"]) == f"{EOT}a b{EOT}c{EOT}"
    assert join_posts([]) == ""


def test_split_held_out_is_ten_percent() -> None:
    posts = [f"post {i}" for i in range(95)]
    train, held_out = split_held_out(posts, random.Random(1))
    assert len(train) == 85 and len(held_out) == 10
    assert sorted(train + held_out) == sorted(posts)


def test_upsample_reaches_the_target() -> None:
    posts = ["aaaa", "bb", "cccccc"]
    out = upsample(posts, 50, random.Random(0))
    assert sum(len(p) for p in out) >= 50
    assert sum(len(p) for p in out[:-1]) < 50  # stops as soon as it is reached
    assert set(out) == set(posts)
    assert upsample(posts, 5, random.Random(0)) != [] and len(upsample(posts, 5, random.Random(0))) == 3


def test_users_are_upsampled_to_the_largest() -> None:
    big = [f"big user post number {i}" for i in range(200)]
    small = [f"small {i}" for i in range(20)]
    text = build_training_text({"big": big, "small": small}, seed=3)
    big_chars = sum(len(p) for p in text.train if p.startswith("big"))
    small_chars = sum(len(p) for p in text.train if p.startswith("small"))
    assert small_chars >= big_chars and small_chars < big_chars + 10
    assert len([p for p in text.eval if p.startswith("big")]) == 20
    assert len([p for p in text.eval if p.startswith("small")]) == 2
    assert not set(text.eval) & set(text.train)  # held-out posts never leak into training


def test_seed_decides_the_order() -> None:
    posts = {"u": [f"post {i}" for i in range(50)]}
    assert build_training_text(posts, 42) == build_training_text(posts, 42)
    assert build_training_text(posts, 42).train != build_training_text(posts, 43).train
