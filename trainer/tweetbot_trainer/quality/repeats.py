"""The run's no-repeat n-gram size, chosen from its own measurement (docs/guide/quality.md).

`no_repeat_ngram_size` n (transformers' NoRepeatNGramLogitsProcessor, serve/no_repeat.py) forbids a token that
would repeat an n-token sequence already in the post. Too small an n forbids what people write ("of the ... of the");
no n stops a small model's loops ("velvet velvet velvet"). The run takes n from the person's held-out posts: one
more than the longest token sequence that the person repeats within a post (the 95th percentile over posts, so one
"ha ha ha ha" post does not set it), at least MIN_SIZE. It turns the setting on only where the bot's generations
repeat such a sequence more often than the person's posts do: otherwise sampling is left as it was.

It stops loops, not copies: a generation that copies a training post repeats nothing within itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_SIZE = 3  # below 3 tokens, a ban forbids common pairs ("of the") whatever the posts show
MAX_SIZE = 8  # a person who repeats longer runs than this gets no setting: the model may as well repeat too
PERCENTILE = 0.95
MARGIN = 0.05  # the bot must loop in this much larger a share of its posts than the person before sampling changes


@dataclass(frozen=True)
class NoRepeatChoice:
    size: int  # the generation_config.json no_repeat_ngram_size the run writes; 0: off
    candidate: int  # n from the person's posts (0: none fits within MAX_SIZE)
    bot_repeating: float  # share of the bot's generations that repeat a `candidate`-token sequence
    person_repeating: float  # the same share among the person's held-out posts
    reason: str

    def as_dict(self) -> dict[str, object]:
        """metrics.json's `quality.noRepeat`."""
        return {"size": self.size, "candidate": self.candidate, "botRepeating": self.bot_repeating,
                "personRepeating": self.person_repeating, "reason": self.reason}


def longest_repeat(ids: Sequence[int]) -> int:
    """The length of the longest token sequence that starts at two places in `ids` (overlaps count, as they do for
    no_repeat_ngram_size: "a a a" repeats "a a")."""
    longest = 0
    for n in range(1, len(ids)):
        seen: set[tuple[int, ...]] = set()
        found = False
        for i in range(len(ids) - n + 1):
            gram = tuple(ids[i:i + n])
            if gram in seen:
                found = True
                break
            seen.add(gram)
        if not found:
            break  # no repeated n-gram means no repeated longer one either
        longest = n
    return longest


def percentile(values: Sequence[int], q: float) -> int:
    """The nearest-rank percentile (a value of `values`); 0 for none."""
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def share_repeating(longest: Sequence[int], n: int) -> float:
    return sum(1 for value in longest if value >= n) / len(longest) if longest else 0.0


def choose_no_repeat(person: Sequence[Sequence[int]], bot: Sequence[Sequence[int]]) -> NoRepeatChoice:
    """The no-repeat size for the person's held-out posts and the bot's generations (token ids, prompts included)."""
    if not person or not bot:
        return NoRepeatChoice(0, 0, 0.0, 0.0, "not measured: no held-out posts or generations")
    person_longest = [longest_repeat(ids) for ids in person]
    bot_longest = [longest_repeat(ids) for ids in bot]
    candidate = max(MIN_SIZE, percentile(person_longest, PERCENTILE) + 1)
    if candidate > MAX_SIZE:
        bot_share = share_repeating(bot_longest, MAX_SIZE)
        return NoRepeatChoice(0, 0, round(bot_share, 4), round(share_repeating(person_longest, MAX_SIZE), 4),
                              f"off: the person repeats runs of more than {MAX_SIZE - 1} tokens within a post")
    bot_share = share_repeating(bot_longest, candidate)
    person_share = share_repeating(person_longest, candidate)
    if bot_share > person_share + MARGIN:
        reason = (f"on: {100 * bot_share:.0f}% of the bot's posts repeat a {candidate}-token run within the post, "
                  f"against {100 * person_share:.0f}% of the person's")
        size = candidate
    else:
        reason = (f"off: the bot repeats {candidate}-token runs within a post no more than the person does "
                  f"({100 * bot_share:.0f}% vs {100 * person_share:.0f}%)")
        size = 0
    return NoRepeatChoice(size, candidate, round(bot_share, 4), round(person_share, 4), reason)
