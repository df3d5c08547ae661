"""The quality metrics (trainer/tweetbot_trainer/quality/) on constructed inputs: known copies, known duplicates,
known n-grams, a discriminator that must tell two styles apart, deterministically."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tweetbot_trainer.publish.card import CardData, render_card
from tweetbot_trainer.quality.card_section import interpretation
from tweetbot_trainer.quality.measure import fit, posts_of, prompts_for, summary
from tweetbot_trainer.quality.style import style_match
from tweetbot_trainer.quality.text_metrics import (
    TrainingIndex,
    longest_common_run,
    memorization,
    ngrams,
    variety,
    words,
)

TRAIN = [
    "the quick brown fox jumps over the lazy dog near the river bank",
    "Coffee first, then code. Always.",
    "short one",
]


def test_words_ignore_case_and_punctuation() -> None:
    assert words("Coffee FIRST, then code... Don't!") == ["coffee", "first", "then", "code", "don't"]
    assert list(ngrams(["a", "b", "c"], 2)) == [("a", "b"), ("b", "c")]
    assert longest_common_run(["x", "a", "b", "c", "y"], ["a", "b", "c", "d"]) == 3
    assert longest_common_run([], ["a"]) == 0


def test_memorization_counts_known_copies() -> None:
    index = TrainingIndex(TRAIN + TRAIN)  # upsampled: repeats count once
    assert len(index.posts) == 3
    generations = [
        "coffee first then code always",  # verbatim (case, punctuation aside): 5 words
        "I saw the quick brown fox jumps over the lazy dog today",  # 9 words copied: memorized
        "the quick brown fox jumps over the cat",  # 7 words copied: under the 8-word bar
        "nothing in common at all here",
    ]
    result = memorization(generations, index)
    assert result["ngram"] == 8
    assert result["memorized"] == 0.5 and result["verbatim"] == 0.25
    assert result["longestCopiedWords"] == 9
    worst = result["worst"]
    assert isinstance(worst, list)
    assert [w["copiedWords"] for w in worst] == [9, 7, 5]


def test_memorization_finds_short_posts_verbatim_and_shortens_examples() -> None:
    index = TrainingIndex(["short one"])
    result = memorization(["Short one!", "x " * 100], index)
    assert result["verbatim"] == 0.5 and result["memorized"] == 0.5 and result["longestCopiedWords"] == 2
    long_copy = "word " * 60
    shown = memorization([long_copy], TrainingIndex([long_copy]))["worst"]
    assert isinstance(shown, list) and len(shown[0]["text"]) <= 80 and shown[0]["text"].endswith("…")


def test_variety_of_known_duplicates() -> None:
    result = variety(["a b c", "A b, c!", "d e f", "a b g"])
    # unigrams: a b c a b c d e f a b g -> 7 distinct of 12; bigrams: ab bc ab bc de ef ab bg -> 5 of 8
    assert result == {"distinct1": round(7 / 12, 4), "distinct2": round(5 / 8, 4), "duplicates": 0.25}
    assert variety([]) == {"distinct1": 0.0, "distinct2": 0.0, "duplicates": 0.0}


def _styled(n: int, seed: int, loud: bool) -> list[str]:
    rng = random.Random(seed)
    topics = ["launch", "coffee", "robots", "trains", "bread", "code", "rain", "music"]
    if loud:
        return [f"OMG the {rng.choice(topics)} is SO good!!! 🚀🚀 #{rng.choice(topics)}" for _ in range(n)]
    return [f"i think that {rng.choice(topics)} is fine, maybe, on some days." for _ in range(n)]


def test_style_match_tells_styles_apart_deterministically() -> None:
    person, base = _styled(40, 1, loud=True), _styled(40, 2, loud=False)
    like_person, like_base = _styled(16, 3, loud=True), _styled(16, 4, loud=False)
    bot_like_person = style_match(person, base, like_person, seed=7)
    bot_like_base = style_match(person, base, like_base, seed=7)
    assert bot_like_person is not None and bot_like_base is not None
    assert bot_like_person.fine_tuned == 1.0 and bot_like_base.fine_tuned == 0.0
    assert bot_like_person.person == 1.0 and bot_like_person.base == 0.0  # out-of-fold: separable styles
    assert style_match(person, base, like_person, seed=7) == bot_like_person
    assert style_match(person[:3], base, like_person, seed=7) is None  # too few for the folds


def test_fit_prompts_posts_and_summary(tmp_path: Path) -> None:
    result = fit(2.0, 1.0)
    assert result["ratio"] == pytest.approx(0.3679, abs=1e-4)
    assert fit(None, 1.0)["ratio"] is None
    (tmp_path / "eval.txt").write_text("<|endoftext|>Hello big world<|endoftext|> <|endoftext|>Two<|endoftext|>")
    assert posts_of(tmp_path / "eval.txt") == ["Hello big world", "Two"]
    assert prompts_for(["Hello big world", "Two"], 3) == ["Hello big", "Two", "Hello big"]
    quality = {"fit": {"ratio": 0.5}, "style": {"fineTuned": 0.7, "base": 0.2, "person": 0.9},
               "memorization": {"memorized": 0.0, "longestCopiedWords": 3},
               "variety": {"distinct2": 0.8, "duplicates": 0.0}}
    assert summary(quality) == {"fitRatio": 0.5, "styleMatch": 0.7, "styleMatchBase": 0.2, "styleMatchPerson": 0.9,
                                "memorized": 0.0, "longestCopiedWords": 3, "variety": 0.8, "duplicates": 0.0}
    assert summary(None) is None


def test_card_section_table_and_interpretation() -> None:
    quality = {"generations": 32, "maxNewTokens": 32, "fit": {"perplexityFineTuned": 20.0, "perplexityBase": 80.0},
               "style": {"fineTuned": 0.71, "base": 0.2, "person": 0.9, "personPosts": 40},
               "memorization": {"ngram": 8, "memorized": 0.25, "longestCopiedWords": 12,
                                "worst": [{"text": "<b>copied</b> post", "copiedWords": 12}]},
               "variety": {"distinct1": 0.5, "distinct2": 0.8, "duplicates": 0.0},
               "language": {"fineTuned": {"en": 0.75, "ja": 0.25}, "base": {"en": 1.0}, "person": {"ja": 1.0}}}
    card = render_card(CardData(users=["spiraltoo"], stats={}, quality=quality))
    assert "## How much it sounds like @spiraltoo" in card
    assert "| Taken for the person's posts (style discriminator) | 71% | 20% | 90% |" in card
    assert "&lt;b&gt;copied&lt;/b&gt; post (12 words copied)" in card
    assert "| Languages (by writing system) | en 75%, ja 25% | en 100% | ja 100% |" in card
    assert "it memorizes" in interpretation(quality)
    assert "does not pass" in interpretation({"style": {"fineTuned": 0.1, "base": 0.2}})
    assert "How much it sounds like" not in render_card(CardData(users=["x"], stats={}))
