"""Memorization and variety of generated posts: pure functions of texts (docs/guide/quality.md).

Words are lower-cased runs of letters/digits (apostrophes inside a word kept), so punctuation and case do not hide
a copy. A generation is *memorized* when it repeats a training post verbatim (same words) or shares a run of
`MEMORIZED_NGRAM` words with one; the longest copied span is measured in words against any single training post.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MEMORIZED_NGRAM = 8  # words: a shared 8-word run is rarely chance in short posts (huggingtweets-sized data)
CANDIDATE_NGRAM = 4  # words: posts sharing a 4-word run are the ones searched for the longest copied span
WORST_SHOWN = 3
SHOWN_CHARS = 80
_WORD = re.compile(r"\w+(?:'\w+)*")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def ngrams(tokens: Sequence[str], n: int) -> Iterable[tuple[str, ...]]:
    return (tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest contiguous run of words in both (dynamic programming, O(len(a) * len(b)))."""
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


@dataclass(frozen=True)
class Copy:
    generation: str
    copied_words: int
    verbatim: bool


class TrainingIndex:
    """The training posts' word runs, built once: which posts a generation may copy from."""

    def __init__(self, posts: Iterable[str], n: int = MEMORIZED_NGRAM) -> None:
        self.n = n
        self.posts: list[list[str]] = []
        self.exact: set[tuple[str, ...]] = set()
        self.by_gram: dict[tuple[str, ...], list[int]] = {}
        self.sizes = {CANDIDATE_NGRAM}  # and the lengths of posts shorter than that (their one run)
        for post in dict.fromkeys(posts):  # upsampling repeats posts: each once
            tokens = words(post)
            if not tokens or tuple(tokens) in self.exact:
                continue
            self.exact.add(tuple(tokens))
            index = len(self.posts)
            self.posts.append(tokens)
            self.sizes.add(min(CANDIDATE_NGRAM, len(tokens)))
            for gram in set(ngrams(tokens, min(CANDIDATE_NGRAM, len(tokens)))):
                self.by_gram.setdefault(gram, []).append(index)

    def copy_of(self, generation: str) -> Copy:
        """How much of `generation` comes from one training post: the longest shared run, and verbatim or not."""
        tokens = words(generation)
        verbatim = bool(tokens) and tuple(tokens) in self.exact
        candidates: set[int] = set()
        for size in self.sizes:
            for gram in ngrams(tokens, size):
                candidates.update(self.by_gram.get(gram, ()))
        longest = max((longest_common_run(tokens, self.posts[i]) for i in candidates), default=0)
        return Copy(generation, len(tokens) if verbatim else longest, verbatim)

    def memorized(self, copy: Copy) -> bool:
        return copy.verbatim or copy.copied_words >= self.n


def memorization(generations: Sequence[str], index: TrainingIndex) -> dict[str, object]:
    """Share of generations memorized, share verbatim, the longest copied span and the worst cases (shortened)."""
    copies = [index.copy_of(g) for g in generations]
    worst = sorted((c for c in copies if c.copied_words >= CANDIDATE_NGRAM), key=lambda c: -c.copied_words)
    total = max(1, len(copies))
    return {
        "ngram": index.n,
        "memorized": round(sum(index.memorized(c) for c in copies) / total, 4),
        "verbatim": round(sum(c.verbatim for c in copies) / total, 4),
        "longestCopiedWords": max((c.copied_words for c in copies), default=0),
        "worst": [{"text": shorten(c.generation), "copiedWords": c.copied_words} for c in worst[:WORST_SHOWN]],
    }


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def variety(generations: Sequence[str]) -> dict[str, float]:
    """distinct-1 / distinct-2 (unique uni-/bigrams over all of them, Li et al. 2016) and the share of
    generations that repeat an earlier one (same words)."""
    tokenized = [words(g) for g in generations]
    unigrams = [w for t in tokenized for w in t]
    bigrams = [g for t in tokenized for g in ngrams(t, 2)]
    unique_posts = len({tuple(t) for t in tokenized})
    return {
        "distinct1": round(len(set(unigrams)) / max(1, len(unigrams)), 4),
        "distinct2": round(len(set(bigrams)) / max(1, len(bigrams)), 4),
        "duplicates": round((len(tokenized) - unique_posts) / max(1, len(tokenized)), 4),
    }
