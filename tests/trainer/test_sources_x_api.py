"""X API v2 source against a local replay server: recorded pages, derived pages, and every failure mode."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer import cli
from tweetbot_trainer.data.sources import x_api
from tweetbot_trainer.data.sources.http import MAX_WAIT_ENV, JsonHttpClient, SourceTemporaryError, _reset_delay
from tweetbot_trainer.errors import TweetBotTransientError

from tests.support.http_replay import ABSENT, ReplayServer

TOKEN = "test-bearer-token-not-a-secret"
LOOKUP = "/2/users/by/username/Twitter"
TIMELINE = "/2/users/783214/tweets"


def load(local_fixtures: Path, name: str) -> Any:
    return json.loads((local_fixtures / "trainer/api" / name).read_text(encoding="utf-8"))


@pytest.fixture
def server() -> Any:
    with ReplayServer() as replay:
        yield replay


@pytest.fixture
def recorded(server: ReplayServer, local_fixtures: Path) -> ReplayServer:
    """@Twitter: the recorded v2 page (2 posts, a next_token), then 20 recorded posts in v2 shape."""
    page1 = load(local_fixtures, "x_v2_users_783214_tweets_page1.json")
    server.add(LOOKUP, load(local_fixtures, "x_v2_users_by_username_twitter.derived.json"))
    server.add(TIMELINE, page1, query={"pagination_token": ABSENT})
    server.add(
        TIMELINE,
        load(local_fixtures, "x_v2_users_783214_tweets_page2.derived.json"),
        query={"pagination_token": page1["meta"]["next_token"]},
    )
    return server


def client(server: ReplayServer, sleeps: list[float] | None = None, **kwargs: Any) -> JsonHttpClient:
    record = sleeps if sleeps is not None else []
    return JsonHttpClient(
        server.url,
        headers={"Authorization": f"Bearer {TOKEN}"},
        sleep=record.append,
        clock=lambda: 1_700_000_000.0,
        **kwargs,
    )


def test_pages_until_no_next_token(recorded: ReplayServer) -> None:
    result = x_api.fetch_posts("Twitter", recorded.url, "UNUSED", client=client(recorded))
    assert len(result.posts) == 22
    assert result.posts[0].text.startswith("whoa, it works")
    assert result.profile["display_name"] == "Twitter"
    assert result.profile["avatar_url"].startswith("https://pbs.twimg.com/")
    assert sum(p.is_reply for p in result.posts) == 19  # the derived page's replies
    calls = recorded.requests_to(TIMELINE)
    assert [c.query.get("max_results") for c in calls] == ["100", "100"]
    assert "note_tweet" in calls[0].query["tweet.fields"] and "referenced_tweets" in calls[0].query["tweet.fields"]
    assert all(c.headers["authorization"] == f"Bearer {TOKEN}" for c in recorded.requests)
    lookup = recorded.requests_to(LOOKUP)[0]
    assert set(lookup.query["user.fields"].split(",")) == {"name", "profile_image_url", "protected"}


def test_cli_with_token_from_env(
    recorded: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MY_X_TOKEN", TOKEN)
    argv = ["prepare", "--user", "Twitter", "--source", "x-api", "--source-url", recorded.url]
    rc = cli.main([*argv, "--token-env", "MY_X_TOKEN", "--out", str(tmp_path)])
    captured = capsys.readouterr()
    # 22 posts of a brand account are mostly "@user 👀 <link>": not enough text, said in one line.
    assert rc == 2 and "not enough posts: @Twitter" in captured.err
    assert TOKEN not in captured.out + captured.err
    stats = next(json.loads(line) for line in captured.out.splitlines() if '"stats"' in line)
    assert stats["users"]["Twitter"] == {"downloaded": 22, "retweets": 0, "short": 13, "kept": 9}


def test_referenced_tweets_and_note_tweet() -> None:
    long_text = "a long post " * 40
    posts = [
        x_api.tweet_to_post({"id": "1", "text": "RT @a: hi", "referenced_tweets": [{"type": "retweeted", "id": "9"}]}),
        x_api.tweet_to_post({"id": "2", "text": "@a yes", "referenced_tweets": [{"type": "replied_to", "id": "9"}]}),
        x_api.tweet_to_post({"id": "3", "text": "so this", "referenced_tweets": [{"type": "quoted", "id": "9"}]}),
        x_api.tweet_to_post({"id": "4", "text": "a long post a long…", "note_tweet": {"text": long_text}}),
    ]
    assert [(p.is_repost, p.is_reply, p.is_quote) for p in posts if p] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
        (False, False, False),
    ]
    assert posts[3] is not None and posts[3].text == long_text
    assert x_api.tweet_to_post({"id": "5"}) is None


def _page(start: int, count: int, next_token: str | None) -> dict[str, Any]:
    data = [{"id": str(start + i), "text": f"post number {start + i} with words"} for i in range(count)]
    meta: dict[str, Any] = {"result_count": count}
    if next_token:
        meta["next_token"] = next_token
    return {"data": data, "meta": meta}


def test_stops_at_the_3200_cap(server: ReplayServer) -> None:
    server.add("/2/users/by/username/busy", {"data": {"id": "7", "name": "Busy", "username": "busy"}})
    for n in range(40):  # 4,000 posts on offer
        token = ABSENT if n == 0 else f"t{n}"
        server.add("/2/users/7/tweets", _page(n * 100, 100, f"t{n + 1}"), query={"pagination_token": token})
    result = x_api.fetch_posts("busy", None, "UNUSED", client=client(server))
    assert len(result.posts) == 3200
    assert len(server.requests_to("/2/users/7/tweets")) == 32


def test_429_waits_for_the_reset_then_retries(server: ReplayServer) -> None:
    server.add("/2/users/by/username/slow", {"data": {"id": "8", "name": "Slow", "username": "slow"}})
    server.add(
        "/2/users/8/tweets",
        {"title": "Too Many Requests"},
        status=429,
        headers={"x-rate-limit-reset": "1700000030"},
        times=1,
    )
    server.add("/2/users/8/tweets", _page(0, 5, None))
    sleeps: list[float] = []
    result = x_api.fetch_posts("slow", None, "UNUSED", client=client(server, sleeps))
    assert len(result.posts) == 5
    assert sleeps == [30.0]  # reset time minus the clock


def test_429_wait_is_clamped_and_gives_up(server: ReplayServer) -> None:
    server.add("/2/users/by/username/slow", {"data": {"id": "8", "name": "Slow", "username": "slow"}})
    server.add("/2/users/8/tweets", {}, status=429, headers={"x-rate-limit-reset": "99999999999"})
    sleeps: list[float] = []
    with pytest.raises(SourceTemporaryError, match="429"):
        x_api.fetch_posts("slow", None, "UNUSED", client=client(server, sleeps, max_wait_s=5.0, attempts=3))
    assert sleeps == [5.0, 5.0, 5.0]


def test_5xx_is_retried(server: ReplayServer) -> None:
    server.add("/2/users/by/username/flaky", {"data": {"id": "9", "name": "F", "username": "flaky"}})
    server.add("/2/users/9/tweets", {"title": "oops"}, status=503, times=2)
    server.add("/2/users/9/tweets", _page(0, 3, None))
    sleeps: list[float] = []
    assert len(x_api.fetch_posts("flaky", None, "UNUSED", client=client(server, sleeps)).posts) == 3
    assert sleeps == [1.0, 2.0]


# --- bad input: one line, exit code 2 -------------------------------------------------------------------
def run(server: ReplayServer, user: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    argv = ["prepare", "--user", user, "--source", "x-api", "--source-url", server.url, "--out", str(tmp_path)]
    rc = cli.main(argv)
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and TOKEN not in err
    return rc, err


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)


@pytest.mark.usefixtures("token")
def test_unknown_user(server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_found = {
        "errors": [
            {
                "value": "nobody_here_123",
                "detail": "Could not find user with username: [nobody_here_123].",
                "title": "Not Found Error",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }
        ]
    }
    server.add("/2/users/by/username/nobody_here_123", not_found)
    rc, err = run(server, "nobody_here_123", tmp_path, capsys)
    assert rc == 2 and "@nobody_here_123: the X account does not exist" in err


@pytest.mark.usefixtures("token")
def test_protected_account(server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server.add(
        "/2/users/by/username/private", {"data": {"id": "5", "name": "P", "username": "private", "protected": True}}
    )
    rc, err = run(server, "private", tmp_path, capsys)
    assert rc == 2 and "@private: the X account is protected" in err
    assert not server.requests_to("/2/users/5/tweets")


@pytest.mark.usefixtures("token")
def test_empty_feed(server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server.add("/2/users/by/username/quiet", {"data": {"id": "6", "name": "Q", "username": "quiet"}})
    server.add("/2/users/6/tweets", {"meta": {"result_count": 0}})
    rc, err = run(server, "quiet", tmp_path, capsys)
    assert rc == 2 and "@quiet: the X account has no posts" in err


@pytest.mark.usefixtures("token")
def test_bad_token(server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server.add("/2/users/by/username/Twitter", {"title": "Unauthorized", "status": 401}, status=401)
    rc, err = run(server, "Twitter", tmp_path, capsys)
    assert rc == 2 and "rejected the bearer token" in err


def test_missing_token(
    server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    rc, err = run(server, "Twitter", tmp_path, capsys)
    assert rc == 2 and "set the environment variable X_BEARER_TOKEN" in err
    assert not server.requests


def test_unreachable_api(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dead = ReplayServer().start()
    url = dead.url
    dead.stop()
    http = JsonHttpClient(url, sleep=lambda s: None, attempts=2)
    with pytest.raises(TweetBotTransientError) as err:  # a network blip as often as a wrong URL: the Job retries
        x_api.fetch_posts("anyone", url, "UNUSED", client=http)
    assert err.value.reason == "SourceUnreachable" and url in err.value.message


def test_rate_limit_headers_of_each_service() -> None:
    now = 1_700_000_000.0
    assert _reset_delay({"x-rate-limit-reset": "1700000042"}, now) == 42.0  # X: epoch seconds
    assert _reset_delay({"ratelimit-reset": "1700000010"}, now) == 10.0  # Bluesky
    assert _reset_delay({"x-ratelimit-reset": "2023-11-14T22:14:20.000Z"}, now) == 60.0  # Mastodon: ISO date
    assert _reset_delay({"retry-after": "7"}, now) == 7.0
    assert _reset_delay({}, now) is None


@pytest.mark.usefixtures("token")
def test_wait_cap_from_the_environment(
    server: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the CLI (real sleep): a far-off reset is clamped by TWEETBOT_RATE_LIMIT_MAX_WAIT_S."""
    monkeypatch.setenv(MAX_WAIT_ENV, "0")
    server.add("/2/users/by/username/slow", {"data": {"id": "8", "name": "Slow", "username": "slow"}})
    server.add("/2/users/8/tweets", {}, status=429, headers={"x-rate-limit-reset": "99999999999"}, times=2)
    server.add("/2/users/8/tweets", {"meta": {"result_count": 0}})
    rc, err = run(server, "slow", tmp_path, capsys)
    assert rc == 2 and "no posts" in err
    assert len(server.requests_to("/2/users/8/tweets")) == 3
