"""The language mix of generations against the person's posts (issue 27, item 5): pure functions of texts.

Each text gets the project's own language tag (data/languages.py `guess_lang`: the writing system, so Latin-script
languages are one "en" group; None when a text has no letters, counted as "und"). The mix is each tag's share; the
distance between two mixes is their total variation (0: the same mix, 1: no language in common), so a bot that
answers in English for a person who posts in Japanese shows at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from tweetbot_trainer.data.languages import guess_lang

UNDETERMINED = "und"


def language_mix(texts: Sequence[str]) -> dict[str, float]:
    """Each language tag's share of `texts`, largest first; empty for no texts."""
    counts = Counter(guess_lang(text) or UNDETERMINED for text in texts)
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {code: round(n / total, 4) for code, n in ranked} if total else {}


def mix_distance(a: Mapping[str, float], b: Mapping[str, float]) -> float | None:
    """Total variation distance between two mixes (half the summed absolute differences); None if one is empty."""
    if not a or not b:
        return None
    return round(sum(abs(a.get(code, 0.0) - b.get(code, 0.0)) for code in set(a) | set(b)) / 2, 4)


def language(person: Sequence[str], base: Sequence[str], bot: Sequence[str]) -> dict[str, Any]:
    """metrics.json's `quality.language`: the three mixes and each model's distance from the person's."""
    mixes = {"person": language_mix(person), "base": language_mix(base), "fineTuned": language_mix(bot)}
    return {**mixes, "distanceFineTuned": mix_distance(mixes["fineTuned"], mixes["person"]),
            "distanceBase": mix_distance(mixes["base"], mixes["person"])}
