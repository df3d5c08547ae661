"""Training text as huggingtweets builds it: posts joined by <|endoftext|>, users upsampled, shuffled by seed.

Each user's kept posts are shuffled and 10% held out for the eval loss (huggingtweets' 90/10 split); the
training posts of every user are then repeated until they reach the character count of the largest user
(huggingtweets' upsampling), and everything is shuffled together with the same seeded generator.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

EOT = "<|endoftext|>"
TRAIN_FRACTION = 0.9


@dataclass
class TrainingText:
    train: list[str]
    eval: list[str]

    @property
    def train_text(self) -> str:
        return join_posts(self.train)

    @property
    def eval_text(self) -> str:
        return join_posts(self.eval)


def join_posts(posts: Sequence[str]) -> str:
    """<|endoftext|> before the first post, between posts and after the last; "" for no posts."""
    return f"{EOT}{EOT.join(posts)}{EOT}" if posts else ""


def split_held_out(posts: Sequence[str], rng: random.Random) -> tuple[list[str], list[str]]:
    shuffled = list(posts)
    rng.shuffle(shuffled)
    train_size = int(TRAIN_FRACTION * len(shuffled))
    return shuffled[:train_size], shuffled[train_size:]


def upsample(posts: Sequence[str], target_chars: int, rng: random.Random) -> list[str]:
    """`posts` shuffled, then repeated in that order until their characters reach `target_chars`."""
    out = list(posts)
    rng.shuffle(out)
    total = sum(len(p) for p in out)
    if not out or total <= 0:
        return out
    cycle = list(out)
    i = 0
    while total < target_chars:
        post = cycle[i % len(cycle)]
        out.append(post)
        total += len(post)
        i += 1
    return out


def build_training_text(per_user: Mapping[str, Sequence[str]], seed: int) -> TrainingText:
    """Train and eval posts for the users' kept posts (given in the users' order, which the seed depends on)."""
    rng = random.Random(seed)
    train_parts: list[list[str]] = []
    eval_posts: list[str] = []
    for posts in per_user.values():
        train, held_out = split_held_out(posts, rng)
        train_parts.append(train)
        eval_posts.extend(held_out)
    target = max((sum(len(p) for p in part) for part in train_parts), default=0)
    train_posts = [post for part in train_parts for post in upsample(part, target, rng)]
    rng.shuffle(train_posts)
    rng.shuffle(eval_posts)
    return TrainingText(train=train_posts, eval=eval_posts)
