"""Incremental fetch (issue 28): each API source asks only for what is newer than the previous run's posts,
against replayed APIs; the merge by post id; deleted posts leaving on a full fetch; the skip and warm-start
decisions of `run`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer import cli
from tweetbot_trainer.commands.refresh import skip_reason, warm_start_choice
from tweetbot_trainer.data.incremental import (
    History,
    Since,
    load_history,
    merge_posts,
    newest_numeric_id,
    read_posts,
    write_posts,
)
from tweetbot_trainer.data.post import Post
from tweetbot_trainer.data.prepare import prepare_dataset
from tweetbot_trainer.data.sources import SourceSpec, bluesky, mastodon, x_api
from tweetbot_trainer.data.sources.http import JsonHttpClient
from tweetbot_trainer.errors import TweetBotInputError

from tests.support.http_replay import ABSENT, ReplayServer

ACCOUNT = {"id": "109", "username": "gardener", "acct": "gardener", "display_name": "Green Thumb", "locked": False}
STATUSES = "/api/v1/accounts/109/statuses"


def status(number: int) -> dict[str, Any]:
    """Mastodon status `number`: ids and dates grow with the number (newer posts have larger ids)."""
    return {"id": str(5000 + number), "created_at": f"2024-{1 + number // 28 % 12:02d}-{1 + number % 28:02d}T10:00:00Z",
            "content": f"<p>Day {number} in the garden: the tomatoes are finally turning red and the basil loves"
                       " the morning sun.</p>", "language": "en", "in_reply_to_id": None, "reblog": None}


def serve_mastodon(server: ReplayServer, numbers: list[int], since: str | None = None) -> None:
    """The account's statuses, newest first, one page (then an empty one), answered to `since_id` = `since`."""
    page = [status(n) for n in sorted(numbers, reverse=True)]
    server.add("/api/v1/accounts/lookup", ACCOUNT)
    server.add(STATUSES, page, query={"max_id": ABSENT, "since_id": since})
    if page:
        server.add(STATUSES, [], query={"max_id": page[-1]["id"], "since_id": since})


def test_mastodon_asks_since_the_newest_id() -> None:
    with ReplayServer() as server:
        serve_mastodon(server, [11, 12], since="5010")
        result = mastodon.fetch_posts("gardener", server.url, since=Since("5010", frozenset({"5010", "5009"})))
        calls = server.requests_to(STATUSES)
    assert [p.id for p in result.posts] == ["5012", "5011"]
    assert {c.query.get("since_id") for c in calls} == {"5010"}


def test_mastodon_nothing_new_is_no_error() -> None:
    with ReplayServer() as server:
        serve_mastodon(server, [], since="5010")
        result = mastodon.fetch_posts("gardener", server.url, since=Since("5010"))
    assert result.posts == []


def test_x_api_sends_since_id_and_accepts_an_empty_answer() -> None:
    with ReplayServer() as server:
        server.add("/2/users/by/username/jack", {"data": {"id": "12", "name": "jack"}})
        server.add("/2/users/12/tweets", {"meta": {"result_count": 0}}, query={"since_id": "1790"})
        client = JsonHttpClient(server.url, headers={"Authorization": "Bearer t"})
        result = x_api.fetch_posts("jack", server.url, "UNUSED", client=client, since=Since("1790"))
        calls = server.requests_to("/2/users/12/tweets")
    assert result.posts == [] and [c.query["since_id"] for c in calls] == ["1790"]


def feed_item(rkey: str, text: str, repost: bool = False) -> dict[str, Any]:
    item: dict[str, Any] = {"post": {"uri": f"at://did:plc:x/app.bsky.feed.post/{rkey}",
                                     "record": {"text": text, "createdAt": "2024-05-01T00:00:00Z"}}}
    if repost:
        item["reason"] = {"$type": bluesky.REPOST}
    return item


def test_bluesky_stops_at_the_first_post_already_seen() -> None:
    seen = "at://did:plc:x/app.bsky.feed.post/old1"
    with ReplayServer() as server:
        server.add("/xrpc/app.bsky.actor.getProfile", {"did": "did:plc:x", "handle": "a.bsky.social"})
        page = [feed_item("new2", "second new"), feed_item("old1", "an old post reposted", repost=True),
                feed_item("new1", "first new"), feed_item("old1", "old"), feed_item("old0", "older")]
        server.add("/xrpc/app.bsky.feed.getAuthorFeed", {"feed": page, "cursor": "c1"}, query={"cursor": ABSENT})
        server.add("/xrpc/app.bsky.feed.getAuthorFeed", {"feed": [feed_item("old-1", "oldest")]},
                   query={"cursor": "c1"})
        result = bluesky.fetch_posts("a.bsky.social", server.url, since=Since(None, frozenset({seen})))
        pages = server.requests_to("/xrpc/app.bsky.feed.getAuthorFeed")
    # A repost of a seen post is new in the feed; the seen post itself ends the fetch: no second page.
    assert [p.text for p in result.posts] == ["second new", "an old post reposted", "first new"]
    assert len(pages) == 1


def post(number: int) -> Post:
    return Post(id=str(5000 + number), text=f"post {number}", created_at=f"2024-01-{number:02d}T00:00:00Z")


def test_merge_full_fetch_drops_deleted_posts_but_not_those_beyond_a_capped_window() -> None:
    previous = [post(n) for n in (1, 2, 3, 4)]
    fetched = [post(n) for n in (3, 5)]  # 4 was deleted; 1 and 2 are older than the fetch reaches
    full = merge_posts(previous, fetched, full=True, capped=False)
    assert sorted(p.id for p in full.posts) == ["5003", "5005"] and (full.new, full.deleted) == (1, 3)
    capped = merge_posts(previous, fetched, full=True, capped=True)
    assert sorted(p.id for p in capped.posts) == ["5001", "5002", "5003", "5005"] and capped.deleted == 1
    incremental = merge_posts(previous, [post(5)], full=False, capped=False)
    assert len(incremental.posts) == 5 and (incremental.new, incremental.deleted) == (1, 0)


def test_newest_numeric_id_compares_numbers_not_strings() -> None:
    assert newest_numeric_id(["999", "1000", "abc"]) == "1000" and newest_numeric_id(["x"]) is None


def test_posts_file_round_trips_and_skips_unreadable_lines(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl.gz"
    write_posts(path, {"a": [post(1), post(2)], "b": [post(3)]})
    assert read_posts(path.read_bytes(), str(path)) == {"a": [post(1), post(2)], "b": [post(3)]}


def previous_run(folder: Path, data_dir: Path, runs_since_full: int = 0) -> str:
    """A previous run's folder as `run` leaves it: data/posts.jsonl.gz and data/stats.json."""
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "posts.jsonl.gz").write_bytes((data_dir / "posts.jsonl.gz").read_bytes())
    stats = json.loads((data_dir / "stats.json").read_text())
    stats["data"]["runsSinceFullFetch"] = runs_since_full
    (folder / "data" / "stats.json").write_text(json.dumps(stats))
    return str(folder) + "/"


def test_second_run_fetches_only_new_posts_then_a_full_fetch_drops_a_deleted_one(tmp_path: Path) -> None:
    spec = SourceSpec("mastodon")
    with ReplayServer() as server:
        serve_mastodon(server, list(range(80)))
        spec = SourceSpec("mastodon", url=server.url)
        first = prepare_dataset(["gardener"], spec, tmp_path / "one")
    assert first.data["posts"] == 80 and first.data["newPosts"] == 80 and first.data["fullFetch"]
    history = load_history(previous_run(tmp_path / "run1", tmp_path / "one"))
    assert history.exists and len(history.posts["gardener"]) == 80

    with ReplayServer() as server:  # three new posts, asked for since the newest id
        serve_mastodon(server, [80, 81, 82], since="5079")
        spec = SourceSpec("mastodon", url=server.url)
        second = prepare_dataset(["gardener"], spec, tmp_path / "two", history=history, full_fetch_every=3)
    assert (second.data["posts"], second.data["newPosts"], second.data["fullFetch"]) == (83, 3, False)
    assert second.data["runsSinceFullFetch"] == 1 and second.data["newestPost"] == status(82)["created_at"]
    assert second.stats["gardener"]["downloaded"] == 83

    history = load_history(previous_run(tmp_path / "run2", tmp_path / "two", runs_since_full=2))
    with ReplayServer() as server:  # the third run is the full one: post 40 was deleted upstream
        serve_mastodon(server, [n for n in range(84) if n != 40])
        spec = SourceSpec("mastodon", url=server.url)
        third = prepare_dataset(["gardener"], spec, tmp_path / "three", history=history, full_fetch_every=3)
        assert "since_id" not in server.requests_to(STATUSES)[0].query
    assert (third.data["posts"], third.data["newPosts"], third.data["deletedPosts"]) == (83, 1, 1)
    assert third.data["fullFetch"] and third.data["runsSinceFullFetch"] == 0
    assert "5040" not in {p.id for p in read_posts((tmp_path / "three/posts.jsonl.gz").read_bytes(), "x")["gardener"]}


def test_a_run_folder_without_posts_counts_as_no_previous_run(tmp_path: Path) -> None:
    (tmp_path / "old-run").mkdir()
    assert not load_history(str(tmp_path / "old-run")).exists


def flags(**values: Any) -> argparse.Namespace:
    return argparse.Namespace(**{"min_new_posts": 20, "warm_start": True, **values})


@pytest.mark.parametrize(("data", "skipped"), [
    ({"previousRun": "s3://b/r1/", "newPosts": 3}, True),
    ({"previousRun": "s3://b/r1/", "newPosts": 20}, False),
    ({"previousRun": None, "newPosts": 3}, False),  # a first run always trains
    ({"previousRun": "s3://b/r1/", "newPosts": 0, "deletedPosts": 1}, False),  # a deletion must retrain
])
def test_skip_only_with_a_previous_run_and_too_few_new_posts(data: dict[str, Any], skipped: bool) -> None:
    reason = skip_reason(flags(), data)
    assert (reason is not None) == skipped
    if reason:
        assert reason["status"] == "skipped" and reason["newPosts"] == 3 and reason["minNewPosts"] == 20


def test_warm_start_never_from_a_model_that_saw_deleted_posts() -> None:
    assert warm_start_choice(flags(), {"previousRun": "s3://b/r1/"})[0] == "s3://b/r1/"
    start, why = warm_start_choice(flags(), {"previousRun": "s3://b/r1/", "deletedPosts": 2})
    assert start is None and "deleted" in why
    assert warm_start_choice(flags(warm_start=False), {"previousRun": "s3://b/r1/"})[0] is None


def test_archives_are_read_whole_and_compared_by_id() -> None:
    assert History(uri="s3://b/r/", posts={"a": [post(1)]}).since("a", "archive") is None
    assert History(uri="s3://b/r/", posts={"a": [post(1)]}).since("a", "x-api") == Since("5001", frozenset({"5001"}))


def test_run_with_too_few_new_posts_ends_skipped_before_loading_any_model(
    tmp_path: Path, s3_env: dict[str, str], s3_bucket: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with ReplayServer() as server:
        serve_mastodon(server, list(range(80)))
        prepare_dataset(["gardener"], SourceSpec("mastodon", url=server.url), tmp_path / "one")
    previous = previous_run(tmp_path / "run1", tmp_path / "one")
    log = tmp_path / "termination-log"
    with ReplayServer() as server:
        serve_mastodon(server, [80, 81, 82], since="5079")
        rc = cli.main(["run", "--user", "gardener", "--source", "mastodon", "--source-url", server.url,
                       "--output", f"s3://{s3_bucket}/runs/", "--run-id", "gardener-2", "--previous-run", previous,
                       "--min-new-posts", "20", "--base-model", str(tmp_path / "no-such-model"),
                       "--termination-log", str(log)])
    message = json.loads(log.read_text())
    assert rc == 0 and message["status"] == "skipped" and message["reason"] == "TooFewNewPosts"
    assert (message["newPosts"], message["minNewPosts"], message["data"]["posts"]) == (3, 20, 83)
    assert '"event": "skipped"' in capsys.readouterr().out


def test_an_unreadable_posts_file_is_an_input_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "run1" / "data").mkdir(parents=True)
    (tmp_path / "run1" / "data" / "posts.jsonl.gz").write_bytes(b"not gzip at all")
    with pytest.raises(TweetBotInputError) as caught:
        load_history(str(tmp_path / "run1"))
    assert caught.value.reason == "PreviousRunUnreadable" and "posts.jsonl.gz" in caught.value.message


def test_posts_of_another_source_kind_are_not_carried_over(tmp_path: Path) -> None:
    """ids of one service mean nothing to another (an X since_id from Mastodon ids): a changed source starts over."""
    with ReplayServer() as server:
        serve_mastodon(server, list(range(80)))
        prepare_dataset(["gardener"], SourceSpec("mastodon", url=server.url), tmp_path / "one")
    history = load_history(previous_run(tmp_path / "run1", tmp_path / "one"))
    assert history.source_kind == "mastodon"
    history.source_kind = "bluesky"  # as if the previous run had read Bluesky
    with ReplayServer() as server:
        serve_mastodon(server, list(range(80)))
        again = prepare_dataset(["gardener"], SourceSpec("mastodon", url=server.url), tmp_path / "two",
                                history=history)
        assert "since_id" not in server.requests_to(STATUSES)[0].query
    assert again.data["previousRun"] is None and again.data["newPosts"] == 80
