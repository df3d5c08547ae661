"""Reading the trainer's output as a real pod log and termination message carry it (issue 11, defects 3, 6, 7)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from tweetbot_operator.k8s.client import encode_json
from tweetbot_operator.training.trainer_output import clean_stats, parse_progress, parse_termination_message

LINE = {"event": "progress", "step": 3, "total_steps": 9, "percent": 33.3, "loss": 2.5, "eta_s": 12.0}
STATUS = {"step": 3, "totalSteps": 9, "percent": 33.3, "loss": 2.5, "etaSeconds": 12.0}


def test_a_progress_line_after_tqdm_updates_is_found():
    glued = "\rtrain:  30%|###       | 3/9 [00:03<00:06, 1.0it/s]" + json.dumps(LINE)
    assert parse_progress(glued + "\n") == STATUS
    assert parse_progress("\r 1/9" + json.dumps(LINE) + "\r 4/9 [00:04]") == STATUS  # and tqdm after it


def test_the_last_progress_object_wins_and_broken_ones_are_skipped():
    newer = {**LINE, "step": 4}
    tail = json.dumps(LINE) + "\n" + '{"event": "progress", "step": 5, "tot' + json.dumps(newer) + "\n"
    assert parse_progress(tail)["step"] == 4
    assert parse_progress('{"event": "phase", "phase": "train"}\n') is None


def test_non_finite_numbers_are_left_out():
    line = json.dumps({**LINE, "loss": float("nan"), "eta_s": float("inf"), "percent": 1e400})
    assert parse_progress(line) == {"step": 3, "totalSteps": 9}
    result = parse_termination_message('{"status": "succeeded", "evalLoss": NaN, "perplexity": -Infinity}')
    assert result == {"status": "succeeded", "evalLoss": None, "perplexity": None}


@given(st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=10))
def test_what_the_operator_sends_is_strict_json(value):
    text = encode_json(value)
    json.loads(text, parse_constant=lambda token: (_ for _ in ()).throw(AssertionError(token)))


def test_stats_keep_what_the_status_schema_holds():
    stats = {"a": {"downloaded": 3, "kept": 1, "skipped": 2, "future": 9, "short": True}, "b": "junk"}
    assert clean_stats(stats) == {"a": {"downloaded": 3, "kept": 1, "skipped": 2}}
    assert clean_stats(None) is None
