"""The language mix metric (quality/language.py) on constructed texts: known scripts, known shares, known
distances (total variation between mixes)."""

from __future__ import annotations

import pytest
from tweetbot_trainer.quality.language import language, language_mix, mix_distance


def test_mix_counts_each_texts_writing_system_and_untagged_texts() -> None:
    texts = ["good morning", "おはようございます", "こんにちは世界", "12345 !!!"]
    assert language_mix(texts) == {"ja": 0.5, "en": 0.25, "und": 0.25}
    assert language_mix([]) == {}


def test_distance_is_total_variation_between_mixes() -> None:
    assert mix_distance({"en": 1.0}, {"en": 1.0}) == 0.0
    assert mix_distance({"en": 1.0}, {"ja": 1.0}) == 1.0
    assert mix_distance({"en": 0.75, "ja": 0.25}, {"en": 0.25, "ja": 0.75}) == 0.5
    assert mix_distance({}, {"en": 1.0}) is None


def test_a_bot_that_answers_in_another_language_is_far_from_the_person() -> None:
    person = ["今日はいい天気", "ラーメン食べたい", "good night"]
    bot = ["sunny today", "want ramen", "ラーメン最高"]
    base = ["hello", "world", "again"]
    measured = language(person, base, bot)
    assert measured["person"] == {"ja": 0.6667, "en": 0.3333}
    assert measured["distanceFineTuned"] == pytest.approx(1 / 3, abs=1e-3)  # closer than the base model,
    assert measured["distanceBase"] == pytest.approx(2 / 3, abs=1e-3)  # which writes English only
