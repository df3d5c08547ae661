"""Memory per post stays bounded: records become compact Posts one at a time (never a list of all parsed dicts),
local files are read without allocating the whole 1 GiB cap, and one source holds at most MAX_POSTS posts."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from tweetbot_trainer.data.cleaning import clean_posts
from tweetbot_trainer.data.sources import SourceSpec, base, load_posts
from tweetbot_trainer.errors import TweetBotInputError

POSTS = 50_000
# Measured: about 315 bytes a tiny post, Post and cleaned text together (docs/reliability.md); before: 12x the file.
BYTES_PER_POST = 500


@pytest.mark.parametrize("shape", ["jsonl", "json", "tweets.js"])
def test_tiny_posts_take_bounded_memory(tmp_path: Path, shape: str) -> None:
    records = [{"id": str(i), "text": f"post number {i} ok"} for i in range(POSTS)]
    if shape == "jsonl":
        raw = "".join(json.dumps(r) + "\n" for r in records)
    elif shape == "json":
        raw = json.dumps(records)
    else:
        raw = "window.YTD.tweets.part0 = " + json.dumps([{"tweet": {"id_str": r["id"], "full_text": r["text"]}}
                                                       for r in records])
    path = tmp_path / f"posts.{shape}"
    path.write_text(raw)
    kind = "archive" if shape == "tweets.js" else "file"
    tracemalloc.start()
    try:
        result = load_posts("someone", SourceSpec(kind=kind, uri=str(path)))
        cleaned = clean_posts(result.posts)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(cleaned.kept) == POSTS
    assert peak < 2 * len(raw) + BYTES_PER_POST * POSTS, f"{peak / POSTS:.0f} bytes a post"


def test_one_source_holds_at_most_max_posts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "MAX_POSTS", 100)
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps({"text": f"post {i} here"}) + "\n" for i in range(101)))
    with pytest.raises(TweetBotInputError) as caught:
        load_posts("someone", SourceSpec(kind="file", uri=str(path)))
    assert caught.value.reason == "TooManyPosts" and str(path) in caught.value.message
