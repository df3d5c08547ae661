"""Posts text -> packed blocks of token ids, as huggingtweets' group_texts did: no padding, no waste."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from tweetbot_trainer.errors import TweetBotInputError

EOT = "<|endoftext|>"


def tokenize_posts(text: str, tokenizer: Any) -> list[int]:
    """Token ids of `<|endoftext|>`-joined posts; each separator becomes the EOS id whatever the tokenizer's
    special-token handling (posts are tokenized one by one, in batches, then joined)."""
    posts = [p for p in text.split(EOT) if p.strip()]
    eos = int(tokenizer.eos_token_id)
    ids: list[int] = [eos]
    batch = 1024
    for start in range(0, len(posts), batch):
        encoded = tokenizer(posts[start : start + batch], add_special_tokens=False)["input_ids"]
        for post_ids in encoded:
            ids.extend(post_ids)
            ids.append(eos)
    return ids


def pack_blocks(ids: list[int], block_size: int) -> torch.Tensor:
    """[n_blocks, block_size] int64. The tail that does not fill a block is dropped, except when there is less
    than one block in all (a small eval split): then it is one shorter block."""
    if len(ids) < 2:
        raise TweetBotInputError("NotEnoughPosts", "no text to train on")
    n_blocks = len(ids) // block_size
    if n_blocks == 0:
        return torch.tensor(ids, dtype=torch.long).unsqueeze(0)
    return torch.tensor(ids[: n_blocks * block_size], dtype=torch.long).view(n_blocks, block_size)


def load_blocks(path: Path, tokenizer: Any, block_size: int) -> torch.Tensor:
    if not path.is_file():
        raise TweetBotInputError("MissingData", f"{path} not found (run `tweetbot-train prepare` first)")
    return pack_blocks(tokenize_posts(path.read_text(encoding="utf-8"), tokenizer), block_size)
