"""Mastodon source against a local replay server (pages in the documented Mastodon API shape)."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from tweetbot_operator.settings import Settings
from tweetbot_operator.training.job import build_training_job
from tweetbot_trainer import cli
from tweetbot_trainer.data.markup import html_to_text
from tweetbot_trainer.data.sources import mastodon

from tests.operator.factories import tweetbot
from tests.support.http_replay import ABSENT, ReplayServer

ACCOUNT = {
    "id": "109",
    "username": "gardener",
    "acct": "gardener",
    "display_name": "Green Thumb",
    "avatar": "https://files.example.social/avatars/109.png",
    "locked": False,
}
LINK = (
    '<a href="https://example.com/tomatoes" rel="nofollow noopener" target="_blank">'
    '<span class="invisible">https://</span><span class="">example.com/tomatoes</span></a>'
)
MENTION = (
    '<span class="h-card"><a href="https://example.social/@friend" class="u-url mention">'
    "@<span>friend</span></a></span>"
)


def status(n: int, content: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(1000 - n),
        "created_at": f"2024-10-{1 + n % 28:02d}T10:00:00.000Z",
        "content": content,
        "language": "en",
        "in_reply_to_id": None,
        "reblog": None,
        **extra,
    }


def page_statuses(start: int, count: int) -> list[dict[str, Any]]:
    return [
        status(n, f"<p>Day {n} in the garden: the tomatoes are finally turning red &amp; the basil loves the sun.</p>")
        for n in range(start, start + count)
    ]


def test_html_to_text() -> None:
    html = f"<p>Line one &amp; more<br>line two {LINK}</p><p>{MENTION} second paragraph</p>"
    assert html_to_text(html) == "Line one & more\nline two https://example.com/tomatoes\n\n@friend second paragraph"


def test_lookup_then_pages_with_max_id(tmp_path: Path) -> None:
    first = page_statuses(0, 40)
    first[0] = status(0, f"<p>{MENTION} thanks, will do!</p>", in_reply_to_id="55")
    first[1] = status(1, "<p>boost</p>", reblog=status(99, "<p>someone else's words here</p>"))
    first[2] = status(2, f"<p>Look at these {LINK}</p>")
    second = page_statuses(40, 12)
    with ReplayServer() as server:
        server.add("/api/v1/accounts/lookup", ACCOUNT, query={"acct": "gardener"})
        server.add("/api/v1/accounts/109/statuses", first, query={"max_id": ABSENT})
        server.add("/api/v1/accounts/109/statuses", second, query={"max_id": first[-1]["id"]})
        server.add("/api/v1/accounts/109/statuses", [], query={"max_id": second[-1]["id"]})
        result = mastodon.fetch_posts("gardener", server.url)
        limits = {r.query["limit"] for r in server.requests_to("/api/v1/accounts/109/statuses")}
    assert len(result.posts) == 52 and limits == {"40"}
    assert result.profile == {"display_name": "Green Thumb", "avatar_url": ACCOUNT["avatar"]}
    reply, boost, link = result.posts[:3]
    assert reply.is_reply and reply.text == "@friend thanks, will do!"
    assert boost.is_repost and boost.text == "someone else's words here"
    assert link.text == "Look at these https://example.com/tomatoes"
    assert result.posts[3].text.startswith("Day 3 in the garden: the tomatoes are finally turning red & the basil")
    assert result.posts[3].lang == "en"


def test_instance_from_handle() -> None:
    assert mastodon.instance_and_acct("@alice@fosstodon.org", None) == ("https://fosstodon.org", "alice@fosstodon.org")
    assert mastodon.instance_and_acct("alice", None) == (mastodon.DEFAULT_URL, "alice")
    assert mastodon.instance_and_acct("alice", "http://127.0.0.1:9") == ("http://127.0.0.1:9", "alice")


def run(server: ReplayServer, user: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = cli.main(
        ["prepare", "--user", user, "--source", "mastodon", "--source-url", server.url, "--out", str(tmp_path)]
    )
    err = capsys.readouterr().err.strip()
    assert rc == 0 or "\n" not in err  # an error is one line
    return rc, err


def test_cli_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ReplayServer() as server:
        server.add("/api/v1/accounts/lookup", ACCOUNT)
        server.add("/api/v1/accounts/109/statuses", page_statuses(0, 40), query={"max_id": ABSENT})
        server.add("/api/v1/accounts/109/statuses", page_statuses(40, 40), query={"max_id": "961"})
        server.add("/api/v1/accounts/109/statuses", [], query={"max_id": "921"})
        rc = cli.main(
            [
                "prepare",
                "--user",
                "gardener",
                "--source",
                "mastodon",
                "--source-url",
                server.url,
                "--out",
                str(tmp_path),
            ]
        )
    assert rc == 0, capsys.readouterr().err
    assert (tmp_path / "train.txt").read_text().startswith("<|endoftext|>Day ")


def test_unknown_user(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ReplayServer() as server:
        server.add("/api/v1/accounts/lookup", {"error": "Record not found"}, status=404)
        rc, err = run(server, "nobody", tmp_path, capsys)
    assert rc == 2 and "@nobody: no such account on http://127.0.0.1" in err


def test_locked_account_without_public_posts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ReplayServer() as server:
        server.add("/api/v1/accounts/lookup", {**ACCOUNT, "locked": True})
        server.add("/api/v1/accounts/109/statuses", [])
        rc, err = run(server, "gardener", tmp_path, capsys)
    assert rc == 2 and "@gardener: the account is locked" in err


def test_empty_feed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ReplayServer() as server:
        server.add("/api/v1/accounts/lookup", ACCOUNT)
        server.add("/api/v1/accounts/109/statuses", [])
        rc, err = run(server, "gardener", tmp_path, capsys)
    assert rc == 2 and "@gardener: the account has no public posts" in err


TOKEN = "canary-mastodon-token-6f1d2c"


def prepare_all(server: ReplayServer, tmp_path: Path, *extra: str) -> int:
    argv = ["prepare", "--user", "gardener", "--source", "mastodon", "--source-url", server.url, *extra]
    return cli.main([*argv, "--out", str(tmp_path)])


def serve_account(server: ReplayServer) -> None:
    server.add("/api/v1/accounts/lookup", ACCOUNT)
    server.add("/api/v1/accounts/109/statuses", page_statuses(0, 40), query={"max_id": ABSENT})
    server.add("/api/v1/accounts/109/statuses", page_statuses(40, 40), query={"max_id": "961"})
    server.add("/api/v1/accounts/109/statuses", [], query={"max_id": "921"})


def test_the_token_is_sent_as_a_bearer_header_and_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MASTODON_TOKEN", TOKEN)
    with ReplayServer() as server:
        serve_account(server)
        assert prepare_all(server, tmp_path) == 0
        sent = [r.headers.get("authorization") for r in server.requests]
    assert len(sent) == 4 and set(sent) == {f"Bearer {TOKEN}"}
    captured = capsys.readouterr()
    # posts.jsonl.gz (the posts the next run starts from) is read decompressed: no token in it either
    written = "".join((gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()).decode()
                      for p in tmp_path.iterdir())
    assert TOKEN not in captured.out + captured.err + written


def test_token_env_names_another_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTODON_TOKEN", raising=False)
    monkeypatch.setenv("MY_INSTANCE_TOKEN", TOKEN)
    with ReplayServer() as server:
        serve_account(server)
        assert prepare_all(server, tmp_path, "--token-env", "MY_INSTANCE_TOKEN") == 0
        assert {r.headers.get("authorization") for r in server.requests} == {f"Bearer {TOKEN}"}


def test_no_token_no_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTODON_TOKEN", raising=False)
    with ReplayServer() as server:
        serve_account(server)
        assert prepare_all(server, tmp_path) == 0
        assert all("authorization" not in r.headers for r in server.requests)


def test_a_rejected_token_is_bad_credentials_without_the_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MASTODON_TOKEN", TOKEN)
    with ReplayServer() as server:
        echo = {"error": f"The access token {TOKEN} is invalid"}
        server.add("/api/v1/accounts/lookup", echo, status=401)
        rc, err = run(server, "gardener", tmp_path, capsys)
    assert rc == 2 and "rejected the token in $MASTODON_TOKEN (HTTP 401)" in err and TOKEN not in err
    monkeypatch.delenv("MASTODON_TOKEN")
    with ReplayServer() as server:
        server.add("/api/v1/accounts/lookup", {"error": "This method requires an authenticated user"}, status=401)
        rc, err = run(server, "gardener", tmp_path, capsys)
    assert rc == 2 and "refuses anonymous lookups (give a token: $MASTODON_TOKEN" in err


def test_the_operators_job_carries_the_token_to_the_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A TweetBot with mastodon.tokenSecret: the Job's env (from the Secret) and source flags, as the operator
    builds them, make the trainer send the Secret's value as the bearer token."""
    with ReplayServer() as server:
        serve_account(server)
        bot = tweetbot(users=["gardener"], source={"mastodon": {"url": server.url, "tokenSecret": {"name": "mt"}}})
        job = build_training_job(bot, Settings())
        ctr = job["spec"]["template"]["spec"]["containers"][0]
        env = {e["name"]: e.get("valueFrom", {}).get("secretKeyRef") for e in ctr["env"]}
        assert env["MASTODON_TOKEN"] == {"name": "mt", "key": "token", "optional": False}
        monkeypatch.setenv("MASTODON_TOKEN", TOKEN)  # what the kubelet puts there from Secret mt
        args = ctr["args"]
        flags = [args[0].replace("run", "prepare")]
        for flag in ("--user", "--source", "--source-url", "--token-env"):
            flags += [flag, args[args.index(flag) + 1]]
        assert cli.main([*flags, "--out", str(tmp_path)]) == 0
        assert {r.headers.get("authorization") for r in server.requests} == {f"Bearer {TOKEN}"}
