"""No-repeat n-gram sampling (generation_config.json's `no_repeat_ngram_size`, as transformers'
NoRepeatNGramLogitsProcessor in generation/logits_process.py, `_get_ngrams`/`_calc_banned_ngram_tokens`): a token
that would complete an n-gram already in the sequence (prompt included) gets no probability. It keeps a bot from
looping on a phrase, the commonest form of copied text in a small model's output (docs/guide/quality.md)."""

from __future__ import annotations

from collections.abc import Sequence

import torch


def banned_tokens(ids: Sequence[int], n: int) -> set[int]:
    """The tokens that would repeat an n-gram of `ids` if sampled next; none when n < 1 or `ids` is too short."""
    if n < 1 or len(ids) + 1 < n:
        return set()
    if n == 1:
        return set(ids)
    tail = tuple(ids[len(ids) - n + 1:])
    return {ids[i + n - 1] for i in range(len(ids) - n + 1) if tuple(ids[i:i + n - 1]) == tail}


def ban_repeats(logits: torch.Tensor, sequences: Sequence[Sequence[int]], sizes: Sequence[int]) -> torch.Tensor:
    """`logits` [rows, vocab] with each row's banned tokens at -inf (rows with size 0 untouched). A row whose every
    token is banned is left as it was: a repeat is better than failing the request."""
    out = logits
    for row, (ids, n) in enumerate(zip(sequences, sizes, strict=True)):
        banned = [t for t in banned_tokens(ids, n) if 0 <= t < logits.shape[-1]]
        if banned and len(banned) < logits.shape[-1]:
            if out is logits:
                out = logits.clone()
            out[row, banned] = float("-inf")
    return out
