"""No-repeat n-gram sampling (serve/no_repeat.py): the banned tokens on constructed sequences, and the engine with
`no_repeat_ngram_size` from the run's generation_config.json gives what transformers' `generate` gives with the
same setting (greedy; size 1: no token twice, the prompt's included), while without it the same model repeats
a token."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import torch
from transformers import GenerationConfig
from tweetbot_trainer.serve.bot_info import read_bot_info
from tweetbot_trainer.serve.engine import Engine, Sampling
from tweetbot_trainer.serve.no_repeat import ban_repeats, banned_tokens

from tests.serve.test_engine import loaded, run_requests  # noqa: F401 - the module's model fixture


def test_banned_tokens_complete_an_ngram_already_there() -> None:
    ids = [5, 6, 7, 5, 6]
    assert banned_tokens(ids, 3) == {7}  # 5 6 7 is there; 5 6 -> 7 would repeat it
    assert banned_tokens(ids, 2) == {7}  # the last token is 6; 6 7 is there
    assert banned_tokens([1, 2, 1, 3, 1], 2) == {2, 3}
    assert banned_tokens(ids, 1) == {5, 6, 7}
    assert banned_tokens(ids, 0) == set() and banned_tokens([5], 3) == set() and banned_tokens(ids, 6) == set()


def test_ban_repeats_masks_only_the_rows_asked_and_never_every_token() -> None:
    logits = torch.zeros((3, 4))
    out = ban_repeats(logits, [[0, 1, 0], [0, 1, 0], [0, 1, 2, 3]], [2, 0, 1])
    assert out[0].tolist() == [0.0, float("-inf"), 0.0, 0.0]
    assert out[1].tolist() == [0.0] * 4  # size 0: off
    assert out[2].tolist() == [0.0] * 4  # every token banned: left as it was rather than failing the request
    assert logits.eq(0).all()  # the input is not changed


def test_the_run_setting_reaches_sampling_and_matches_generate(loaded: tuple[Any, Any], run_folder: Path,  # noqa: F811
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "run"
    shutil.copytree(run_folder, folder)
    config = json.loads((folder / "generation_config.json").read_text())
    (folder / "generation_config.json").write_text(json.dumps({**config, "no_repeat_ngram_size": 1}))
    assert read_bot_info(folder).defaults.no_repeat_ngram_size == 1
    model, tokenizer = loaded
    ids = tokenizer(tokenizer.eos_token + "My dream is")["input_ids"]
    engine = Engine(model, tokenizer, None, max_batch=4)
    engine.start()
    try:
        free, banned = run_requests(engine, [(ids, Sampling(40, 0.0, 1.0), 1),
                                             (ids, Sampling(40, 0.0, 1.0, no_repeat_ngram=1), 1)], gap=0.0)
    finally:
        engine.stop()
    # A config of its own: the run's generation_config.json (sampling) would otherwise be merged in.
    only = GenerationConfig(max_new_tokens=40, do_sample=False, no_repeat_ngram_size=1,
                            pad_token_id=tokenizer.eos_token_id)
    ref = model.generate(torch.tensor([ids]), generation_config=only)
    assert banned[0] == tokenizer.decode(ref[0, len(ids):], skip_special_tokens=True)
    generated = ref[0, len(ids):].tolist()
    assert len(set(generated)) == len(generated) and not set(generated) & set(ids)  # no token twice
    # Greedy without the ban repeats a token (this random model's 40 tokens do): the test means something.
    assert banned[0] != free[0]
