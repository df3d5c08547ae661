"""prepare_dataset and `tweetbot-train prepare`: files written, events and table printed, guards enforced."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer import cli
from tweetbot_trainer.data.dataset import EOT
from tweetbot_trainer.data.prepare import (
    SAMPLE_ARCHIVE,
    SourceSpec,
    add_source_arguments,
    prepare_dataset,
    source_spec_from_args,
)
from tweetbot_trainer.errors import TweetBotInputError


def sample_records() -> list[Any]:
    text = SAMPLE_ARCHIVE.read_text(encoding="utf-8")
    return json.loads(text[text.index("[") :])


def write_archive(path: Path, records: list[Any]) -> Path:
    path.write_text("window.YTD.tweets.part0 = " + json.dumps(records), encoding="utf-8")
    return path


def test_sample_archive(tmp_path: Path) -> None:
    events: list[dict[str, Any]] = []
    spec = SourceSpec(kind="archive", uri=str(SAMPLE_ARCHIVE))
    prepared = prepare_dataset(["@tweetbot_sample"], spec, tmp_path / "data", seed=7, on_event=events.append)
    assert prepared.train_path == tmp_path / "data" / "train.txt"
    assert prepared.stats == {"tweetbot_sample": {"downloaded": 620, "retweets": 65, "short": 38, "kept": 517}}
    assert prepared.languages == ["en"] and prepared.warnings == [] and prepared.profiles == {"tweetbot_sample": {}}
    assert [e.get("phase", e["event"]) for e in events] == ["download", "log", "prepare", "stats"]
    # A bare tweets.js names no account: the log says whose posts they are taken to be.
    assert events[1]["message"].endswith("names no account (no account.js): its posts are taken as @tweetbot_sample's")
    train = prepared.train_path.read_text(encoding="utf-8")
    held_out = prepared.eval_path.read_text(encoding="utf-8")
    assert train.startswith(EOT) and train.endswith(EOT) and held_out.startswith(EOT)
    assert "https://" not in train and "RT @" not in train and "\n" not in train and "&amp;" not in train
    saved = json.loads((tmp_path / "data" / "stats.json").read_text())
    assert saved["users"] == prepared.stats and saved["seed"] == 7 and saved["languages"] == ["en"]
    assert saved["train_posts"] == 465 and saved["eval_posts"] == 52  # 90/10 of 517
    assert saved["train_chars"] == len(train) and saved["warnings"] == []


def test_same_seed_same_text(tmp_path: Path) -> None:
    spec = SourceSpec(kind="archive", uri=str(SAMPLE_ARCHIVE))
    a = prepare_dataset(["s"], spec, tmp_path / "a", seed=1).train_path.read_text()
    b = prepare_dataset(["s"], spec, tmp_path / "b", seed=1).train_path.read_text()
    c = prepare_dataset(["s"], spec, tmp_path / "c", seed=2).train_path.read_text()
    assert a == b and a != c


def test_several_users_from_one_uri_template(tmp_path: Path) -> None:
    records = sample_records()
    write_archive(tmp_path / "big.js", records)
    write_archive(tmp_path / "small.js", records[:250])
    prepared = prepare_dataset(["big", "small"], SourceSpec("archive", uri=str(tmp_path / "{user}.js")), tmp_path / "o")
    assert list(prepared.stats) == ["big", "small"]
    assert prepared.stats["small"]["downloaded"] == 250
    assert any("@small has only" in w for w in prepared.warnings)  # under 40,000 characters
    train = prepared.train_path.read_text().split(EOT)
    # upsampled: the small user's training posts now weigh about as much as the big user's
    assert len(train) > 2 * 465


def test_cli_prints_events_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["prepare", "--user", "sample", "--source", "archive", "--source-uri", str(SAMPLE_ARCHIVE)]
    assert cli.main([*argv, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    events = [json.loads(line) for line in out if line.startswith("{")]
    assert [e.get("phase", e["event"]) for e in events] == ["download", "log", "prepare", "stats", "done"]
    assert all(isinstance(e.get("ts", 0.0), float) for e in events)
    assert events[3] == {
        "event": "stats",
        "users": {"sample": {"downloaded": 620, "retweets": 65, "short": 38, "kept": 517}},
    }
    table = [line for line in out if line.startswith("|")]
    assert table == [
        "| Data | @sample |",
        "| --- | --- |",
        "| Tweets downloaded | 620 |",
        "| Retweets | 65 |",
        "| Short tweets | 38 |",
        "| Tweets kept | 517 |",
    ]


def test_not_enough_posts(local_fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    uri = local_fixtures / "trainer/archives/andreruffert-excerpt-tweets.js"
    argv = ["prepare", "--user", "andreruffert", "--source", "archive", "--source-uri", str(uri)]
    rc = cli.main([*argv, "--out", str(tmp_path / "o")])
    captured = capsys.readouterr()
    assert rc == 2
    assumed, error_line = captured.err.strip().split("\n")
    assert assumed.endswith("its posts are taken as @andreruffert's")
    assert error_line.startswith("tweetbot-train prepare: error: not enough posts: @andreruffert has ")
    assert "at least 6,000 are needed" in error_line
    assert "| Tweets kept | 21 |" in captured.out  # the table is still shown
    error = json.loads(captured.out.splitlines()[-1])
    assert error["event"] == "error" and error["reason"] == "NotEnoughPosts"
    assert not (tmp_path / "o" / "train.txt").exists()  # never a silently tiny dataset


def test_andreruffert_table(shared_fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    uri = shared_fixtures / "archives" / "andreruffert-tweets.js"
    argv = ["prepare", "--user", "andreruffert", "--source", "archive", "--source-uri", str(uri)]
    assert cli.main([*argv, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for row in (
        "| Tweets downloaded | 1986 |",
        "| Retweets | 643 |",
        "| Short tweets | 230 |",
        "| Tweets kept | 1113 |",
    ):
        assert row in out
    assert json.loads((tmp_path / "stats.json").read_text())["languages"][0] == "en"


def test_cjk_archive_prepares(shared_fixtures: Path, tmp_path: Path) -> None:
    spec = SourceSpec("archive", uri=str(shared_fixtures / "archives" / "dsajgiouawj-tweet.js"))
    prepared = prepare_dataset(["dsajgiouawj"], spec, tmp_path)
    assert prepared.stats["dsajgiouawj"]["kept"] > 900 and prepared.languages == ["ja"]


def test_source_arguments() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)  # e.g. a training flag of `run`
    add_source_arguments(parser)
    args = parser.parse_args(["--user", "a", "--user", "b", "--source", "x-api", "--token-env", "TOK"])
    assert args.users == ["a", "b"] and args.seed == 1 and args.s3_endpoint is None
    assert source_spec_from_args(args) == SourceSpec(kind="x-api", uri=None, url=None, token_env="TOK")
    with pytest.raises(SystemExit):
        parser.parse_args(["--user", "a", "--source", "myspace"])


def test_archive_needs_a_uri(tmp_path: Path) -> None:
    with pytest.raises(TweetBotInputError) as err:
        prepare_dataset(["a"], SourceSpec("archive"), tmp_path)
    assert err.value.reason == "MissingSourceUri"


def posts_of(count: int, length: int) -> list[Any]:
    """`count` distinct archive posts that clean to exactly `length` characters each."""
    records = []
    for n in range(count):
        text = f"post number {n:05d} says hello "
        records.append({"tweet": {"id_str": str(n), "full_text": (text * length)[:length].strip().ljust(length, "x")}})
    return records


@pytest.mark.parametrize(
    ("count", "length", "outcome"),
    [
        (140, 40, "warn"),  # 5,600 without separators (refused before); 7,407 joined: trained, with a warning
        (100, 40, "error"),  # 4,000 + 99 x 13 = 5,287
        (700, 55, "ok"),  # 38,500 without separators (warned before); 47,587 joined: no warning
    ],
)
def test_limits_use_huggingtweets_measure(tmp_path: Path, count: int, length: int, outcome: str) -> None:
    records = posts_of(count, length)
    joined = count * length + len(EOT) * (count - 1)
    spec = SourceSpec("archive", uri=str(write_archive(tmp_path / "tweets.js", records)))
    if outcome == "error":
        with pytest.raises(TweetBotInputError) as err:
            prepare_dataset(["someone"], spec, tmp_path / "o")
        assert err.value.reason == "NotEnoughPosts"
        assert f"@someone has {joined:,} characters of kept posts joined by '<|endoftext|>'" in err.value.message
        return
    prepared = prepare_dataset(["someone"], spec, tmp_path / "o")
    assert prepared.stats["someone"]["kept"] == count
    if outcome == "warn":
        assert prepared.warnings == [
            f"@someone has only {joined:,} characters of kept posts joined by '<|endoftext|>', as huggingtweets"
            " counts (under 40,000): the model will overfit quickly"
        ]
    else:
        assert prepared.warnings == []
