"""JSONL / JSON / CSV files of posts, local and from the real test S3 server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer.data.sources.file import read_file
from tweetbot_trainer.errors import TweetBotInputError

ROWS = [
    {"id": "1", "text": "a post from some other service with words", "lang": "en", "created_at": "2024-01-01"},
    {"id": "2", "text": "RT @x: a repost marked only by its text"},
    {"id": "3", "text": "marked as a repost by its field", "is_repost": True},
    {"id": "4", "text": "@x a reply", "is_reply": "true"},
    {"id": "5", "content": "the text can also be called content"},
]


def test_jsonl_with_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    lines = [json.dumps(r) for r in ROWS] + ["{not json", "", json.dumps({"id": "6"})]
    path.write_text("\n".join(lines))
    result = read_file(str(path))
    assert [p.id for p in result.posts] == ["1", "2", "3", "4", "5"]
    assert [p.is_repost for p in result.posts] == [False, True, True, False, False]
    assert result.posts[3].is_reply and result.posts[0].lang == "en"
    assert result.skipped == 2  # the broken line and the record without text


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "posts.json"
    path.write_text(json.dumps(ROWS))
    assert len(read_file(str(path)).posts) == 5


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        "id,text,is_repost,lang\n"
        '1,"plain, with a comma and ""quotes""",false,en\n'
        "2,RT @x: text only,,\n"
        '3,"multi\nline post",1,en\n'
    )
    result = read_file(str(path))
    assert [p.text for p in result.posts] == [
        'plain, with a comma and "quotes"',
        "RT @x: text only",
        "multi\nline post",
    ]
    assert [p.is_repost for p in result.posts] == [False, True, True]


def test_from_s3(s3_client: Any, s3_bucket: str, s3_env: dict[str, str]) -> None:
    s3_client.put_object(Bucket=s3_bucket, Key="exports/alice.jsonl", Body="\n".join(json.dumps(r) for r in ROWS))
    assert len(read_file(f"s3://{s3_bucket}/exports/alice.jsonl").posts) == 5


def test_corrupt_json_array(tmp_path: Path) -> None:
    path = tmp_path / "posts.json"
    path.write_text('[{"text": "a"}, {"text": ')
    with pytest.raises(TweetBotInputError) as err:
        read_file(str(path))
    assert err.value.reason == "FileCorrupt" and str(path) in err.value.message
