"""The X archive source: every layout (tweets.js, legacy tweet.js, partN files, zip, folder) and every place
(local, s3:// on the real test S3 server, https:// on a local server), and every kind of broken archive."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer import cli
from tweetbot_trainer.data.sources.archive import parse_tweets_js, read_archive, record_to_post, tweet_file_order
from tweetbot_trainer.errors import TweetBotInputError, TweetBotTransientError

from tests.support.http_replay import ReplayServer

EXCERPT = "trainer/archives/andreruffert-excerpt-tweets.js"
LEGACY = "trainer/archives/dsajgiouawj-excerpt-tweet.js"


def records(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("[") :])


def js(family: str, part: int, items: list[Any]) -> bytes:
    return f"window.YTD.{family}.part{part} = {json.dumps(items)}".encode()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def run_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, uri: str, user: str = "someone") -> tuple[int, str]:
    rc = cli.main(["prepare", "--user", user, "--source", "archive", "--source-uri", uri, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip()
    return rc, err


def test_tweets_js_file(local_fixtures: Path) -> None:
    result = read_archive(str(local_fixtures / EXCERPT))
    assert len(result.posts) == 50 and result.skipped == 0
    reposts = [p for p in result.posts if p.is_repost]
    assert len(reposts) == 17 and all(p.text.startswith("RT @") for p in reposts)
    first = result.posts[0]
    assert first.source == "archive" and first.lang == "en"
    assert first.created_at is not None and first.created_at.startswith("2022-11-0")


def test_legacy_tweet_js_file(local_fixtures: Path) -> None:
    result = read_archive(str(local_fixtures / LEGACY))
    assert len(result.posts) == 50
    assert {p.lang for p in result.posts} >= {"ja"}


def test_reply_and_quote_flags() -> None:
    reply = record_to_post({"tweet": {"id_str": "1", "full_text": "@a hi there", "in_reply_to_status_id_str": "9"}})
    quote_url = {"urls": [{"expanded_url": "https://twitter.com/bob/status/123"}]}
    quote = record_to_post({"tweet": {"id_str": "2", "full_text": "look at this", "entities": quote_url}})
    bare_2019 = record_to_post({"id_str": "3", "full_text": "old archives had no wrapper object"})
    assert reply is not None and reply.is_reply and not reply.is_quote
    assert quote is not None and quote.is_quote
    assert bare_2019 is not None and bare_2019.text.startswith("old")
    assert record_to_post({"tweet": {"id_str": "4"}}) is None


def test_split_part_files_in_a_folder(local_fixtures: Path, tmp_path: Path) -> None:
    items = records(local_fixtures / EXCERPT)
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    (data / "tweets.js").write_bytes(js("tweets", 0, items[:20]))
    (data / "tweets-part1.js").write_bytes(js("tweets", 1, items[20:35]))
    (data / "tweets-part2.js").write_bytes(js("tweets", 2, items[35:]))
    (data / "like.js").write_bytes(b"window.YTD.like.part0 = []")
    from_folder = read_archive(str(tmp_path / "archive"))
    from_file = read_archive(str(data / "tweets.js"))  # the neighbouring parts come along
    expected = [r["tweet"]["id_str"] for r in items]
    assert [p.id for p in from_folder.posts] == expected
    assert [p.id for p in from_file.posts] == expected


def test_part_order_is_numeric() -> None:
    names = ["data/tweets-part10.js", "data/tweets-part2.js", "data/tweets.js", "data/tweet.js", "data/like.js"]
    assert tweet_file_order(names) == ["data/tweets.js", "data/tweets-part2.js", "data/tweets-part10.js"]
    assert tweet_file_order(["data/tweet.js", "data/tweet-part1.js"]) == ["data/tweet.js", "data/tweet-part1.js"]


def test_whole_archive_zip_with_profile(local_fixtures: Path, tmp_path: Path) -> None:
    items = records(local_fixtures / EXCERPT)
    account = [{"account": {"username": "someone", "accountDisplayName": "Some One"}}]
    profile = [{"profile": {"avatarMediaUrl": "https://pbs.twimg.com/profile_images/1/a.jpg"}}]
    raw = zip_bytes(
        {
            "data/tweets.js": js("tweets", 0, items[:30]),
            "data/tweets-part1.js": js("tweets", 1, items[30:]),
            "data/account.js": js("account", 0, account),
            "data/profile.js": js("profile", 0, profile),
            "data/like.js": js("like", 0, []),
            "Your archive.html": b"<html></html>",
        }
    )
    path = tmp_path / "twitter-2024.zip"
    path.write_bytes(raw)
    result = read_archive(str(path))
    assert len(result.posts) == 50
    assert result.profile == {"display_name": "Some One", "avatar_url": "https://pbs.twimg.com/profile_images/1/a.jpg"}


def test_legacy_zip(local_fixtures: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.zip"
    path.write_bytes(zip_bytes({"data/tweet.js": (local_fixtures / LEGACY).read_bytes()}))
    assert len(read_archive(str(path)).posts) == 50


def test_s3_file_zip_and_folder(local_fixtures: Path, s3_client: Any, s3_bucket: str, s3_env: dict[str, str]) -> None:
    raw = (local_fixtures / EXCERPT).read_bytes()
    items = records(local_fixtures / EXCERPT)
    s3_client.put_object(Bucket=s3_bucket, Key="archives/someone.js", Body=raw)
    s3_client.put_object(Bucket=s3_bucket, Key="archives/someone.zip", Body=zip_bytes({"data/tweets.js": raw}))
    s3_client.put_object(Bucket=s3_bucket, Key="unzipped/data/tweets.js", Body=js("tweets", 0, items[:25]))
    s3_client.put_object(Bucket=s3_bucket, Key="unzipped/data/tweets-part1.js", Body=js("tweets", 1, items[25:]))
    for uri in (f"s3://{s3_bucket}/archives/someone.js", f"s3://{s3_bucket}/archives/someone.zip"):
        assert len(read_archive(uri).posts) == 50, uri
    folder = read_archive(f"s3://{s3_bucket}/unzipped/")
    assert [p.id for p in folder.posts] == [r["tweet"]["id_str"] for r in items]


def test_s3_with_explicit_endpoint(local_fixtures: Path, s3_client: Any, s3_bucket: str, s3_server: Any) -> None:
    s3_client.put_object(Bucket=s3_bucket, Key="a.js", Body=(local_fixtures / EXCERPT).read_bytes())
    # Credentials from env are still needed; the endpoint comes from the argument, not AWS_ENDPOINT_URL_S3.
    env = s3_server.env()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_ACCESS_KEY_ID", env["AWS_ACCESS_KEY_ID"])
        mp.setenv("AWS_SECRET_ACCESS_KEY", env["AWS_SECRET_ACCESS_KEY"])
        mp.setenv("AWS_DEFAULT_REGION", env["AWS_DEFAULT_REGION"])
        mp.delenv("AWS_ENDPOINT_URL_S3", raising=False)
        assert len(read_archive(f"s3://{s3_bucket}/a.js", s3_endpoint=s3_server.endpoint_url).posts) == 50


def test_s3_missing_bucket_and_key(s3_bucket: str, s3_env: dict[str, str]) -> None:
    with pytest.raises(TweetBotInputError) as missing_bucket:
        read_archive("s3://no-such-bucket-tweetbot/a.js")
    assert missing_bucket.value.reason == "MissingBucket"  # the same reason as for a missing output bucket
    with pytest.raises(TweetBotInputError) as missing_key:
        read_archive(f"s3://{s3_bucket}/nothing-here.js")
    assert missing_key.value.reason == "SourceNotFound"


@pytest.mark.usefixtures("s3_env")
def test_s3_wrong_credentials(
    s3_client: Any, s3_bucket: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    s3_client.put_object(Bucket=s3_bucket, Key="there.js", Body=b"[]")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
    rc, err = run_cli(capsys, tmp_path, f"s3://{s3_bucket}/there.js")
    assert rc == 2 and "S3 credentials rejected (SignatureDoesNotMatch)" in err and "\n" not in err


def test_https_archive(local_fixtures: Path) -> None:
    with ReplayServer() as server:
        server.add("/exports/someone.js", (local_fixtures / EXCERPT).read_bytes())
        assert len(read_archive(f"{server.url}/exports/someone.js").posts) == 50
        with pytest.raises(TweetBotInputError) as missing:
            read_archive(f"{server.url}/exports/other.js")
    assert missing.value.reason == "SourceNotFound"


def test_https_archive_that_fails_now_is_retried_by_the_job(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """5xx, or no server at all: exit code 1 (the Job's backoffLimit retries), not 2 (failed for good)."""
    with ReplayServer() as server:
        server.add("/exports/someone.js", {"title": "Service Unavailable"}, status=503)
        with pytest.raises(TweetBotTransientError) as unavailable:
            read_archive(f"{server.url}/exports/someone.js")
        assert unavailable.value.reason == "SourceTemporaryError" and "HTTP 503" in unavailable.value.message
        gone = server.url
    rc, err = run_cli(capsys, tmp_path, f"{gone}/exports/someone.js")
    assert rc == 1 and "cannot connect" in err and gone in err and "\n" not in err


# --- broken archives: one clear line, exit code 2 ------------------------------------------------------
def test_truncated_archive(local_fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = (local_fixtures / EXCERPT).read_bytes()
    path = tmp_path / "someone-tweets.js"
    path.write_bytes(raw[: len(raw) // 2])
    rc, err = run_cli(capsys, tmp_path, str(path))
    assert rc == 2
    assert err.startswith("tweetbot-train prepare: error: ") and "\n" not in err
    assert str(path) in err and "truncated" in err


def test_truncated_archive_event_on_stdout(
    local_fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = (local_fixtures / EXCERPT).read_bytes()
    path = tmp_path / "t.js"
    path.write_bytes(raw[:-40])
    rc = cli.main(["prepare", "--user", "x", "--source", "archive", "--source-uri", str(path), "--out", str(tmp_path)])
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert rc == 2
    assert events[-1]["event"] == "error" and events[-1]["reason"] == "ArchiveTruncated"


def test_truncated_zip(local_fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = zip_bytes({"data/tweets.js": (local_fixtures / EXCERPT).read_bytes()})
    path = tmp_path / "a.zip"
    path.write_bytes(raw[: len(raw) // 2])
    rc, err = run_cli(capsys, tmp_path, str(path))
    assert rc == 2 and "not a complete zip" in err and str(path) in err


def test_wrong_wrapper(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "like.js"
    path.write_text('window.YTD.like.part0 = [{"like": {"tweetId": "1", "fullText": "x"}}]')
    rc, err = run_cli(capsys, tmp_path, str(path))
    assert rc == 2 and "window.YTD.like.part0" in err and "expected 'window.YTD.tweets.part0" in err


def test_not_an_archive_at_all(tmp_path: Path) -> None:
    with pytest.raises(TweetBotInputError) as err:
        parse_tweets_js(b"<html>sign in</html>", "page.js")
    assert err.value.reason == "ArchiveWrongWrapper"
    with pytest.raises(TweetBotInputError) as empty:
        parse_tweets_js(b"", "empty.js")
    assert empty.value.reason == "ArchiveTruncated"
    with pytest.raises(TweetBotInputError) as corrupt:
        parse_tweets_js(b'window.YTD.tweets.part0 = [{"tweet": {]}, {"tweet": {}}]', "bad.js")
    assert corrupt.value.reason == "ArchiveCorrupt"


def test_zip_without_tweets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.zip"
    path.write_bytes(zip_bytes({"data/like.js": b"window.YTD.like.part0 = []"}))
    rc, err = run_cli(capsys, tmp_path, str(path))
    assert rc == 2 and "no data/tweets.js" in err


def test_empty_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = [ ]")
    rc, err = run_cli(capsys, tmp_path, str(path), user="nobody")
    assert rc == 2 and "no posts" in err and "@nobody" in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, err = run_cli(capsys, tmp_path, str(tmp_path / "{user}.js"), user="ghost")
    assert rc == 2 and "ghost.js: no such file" in err


def test_skipped_records_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_bytes(js("tweets", 0, [{"tweet": {"id_str": "1", "full_text": "a b c d"}}, {"tweet": {}}, 5]))
    result = read_archive(str(path))
    assert len(result.posts) == 1 and result.skipped == 2
