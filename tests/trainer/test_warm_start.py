"""Warm start (issue 28): a run continues the previous run's LoRA adapter (its weights, trainable) with the
continuation schedule; an adapter of another rank or base model is not continued; the card says which."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.publish.card import CardData, render_card
from tweetbot_trainer.train.lora import ADAPTER_DIR, apply_lora, save_adapter
from tweetbot_trainer.train.model_loading import build_tiny_model, load_model_and_tokenizer
from tweetbot_trainer.train.warm_start import WARM_EPOCHS, WARM_LR_FACTOR, lora_model, model_source, warm_config


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


def previous_run(tiny: Path, folder: Path, rank: int) -> dict[str, torch.Tensor]:
    """A finished run's adapter/ (weights made non-zero, as training leaves them); its LoRA weights."""
    model, tokenizer = load_model_and_tokenizer(str(tiny))
    lora = apply_lora(model, TrainConfig(lora_rank=rank, base_model=str(tiny)))
    with torch.no_grad():
        for name, param in lora.named_parameters():
            if "lora_B" in name:
                param.fill_(0.25)
    save_adapter(lora, tokenizer, folder / ADAPTER_DIR, str(tiny))
    return {n: p.detach().clone() for n, p in lora.named_parameters() if "lora_" in n}


def stats(start: str | None) -> dict[str, Any]:
    return {"users": {}, "data": {"warmStartFrom": start, "previousRun": start}}


def test_the_previous_adapter_is_continued_trainable(tiny: Path, tmp_path: Path) -> None:
    saved = previous_run(tiny, tmp_path / "run1", rank=4)
    config = TrainConfig(lora_rank=4, base_model=str(tiny))
    model = lora_model(load_model_and_tokenizer(str(tiny))[0], config, stats(str(tmp_path / "run1")), tmp_path)
    loaded = {n: p for n, p in model.named_parameters() if "lora_" in n}
    assert loaded.keys() == saved.keys()
    assert all(torch.equal(loaded[n].detach(), saved[n]) and loaded[n].requires_grad for n in saved)


def test_an_adapter_of_another_rank_is_not_continued_and_the_data_says_so(tiny: Path, tmp_path: Path) -> None:
    previous_run(tiny, tmp_path / "run1", rank=4)
    data_stats = stats(str(tmp_path / "run1"))
    model = lora_model(load_model_and_tokenizer(str(tiny))[0], TrainConfig(lora_rank=8, base_model=str(tiny)),
                       data_stats, tmp_path)
    assert all(float(p.detach().abs().sum()) == 0.0 for n, p in model.named_parameters() if "lora_B" in n)  # fresh
    assert data_stats["data"]["warmStartFrom"] is None and "rank" in data_stats["data"]["warmStartReason"]


def test_the_continuation_schedule_and_where_a_full_fine_tune_loads_from() -> None:
    base = TrainConfig(epochs=4, learning_rate=1e-4, base_model="gpt2")
    warm = warm_config(base, stats("s3://b/run1/"))
    assert (warm.epochs, warm.learning_rate) == (WARM_EPOCHS, 1e-4 * WARM_LR_FACTOR)
    assert warm_config(base, stats(None)) == base
    assert model_source(base, stats("s3://b/run1/")) == "s3://b/run1/"
    assert model_source(TrainConfig(lora_rank=8, base_model="gpt2"), stats("s3://b/run1/")) == "gpt2"


def test_the_card_records_source_date_range_and_start() -> None:
    data = {"sourceKind": "mastodon", "origin": "api", "oldestPost": "2024-01-02T10:00:00Z",
            "newestPost": "2024-11-20T10:00:00Z", "posts": 83, "newPosts": 3, "deletedPosts": 1,
            "warmStartFrom": None, "warmStartReason": "posts were deleted upstream: trained from scratch"}
    card = render_card(CardData(users=["gardener"], stats={"gardener": {"kept": 83}}, data=data))
    assert "Source: mastodon (the service&#39;s API)" in card or "Source: mastodon (the service's API)" in card
    assert "2024-01-02T10:00:00Z to 2024-11-20T10:00:00Z" in card and "1 removed as deleted upstream" in card
    assert "Trained from the base model" in card
