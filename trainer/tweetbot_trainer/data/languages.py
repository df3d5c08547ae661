"""Language codes of posts: normalise what services send, guess from the script when nothing is sent."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# X still sends the withdrawn ISO 639-1 codes for a few languages.
_LEGACY = {"in": "id", "iw": "he", "ji": "yi", "jw": "jv"}
_SCRIPT_GUESSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile("[\u3040-\u30ff]"), "ja"),  # kana before Han: Japanese mixes both
    (re.compile("[\uac00-\ud7af]"), "ko"),
    (re.compile("[\u4e00-\u9fff]"), "zh"),
    (re.compile("[\u0e00-\u0e7f]"), "th"),
    (re.compile("[\u0600-\u06ff]"), "ar"),
    (re.compile("[\u0590-\u05ff]"), "he"),
    (re.compile("[\u0900-\u097f]"), "hi"),
    (re.compile("[\u0370-\u03ff]"), "el"),
    (re.compile("[\u0400-\u04ff]"), "ru"),
    (re.compile("[A-Za-z]"), "en"),
)
# A language must hold this share of kept posts to be listed (X tags a few posts "tl" or "ht" by mistake).
MIN_SHARE = 0.05


def normalize_lang(code: str | None) -> str | None:
    """An ISO 639-1 code, or None for X's und/zxx/qme/... and anything else unusable."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    base = _LEGACY.get(base, base)
    return base if len(base) == 2 and base.isalpha() and base.isascii() else None


def guess_lang(text: str) -> str | None:
    for pattern, code in _SCRIPT_GUESSES:
        if pattern.search(text):
            return code
    return None


def rank_languages(pairs: Iterable[tuple[str | None, str]], min_share: float = MIN_SHARE) -> list[str]:
    """Codes of (lang, text) pairs, most frequent first; a missing lang is guessed from the text."""
    counts: Counter[str] = Counter()
    total = 0
    for lang, text in pairs:
        total += 1
        code = normalize_lang(lang) or guess_lang(text)
        if code:
            counts[code] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [code for i, (code, n) in enumerate(ranked) if i == 0 or n >= min_share * total]
