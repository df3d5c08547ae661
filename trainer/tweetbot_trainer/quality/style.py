"""Style match: does a small discriminator take the bot's posts for the person's? (docs/guide/quality.md)

Character 2-4-grams (within word boundaries, TF-IDF, sublinear) and a logistic regression (classes weighted to
balance), trained to tell the person's held-out posts (label 1) from the base model's generations for the same
prompts (label 0). The person's and the base model's shares are out-of-fold predictions (5-fold, stratified,
seeded): each text is judged by a discriminator that never saw it. The bot's generations are judged by the
discriminator fit on all.
Limits: it measures surface style (characters, punctuation, emoji, casing, length), not meaning or truth; with a
few dozen held-out posts it is a coarse number (a share of N, so steps of 1/N).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline

FOLDS = 5


def discriminator(seed: int) -> Pipeline:
    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=False),
        # balanced: up to 64 held-out posts against 32 base generations must not tilt it toward "the person's"
        LogisticRegression(C=1.0, max_iter=1000, random_state=seed, solver="liblinear", class_weight="balanced"),
    )


@dataclass(frozen=True)
class StyleMatch:
    fine_tuned: float  # share of the bot's generations taken for the person's
    base: float  # share of the base model's generations taken for the person's (out-of-fold)
    person: float  # share of the person's held-out posts taken for the person's (out-of-fold): the ceiling
    person_posts: int
    base_generations: int

    def as_dict(self) -> dict[str, object]:
        return {"fineTuned": self.fine_tuned, "base": self.base, "person": self.person,
                "personPosts": self.person_posts, "baseGenerations": self.base_generations,
                "features": "character 2-4-grams, TF-IDF", "classifier": "logistic regression",
                "folds": FOLDS}


def style_match(person: Sequence[str], base: Sequence[str], bot: Sequence[str], seed: int) -> StyleMatch | None:
    """None when there are too few texts of a class for the folds (a tiny eval split)."""
    person = [p for p in person if p.strip()]
    base = [b for b in base if b.strip()]
    if min(len(person), len(base)) < FOLDS or not bot:
        return None
    texts = list(person) + list(base)
    labels = np.array([1] * len(person) + [0] * len(base))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    out_of_fold = cross_val_predict(discriminator(seed), texts, labels, cv=folds)
    judge = discriminator(seed).fit(texts, labels)
    taken = judge.predict(list(bot))
    return StyleMatch(
        fine_tuned=_share(taken == 1),
        base=_share(out_of_fold[len(person):] == 1),
        person=_share(out_of_fold[: len(person)] == 1),
        person_posts=len(person),
        base_generations=len(base),
    )


def _share(flags: np.ndarray) -> float:
    return round(float(flags.mean()), 4) if flags.size else 0.0
