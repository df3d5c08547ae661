"""The run's no-repeat n-gram size from its measurement (quality/repeats.py): repeats on constructed token lists,
the choice for a bot that loops and one that does not, generation_config.json, the card's note, and the card's
samples generated with the setting (no repeated run in them, as transformers' generate guarantees)."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from tweetbot_trainer.publish.card import CardData, render_card
from tweetbot_trainer.publish.outputs import generation_config, predictions, write_model_files
from tweetbot_trainer.quality.card_section import sampling_note
from tweetbot_trainer.quality.measure import no_repeat_size
from tweetbot_trainer.quality.repeats import MAX_SIZE, MIN_SIZE, choose_no_repeat, longest_repeat, percentile

from tests.fixtures.trainer_models import build_tiny


def test_longest_repeat_of_known_sequences() -> None:
    assert longest_repeat([]) == 0 and longest_repeat([1, 2, 3, 4]) == 0
    assert longest_repeat([1, 2, 1, 2]) == 2
    assert longest_repeat([5, 5, 5]) == 2  # overlapping runs count, as they do for no_repeat_ngram_size
    assert longest_repeat([1, 2, 3, 9, 1, 2, 3, 7]) == 3
    assert longest_repeat([4, 1, 2, 3, 4, 8, 1, 2, 3, 4]) == 4


def test_percentile_is_a_value_of_the_list() -> None:
    assert percentile([], 0.95) == 0
    assert percentile([3, 1, 2], 0.5) == 2
    assert percentile([0] * 19 + [9], 0.95) == 0  # one outlier post in 20 does not set it


def plain(n: int, start: int) -> list[int]:
    return list(range(start, start + n))  # no repeats at all


def test_a_looping_bot_gets_the_size_the_persons_posts_allow() -> None:
    person = [plain(20, 100 * i) for i in range(10)] + [[1, 2, 7, 1, 2, 8]]  # the person repeats 2 tokens, once
    looping = [[9, 4, 5, 6, 4, 5, 6, 4, 5, 6]] * 6 + [plain(10, 5000)] * 2
    choice = choose_no_repeat(person, looping)
    assert choice.candidate == MIN_SIZE and choice.size == MIN_SIZE
    assert choice.bot_repeating == 0.75 and choice.person_repeating == 0.0
    assert choice.reason.startswith("on: 75% of the bot's posts repeat a 3-token run")
    assert no_repeat_size({"noRepeat": choice.as_dict()}) == 3


def test_a_bot_that_repeats_no_more_than_the_person_is_left_alone() -> None:
    person = [[1, 2, 3, 4, 1, 2, 3, 4, 9]] * 19 + [plain(9, 50)]  # the person repeats 4-token runs in most posts
    bot = [[1, 2, 3, 4, 5, 1, 2, 3, 4, 5]] * 8 + [plain(10, 70)] * 2  # 5-token runs: more than the person does
    assert choose_no_repeat(person, bot).size == 5
    calm = choose_no_repeat(person, [plain(10, 70)] * 10)
    assert calm.size == 0 and calm.candidate == 5 and calm.reason.startswith("off: the bot repeats 5-token runs")
    assert no_repeat_size({"noRepeat": calm.as_dict()}) == 0 and no_repeat_size(None) == 0


def test_a_person_who_repeats_long_runs_gets_no_setting() -> None:
    chant = [7, 8, 9, 10] * 6  # a post that repeats a 20-token run
    choice = choose_no_repeat([chant] * 10, [chant] * 10)
    assert choice.size == 0 and choice.candidate == 0 and f"more than {MAX_SIZE - 1} tokens" in choice.reason
    assert choose_no_repeat([], [[1]]).reason.startswith("not measured")


def test_generation_config_and_card_say_what_the_run_chose(tmp_path: Path) -> None:
    assert "no_repeat_ngram_size" not in generation_config(50256)
    assert generation_config(50256, 3)["no_repeat_ngram_size"] == 3
    on = {"size": 3, "candidate": 3, "botRepeating": 0.5, "personRepeating": 0.0,
          "reason": "on: 50% of the bot's posts repeat a 3-token run within the post, against 0% of the person's"}
    note = sampling_note(on)
    assert "never repeat a 3-token run" in note and "`no_repeat_ngram_size: 3`" in note and "not copies" in note
    assert "50% of the bot's posts repeated one, against 0% of the person's" in note
    assert sampling_note({**on, "size": 0}).startswith("Sampling is left as it was: the bot repeats 3-token")
    assert sampling_note({**on, "size": 0, "candidate": 0}).startswith("Sampling is left as it was: the person")
    assert sampling_note(None) == "" and sampling_note({"candidate": "<b>"}) == ""
    card = render_card(CardData(users=["spiraltoo"], stats={}, quality={"noRepeat": on, "style": {}}))
    assert "(`no_repeat_ngram_size: 3` in `generation_config.json`)" in card

    model_dir = build_tiny(tmp_path / "tiny")
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    tokenizer.pad_token = tokenizer.eos_token  # as the run sets it
    write_model_files(model, tokenizer, tmp_path / "out", no_repeat_ngram_size=2)
    assert json.loads((tmp_path / "out" / "generation_config.json").read_text())["no_repeat_ngram_size"] == 2

    # The random model repeats tokens; with the setting (1 here: no token twice), no sample does, prompt included.
    # The ids are the ones generate returned (decoded text may tokenize differently).
    real_generate, outputs = model.generate, []

    def watched(*args: object, **kwargs: object) -> torch.Tensor:
        outputs.append(real_generate(*args, **kwargs))
        return outputs[-1]

    model.generate = watched
    predictions(model, tokenizer, torch.device("cpu"), 0, prompts=("I think that",), per_prompt=4,
                max_new_tokens=30, no_repeat_ngram_size=1)
    assert [longest_repeat(seq.tolist()) for seq in outputs[0]] == [0] * 4
    predictions(model, tokenizer, torch.device("cpu"), 0, prompts=("I think that",), per_prompt=4, max_new_tokens=30)
    assert max(longest_repeat(seq.tolist()) for seq in outputs[1]) >= 1  # without it, it repeats
