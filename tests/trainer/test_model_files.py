"""The model files a run ships work for a user as the README and the card show, without a warning: transformers'
`from_pretrained` + `pipeline("text-generation")`, sampling as huggingtweets did."""

from __future__ import annotations

import io
import json
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig, pipeline
from transformers.utils import logging as hf_logging
from tweetbot_trainer.publish.outputs import LOAD_TIME_KEYS, write_model_files
from tweetbot_trainer.train.model_loading import load_model_and_tokenizer

from tests.fixtures.trainer_models import build_tiny


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny base model loaded as the trainer loads it, written as a run writes its model."""
    base = build_tiny(tmp_path_factory.mktemp("base"), n_positions=256)
    model, tokenizer = load_model_and_tokenizer(str(base))
    out = tmp_path_factory.mktemp("run")
    write_model_files(model, tokenizer, out)
    return out


@pytest.fixture
def transformers_messages() -> Iterator[io.StringIO]:
    """Everything transformers logs at warning level or above, and every Python warning, while in use."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    logger = hf_logging.get_logger("transformers")
    logger.addHandler(handler)
    level = hf_logging.get_verbosity()
    hf_logging.set_verbosity_warning()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield stream
        stream.write("".join(f"{w.category.__name__}: {w.message}\n" for w in caught))
    finally:
        logger.removeHandler(handler)
        hf_logging.set_verbosity(level)


def test_the_readme_and_card_snippets_run_without_warnings(shipped: Path, transformers_messages: io.StringIO) -> None:
    model = AutoModelForCausalLM.from_pretrained(shipped)
    tokenizer = AutoTokenizer.from_pretrained(shipped)
    generate = pipeline("text-generation", model=model, tokenizer=tokenizer)
    readme = generate("My dream is", max_new_tokens=40, do_sample=True)[0]["generated_text"]  # README.md
    card = pipeline("text-generation", model=str(shipped))("My dream is", num_return_sequences=5)  # the card
    assert readme.startswith("My dream is") and len(card) == 5
    assert generate.prefix == "<|endoftext|>"  # every prompt follows a separator, as the training text does
    messages = transformers_messages.getvalue()
    assert messages == "", messages


def test_huggingtweets_sampling_and_no_build_machine_settings(shipped: Path) -> None:
    generation = GenerationConfig.from_pretrained(shipped)
    assert (generation.do_sample, generation.top_p, generation.temperature) == (True, 0.95, 1.0)
    assert generation.max_new_tokens == 160 and "max_length" not in json.loads(
        (shipped / "generation_config.json").read_text()
    )
    tokenizer_config = json.loads((shipped / "tokenizer_config.json").read_text())
    assert not set(LOAD_TIME_KEYS) & set(tokenizer_config), tokenizer_config
    assert tokenizer_config["eos_token"] == "<|endoftext|>"
    assert json.loads((shipped / "config.json").read_text())["prefix"] == "<|endoftext|>"
