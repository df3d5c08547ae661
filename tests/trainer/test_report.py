"""Progress reporting: JSON lines per docs/design.md and the termination message's 4 KiB cap."""

from __future__ import annotations

import io
import json
from pathlib import Path

from tweetbot_trainer.report import (
    TERMINATION_LIMIT,
    FanOut,
    JsonLinesReporter,
    Progress,
    TerminationMessageReporter,
    TqdmReporter,
    termination_message,
)


def test_json_lines_match_the_design() -> None:
    out = io.StringIO()
    reporter = JsonLinesReporter(out, clock=lambda: 1732540000.0)
    reporter.phase("train")
    reporter.stats({"spiraltoo": {"downloaded": 1986, "retweets": 643, "short": 230, "kept": 1113}})
    reporter.progress(Progress(step=120, total_steps=400, epoch=1.2, loss=3.21, tokens_per_s=51234.5, eta_s=85.2))
    reporter.evaluation("before", 3.9, 49.4)
    reporter.checkpoint(200, "s3://bots/spiraltoo/spiraltoo-g1/checkpoints/step-200/")
    reporter.failed("NotEnoughPosts", "not enough posts: 3")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0] == {"event": "phase", "phase": "train", "ts": 1732540000.0}
    assert lines[1]["users"]["spiraltoo"]["kept"] == 1113
    assert lines[2] == {
        "event": "progress",
        "step": 120,
        "total_steps": 400,
        "percent": 30.0,
        "epoch": 1.2,
        "loss": 3.21,
        "tokens_per_s": 51234.5,
        "eta_s": 85.2,
    }
    assert lines[3] == {"event": "eval", "when": "before", "loss": 3.9, "perplexity": 49.4}
    assert lines[4]["event"] == "checkpoint" and lines[4]["step"] == 200
    assert lines[5] == {"event": "error", "reason": "NotEnoughPosts", "message": "not enough posts: 3"}


def _summary(users: int, message_len: int = 0) -> dict[str, object]:
    summary: dict[str, object] = {
        "status": "succeeded",
        "runId": "spiraltoo-g1",
        "modelURI": "s3://bots/spiraltoo/spiraltoo-g1/",
        "evalLossBefore": 3.9,
        "evalLoss": 3.1,
        "perplexity": 22.2,
        "durationSeconds": 100.0,
        "stats": {
            f"user{i:04d}": {"downloaded": 3200, "retweets": 100, "short": 50, "kept": 3050} for i in range(users)
        },
    }
    if message_len:
        summary["message"] = "ü<é" * message_len  # multi-byte and JSON-escaped characters
    return summary


def test_small_summary_is_kept_whole() -> None:
    summary = _summary(users=2)
    assert json.loads(termination_message(summary)) == summary


def test_stats_are_dropped_first_when_too_long() -> None:
    text = termination_message(_summary(users=200))
    assert len(text.encode()) <= TERMINATION_LIMIT
    decoded = json.loads(text)
    assert "stats" not in decoded
    assert decoded["modelURI"] == "s3://bots/spiraltoo/spiraltoo-g1/" and decoded["evalLoss"] == 3.1


def test_a_long_base_model_goes_before_the_model_uri() -> None:
    """What the run published (published, baseModel, loraRank) is kept when it fits; a base model path too long
    for the 4 KiB message is dropped, never the modelURI the operator serves."""
    published = {"published": "adapter", "loraRank": 16}
    short = termination_message({**_summary(users=200), **published, "baseModel": "s3://models/llama/"})
    assert {**published, "baseModel": "s3://models/llama/"}.items() <= json.loads(short).items()
    decoded = json.loads(termination_message({**_summary(users=2), **published, "baseModel": "s3://m/" + "x" * 5000}))
    assert "baseModel" not in decoded and published.items() <= decoded.items()
    assert decoded["modelURI"] == "s3://bots/spiraltoo/spiraltoo-g1/" and "stats" not in decoded


def test_message_is_cut_after_stats() -> None:
    text = termination_message(_summary(users=200, message_len=5000))
    assert len(text.encode()) <= TERMINATION_LIMIT
    decoded = json.loads(text)
    assert "stats" not in decoded
    assert decoded["message"].endswith("...") and decoded["message"].startswith("ü<é")
    assert len(text.encode()) > TERMINATION_LIMIT - 16  # cut at the limit, not far below it


def test_termination_reporter_writes_failure_and_skips_unwritable(tmp_path: Path) -> None:
    path = tmp_path / "termination-log"
    TerminationMessageReporter(str(path)).failed("BadCredentials", "s3://bots: InvalidAccessKeyId")
    assert json.loads(path.read_text()) == {
        "status": "failed",
        "reason": "BadCredentials",
        "message": "s3://bots: InvalidAccessKeyId",
    }
    # Outside a pod /dev/termination-log does not exist: nothing is written, nothing raised.
    TerminationMessageReporter(str(tmp_path / "missing-dir" / "log")).succeeded({"runId": "x"})
    assert not (tmp_path / "missing-dir").exists()


def test_fan_out_reaches_every_reporter(tmp_path: Path) -> None:
    out = io.StringIO()
    path = tmp_path / "log"
    FanOut(JsonLinesReporter(out), TerminationMessageReporter(str(path))).succeeded({"runId": "r-g1"})
    assert json.loads(path.read_text()) == {"status": "succeeded", "runId": "r-g1"}
    assert out.getvalue() == ""  # succeeded is the termination message's business, not a log line


def test_tqdm_reporter_draws_progress_on_its_stream() -> None:
    err = io.StringIO()
    reporter = TqdmReporter(err)
    reporter.phase("train")
    for step in (1, 2, 3):
        reporter.progress(Progress(step=step, total_steps=3, epoch=step / 3, loss=2.5, tokens_per_s=100.0, eta_s=1.0))
    reporter.phase("eval")
    text = err.getvalue()
    assert "[tweetbot] train" in text and "3/3" in text and "loss=2.500" in text and "[tweetbot] eval" in text
