"""Fuzzed archives, post files and API pages never crash the trainer's data side.

Every input ends one of two ways: a clean dataset, with each record either used or counted as "skipped" in the
stats, or a TweetBotInputError (TweetBotTransientError for services that keep failing) whose message is one line,
names the file or handle, and carries no traceback. Any other exception is a bug.
"""

from __future__ import annotations

import csv
import io
import json
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tweetbot_trainer.data.post import MAX_POST_CHARS, Post
from tweetbot_trainer.data.prepare import PreparedDataset, SourceSpec, prepare_dataset
from tweetbot_trainer.data.sources import archive, bluesky, file, http, mastodon, x_api
from tweetbot_trainer.data.sources.base import SourceResult
from tweetbot_trainer.data.sources.http import JsonHttpClient
from tweetbot_trainer.errors import TweetBotInputError

from tests.reliability.fuzz_inputs import (
    FEW,
    FUZZ,
    HOSTILE_STRINGS,
    HTML_ERROR,
    TOKEN_ENV,
    USER,
    archive_records,
    check_error,
    counted,
    json_values,
    outcome,
    prepare_bytes,
    prepare_one,
    records_of,
    relaxed,  # noqa: F401 - the module's autouse fixture
    texts,
)
from tests.support.fuzz_scale import examples
from tests.support.http_replay import ReplayServer

# -- JSONL, JSON and CSV files ----------------------------------------------------------------------------------

file_records = st.one_of(
    records_of(
        text=texts,
        full_text=texts,
        content=texts,
        id=json_values,
        created_at=json_values,
        lang=json_values,
        is_repost=json_values,
        is_reply=json_values,
        is_quote=json_values,
    ),
    json_values,
)


@FUZZ
@given(records=st.lists(file_records, min_size=1, max_size=8), ascii_only=st.booleans())
def test_jsonl_records_of_any_shape_are_used_or_counted(records: list[Any], ascii_only: bool) -> None:
    lines = [json.dumps(r, ensure_ascii=ascii_only) for r in records]
    raw = "\n".join(lines).encode("utf-8", "surrogatepass")
    prepared = prepare_bytes(raw, "posts.jsonl", "file")
    if prepared is not None:
        assert counted(prepared) == len(records)


@FUZZ
@given(raw=st.binary(max_size=600), name=st.sampled_from(["posts.jsonl", "posts.json", "posts.csv"]))
def test_post_file_random_bytes(raw: bytes, name: str) -> None:
    prepare_bytes(raw, name, "file")


@FUZZ
@given(lines=st.lists(st.one_of(st.text(max_size=40), st.sampled_from(["{", "[", "{}", "null", "[1,"])), max_size=8))
def test_jsonl_broken_lines_are_counted(lines: list[str]) -> None:
    raw = "\n".join(["{", *lines]).encode("utf-8", "surrogatepass")  # "{" first: read as JSONL
    prepared = prepare_bytes(raw, "posts.jsonl", "file")
    if prepared is not None:
        assert counted(prepared) == sum(1 for line in ["{", *lines] if line.strip())


@FUZZ
@given(
    header=st.sampled_from([["text", "id"], ["content", "lang", "is_repost"], ["id"], ["text", "text"]]),
    rows=st.lists(st.lists(st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE_STRINGS)), max_size=4), max_size=6),
)
def test_csv_rows_of_any_shape_are_used_or_counted(header: list[str], rows: list[list[str]]) -> None:
    rows = [row for row in rows if row]  # an empty row is a blank line: no record at all
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    prepared = prepare_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"), "posts.csv", "file")
    if prepared is not None:
        assert counted(prepared) == len(rows)


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000,
        b'[{"text": "a b c d", "id": ' + b"9" * 5000 + b"}]",
        b'{"text": "a b c d e"}\n' + b"[" * 100_000 + b"\n" + b'{"id": ' + b"9" * 5000 + b"}",
    ],
)
def test_post_file_nasty_json(raw: bytes) -> None:
    prepared = prepare_bytes(raw, "posts.jsonl", "file")
    if prepared is not None:  # JSONL: the bad lines are counted
        assert prepared.stats[USER] == {"downloaded": 1, "retweets": 0, "short": 0, "kept": 1, "skipped": 2}


def test_jsonl_line_separator_inside_a_post_is_not_a_new_line() -> None:
    raw = json.dumps({"text": "one line\u2028same post with words"}, ensure_ascii=False).encode()
    prepared = prepare_bytes(raw, "posts.jsonl", "file")
    assert prepared is not None
    assert prepared.stats[USER] == {"downloaded": 1, "retweets": 0, "short": 0, "kept": 1}


def test_csv_huge_field_is_one_skipped_record() -> None:
    huge = "z" * (MAX_POST_CHARS + 200_000)  # over both our cap and the csv module's 128 KiB field limit
    raw = f'text\n"{huge}"\nan ordinary post with words\n'.encode()
    prepared = prepare_bytes(raw, "posts.csv", "file")
    assert prepared is not None
    assert prepared.stats[USER] == {"downloaded": 1, "retweets": 0, "short": 0, "kept": 1, "skipped": 1}


# -- API pages on the replay server --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def replay() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        yield server


def serve(server: ReplayServer, routes: list[tuple[str, Any, int]]) -> None:
    """Replace the server's routes (one hypothesis example at a time)."""
    server.routes.clear()
    server.requests.clear()
    for path, body, status in routes:
        server.add(path, body, status=status)


# A body: JSON of any shape, raw bytes (invalid JSON, invalid UTF-8), an HTML error page, or empty.
junk_bodies = st.one_of(json_values, st.binary(max_size=100), st.just(HTML_ERROR), st.just(b""))
statuses = st.sampled_from([200, 200, 200, 200, 400, 401, 403, 404, 410, 418, 429, 500, 502, 503])


def api_prepare(kind: str, url: str) -> PreparedDataset | None:
    with tempfile.TemporaryDirectory() as tmp:
        return prepare_one(SourceSpec(kind, url=url, token_env=TOKEN_ENV), Path(tmp) / "out", url)


x_tweets = records_of(
    id=json_values,
    text=texts,
    note_tweet=st.one_of(json_values, st.fixed_dictionaries({"text": texts})),
    created_at=json_values,
    lang=json_values,
    in_reply_to_user_id=json_values,
    referenced_tweets=st.one_of(
        json_values, st.lists(st.fixed_dictionaries({"type": json_values, "id": json_values}), max_size=3)
    ),
)
X_LOOKUP = {"data": {"id": "12", "name": "Some One", "username": USER}}


@FUZZ
@given(tweets=st.lists(st.one_of(x_tweets, json_values), max_size=10), meta=json_values)
def test_x_api_page_records_are_used_or_counted(replay: ReplayServer, tweets: list[Any], meta: Any) -> None:
    serve(replay, [(f"/2/users/by/username/{USER}", X_LOOKUP, 200), ("/2/users/12/tweets", {"data": tweets}, 200)])
    prepared = api_prepare("x-api", replay.url)
    if prepared is not None:
        assert counted(prepared) == len(tweets)
    serve(
        replay,
        [(f"/2/users/by/username/{USER}", X_LOOKUP, 200), ("/2/users/12/tweets", {"data": tweets, "meta": meta}, 200)],
    )
    api_prepare("x-api", replay.url)  # the same page forever behind a fuzzed next_token: must still end


mastodon_statuses = records_of(
    id=json_values,
    content=st.one_of(texts, st.text(alphabet="<>&;#!-/[]ab =\"'p", max_size=40)),
    created_at=json_values,
    language=json_values,
    in_reply_to_id=json_values,
    quote=json_values,
    reblog=st.one_of(json_values, st.fixed_dictionaries({"content": texts, "language": json_values})),
)
M_LOOKUP = {"id": "109", "username": USER, "display_name": "Some One", "avatar": "https://example.social/a.png"}


@FUZZ
@given(statuses_page=st.lists(st.one_of(mastodon_statuses, json_values), max_size=10))
def test_mastodon_page_records_are_used_or_counted(replay: ReplayServer, statuses_page: list[Any]) -> None:
    # The same page answers every max_id: paging must notice and stop.
    serve(replay, [("/api/v1/accounts/lookup", M_LOOKUP, 200), ("/api/v1/accounts/109/statuses", statuses_page, 200)])
    prepared = api_prepare("mastodon", replay.url)
    if prepared is not None and all(isinstance(s, dict) and "id" in s for s in statuses_page[-1:]):
        assert counted(prepared) >= len(statuses_page)


facets = st.one_of(
    json_values,
    st.lists(
        st.fixed_dictionaries(
            {
                "index": st.one_of(
                    json_values,
                    st.fixed_dictionaries(
                        {"byteStart": st.integers(-5, 80) | json_values, "byteEnd": st.integers(-5, 80) | json_values}
                    ),
                ),
                "features": st.one_of(
                    json_values,
                    st.lists(
                        st.one_of(json_values, st.fixed_dictionaries({"$type": st.just(bluesky.LINK), "uri": texts})),
                        max_size=2,
                    ),
                ),
            }
        ),
        max_size=3,
    ),
)
bluesky_records = records_of(
    text=texts,
    facets=facets,
    langs=json_values,
    createdAt=json_values,
    reply=json_values,
    embed=json_values,
)
bluesky_items = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"post": st.one_of(json_values, st.fixed_dictionaries({"uri": json_values, "record": bluesky_records}))},
        optional={"reason": json_values},
    ),
)
B_PROFILE = {"did": "did:plc:abc", "handle": USER, "displayName": "Some One", "avatar": "https://cdn.bsky.app/a.jpg"}


@FUZZ
@given(items=st.lists(bluesky_items, max_size=10), cursor=json_values)
def test_bluesky_page_records_are_used_or_counted(replay: ReplayServer, items: list[Any], cursor: Any) -> None:
    serve(
        replay,
        [
            ("/xrpc/app.bsky.actor.getProfile", B_PROFILE, 200),
            ("/xrpc/app.bsky.feed.getAuthorFeed", {"feed": items}, 200),
        ],
    )
    prepared = api_prepare("bluesky", replay.url)
    if prepared is not None:
        assert counted(prepared) == len(items)
    replay.routes[-1].body = {"feed": items, "cursor": cursor}  # the same page behind any cursor: must still end
    api_prepare("bluesky", replay.url)


# kind -> (account path, its answers, posts path, its answers); junk_bodies are mixed into both.
HOSTILE_SERVICES: dict[str, tuple[str, st.SearchStrategy[Any], str, st.SearchStrategy[Any]]] = {
    "x-api": (
        f"/2/users/by/username/{USER}",
        st.fixed_dictionaries({"data": json_values | st.just(X_LOOKUP["data"])}),
        "/2/users/12/tweets",
        st.fixed_dictionaries({}, optional={"data": json_values, "errors": json_values, "meta": json_values}),
    ),
    "mastodon": (
        "/api/v1/accounts/lookup",
        st.just(M_LOOKUP) | st.builds(lambda v: {**M_LOOKUP, "id": v}, json_values),
        "/api/v1/accounts/109/statuses",
        st.lists(json_values, max_size=3),
    ),
    "bluesky": (
        "/xrpc/app.bsky.actor.getProfile",
        st.builds(lambda labels: {**B_PROFILE, "labels": labels}, json_values),
        "/xrpc/app.bsky.feed.getAuthorFeed",
        st.fixed_dictionaries({}, optional={"feed": json_values, "cursor": json_values}),
    ),
}


@pytest.mark.parametrize("kind", list(HOSTILE_SERVICES))
@FEW
@given(data=st.data(), account_status=statuses, page_status=statuses)
def test_hostile_answers(
    replay: ReplayServer, kind: str, data: st.DataObject, account_status: int, page_status: int
) -> None:
    """Wrong shapes, HTML error pages, invalid JSON and error statuses, for the account and the posts."""
    account_path, accounts, page_path, pages = HOSTILE_SERVICES[kind]
    account = data.draw(junk_bodies | accounts, label="account")
    page = data.draw(junk_bodies | pages, label="page")
    serve(replay, [(account_path, account, account_status), (page_path, page, page_status)])
    api_prepare(kind, replay.url)


# The record parsers alone, without HTTP: cheap, so many more examples reach the deeply nested fields.
RECORD_PARSERS: dict[str, tuple[Callable[[Any], Post | None], st.SearchStrategy[Any]]] = {
    "archive": (archive.record_to_post, archive_records),
    "file": (lambda record: file.record_to_post(record, 0), file_records),
    "x-api": (x_api.tweet_to_post, x_tweets),
    "mastodon": (mastodon.status_to_post, mastodon_statuses),
    "bluesky": (bluesky.item_to_post, bluesky_items),
}


@pytest.mark.parametrize("kind", list(RECORD_PARSERS))
@settings(max_examples=examples(150), deadline=None)
@given(data=st.data())
def test_record_parsers_take_any_record(kind: str, data: st.DataObject) -> None:
    parse, records = RECORD_PARSERS[kind]
    record = data.draw(records | json_values, label="record")
    post = parse(record) if isinstance(record, dict) or kind in ("archive", "file") else None
    result = SourceResult(posts=[])
    result.add(post)
    assert len(result.posts) + result.skipped == 1
    for kept in result.posts:  # what reaches cleaning and train.txt: strings that can be written as UTF-8
        for value in (kept.id, kept.text, kept.created_at, kept.lang):
            assert value is None or isinstance(value, str)
            (value or "").encode("utf-8")


def test_huge_page_is_refused_not_read(replay: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "MAX_BODY_BYTES", 64 << 10)
    page = [{"id": str(n), "content": "<p>" + "words " * 100 + "</p>"} for n in range(200)]  # ~130 KiB
    serve(replay, [("/api/v1/accounts/lookup", M_LOOKUP, 200), ("/api/v1/accounts/109/statuses", page, 200)])
    with pytest.raises(TweetBotInputError) as caught:
        prepare_dataset([USER], SourceSpec("mastodon", url=replay.url), Path(tempfile.gettempdir()) / "never")
    assert caught.value.reason == "SourceError"
    check_error(caught.value, replay.url)


def test_ids_from_the_service_cannot_steer_the_request_path(replay: ReplayServer) -> None:
    """An account id with '/', '?', spaces or non-ASCII is one quoted path segment, not a crash or a new path."""
    hostile = "../../admin?x=1 \u00e9\n"
    serve(replay, [("/api/v1/accounts/lookup", {**M_LOOKUP, "id": hostile}, 200)])
    assert api_prepare("mastodon", replay.url) is None
    assert [r.path for r in replay.requests][-1].startswith("/api/v1/accounts/")
    assert "admin" not in replay.requests[-1].path.split("/")


# -- broken HTTP on a raw socket ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n[{",  # body cut short
        b"HELLO THERE\r\n\r\n",  # not HTTP
        b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",  # header line over http.client's limit
        b"",  # connection closed at once
    ],
)
def test_broken_http_answers(answer: bytes) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.05)  # lets the thread see `stop` soon
        stop = threading.Event()

        def serve_raw() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                with conn:
                    conn.recv(65536)
                    conn.sendall(answer)

        thread = threading.Thread(target=serve_raw, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        client = JsonHttpClient(url, sleep=lambda _: None, attempts=2, timeout_s=5)
        try:
            assert outcome(lambda: bluesky.fetch_posts(USER, url, client=client), url) is None
        finally:
            stop.set()
            thread.join(timeout=5)
