"""Bluesky source against a local replay server (app.bsky.* XRPC shapes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer import cli
from tweetbot_trainer.data.sources import bluesky

from tests.support.http_replay import ABSENT, ReplayServer

PROFILE = "/xrpc/app.bsky.actor.getProfile"
FEED = "/xrpc/app.bsky.feed.getAuthorFeed"
ME = {
    "did": "did:plc:abc",
    "handle": "maker.bsky.social",
    "displayName": "Maker",
    "avatar": "https://cdn.bsky.app/a.jpg",
}


def item(n: int, text: str, *, repost: bool = False, reply: bool = False, **record: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": "2024-11-01T12:00:00.000Z",
        "langs": ["en"],
        **record,
    }
    if reply:
        parent = {"uri": "at://did:plc:x/app.bsky.feed.post/1", "cid": "bafy"}
        rec["reply"] = {"root": parent, "parent": parent}
    out: dict[str, Any] = {"post": {"uri": f"at://did:plc:abc/app.bsky.feed.post/{n}", "author": ME, "record": rec}}
    if repost:
        out["reason"] = {"$type": bluesky.REPOST, "by": ME, "indexedAt": "2024-11-01T12:00:00.000Z"}
    return out


def feed(start: int, count: int) -> list[dict[str, Any]]:
    return [
        item(n, f"Printed part number {n} today and the layer lines came out clean")
        for n in range(start, start + count)
    ]


def test_link_facets_become_urls() -> None:
    text = "naïve 🙂 see example.com/pa… now"
    start = len("naïve 🙂 see ".encode())
    end = start + len("example.com/pa…".encode())
    facets = [
        {
            "index": {"byteStart": start, "byteEnd": end},
            "features": [{"$type": bluesky.LINK, "uri": "https://example.com/page"}],
        }
    ]
    assert bluesky.expand_links(text, facets) == "naïve 🙂 see https://example.com/page now"


def test_cursor_paging_and_flags() -> None:
    first = feed(0, 100)
    first[0] = item(0, "someone else's great thread about printers", repost=True)
    first[1] = item(1, "@pal agreed, the new nozzle is much better", reply=True)
    first[2] = item(2, "this one", embed={"$type": "app.bsky.embed.record", "record": {"uri": "at://x"}})
    with ReplayServer() as server:
        server.add(PROFILE, ME, query={"actor": "maker.bsky.social"})
        server.add(FEED, {"feed": first, "cursor": "c1"}, query={"cursor": ABSENT})
        server.add(FEED, {"feed": feed(100, 30)}, query={"cursor": "c1"})
        result = bluesky.fetch_posts("maker.bsky.social", server.url)
        limits = {r.query["limit"] for r in server.requests_to(FEED)}
    assert len(result.posts) == 130 and limits == {"100"}
    assert result.posts[0].is_repost and result.posts[1].is_reply and result.posts[2].is_quote
    assert result.profile == {"display_name": "Maker", "avatar_url": "https://cdn.bsky.app/a.jpg"}


def run(server: ReplayServer, user: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = cli.main(
        ["prepare", "--user", user, "--source", "bluesky", "--source-url", server.url, "--out", str(tmp_path)]
    )
    err = capsys.readouterr().err.strip()
    assert rc == 0 or "\n" not in err  # an error is one line
    return rc, err


def test_cli_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ReplayServer() as server:
        server.add(PROFILE, ME)
        server.add(FEED, {"feed": feed(0, 100)})
        rc, err = run(server, "maker.bsky.social", tmp_path, capsys)
    assert rc == 0, err
    assert "Printed part number" in (tmp_path / "train.txt").read_text()


def test_unknown_user(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ReplayServer() as server:
        server.add(PROFILE, {"error": "InvalidRequest", "message": "Profile not found"}, status=400)
        rc, err = run(server, "ghost.bsky.social", tmp_path, capsys)
    assert rc == 2 and "@ghost.bsky.social: no readable Bluesky account (Profile not found)" in err


def test_logged_out_visibility_is_respected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ReplayServer() as server:
        server.add(PROFILE, {**ME, "labels": [{"val": "!no-unauthenticated", "src": "did:plc:abc"}]})
        rc, err = run(server, "maker.bsky.social", tmp_path, capsys)
        assert not server.requests_to(FEED)
    assert rc == 2 and "logged-out" in err


def test_empty_feed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ReplayServer() as server:
        server.add(PROFILE, ME)
        server.add(FEED, {"feed": []})
        rc, err = run(server, "maker.bsky.social", tmp_path, capsys)
    assert rc == 2 and "@maker.bsky.social: the Bluesky account has no posts" in err
