"""Incremental retraining through the operator (issue 28, items 2, 3 and 6), every part real but the API server
and the kubelet (tests/support): a scheduled TweetBot on a replayed Mastodon account that gains posts and loses
one between runs. The schedule is daily; the operator's clock is moved to the next day's slot for each scheduled
run, the way tests/operator/test_operator_lifecycle.py moves a reconciler's, instead of waiting for cron.

Run 1 (the first, at once) fetches everything; run 2 (new posts, fetched with since_id) continues run 1's model;
run 3 (fullFetchEvery 2: a full fetch) finds a post deleted upstream and trains from the base model without it;
run 4 (nothing new) ends Skipped with an event and the model of run 3 stays."""

from __future__ import annotations

import functools
import gzip
import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from croniter import croniter
from tweetbot_operator import app
from tweetbot_operator.context import Context, utcnow
from tweetbot_operator.k8s.client import tweetbot_path

from tests.operator.factories import events_of, status_of
from tests.support.http_replay import RecordedRequest, ReplayServer
from tests.support.k8s_fixtures import eventually
from tests.support.s3server import S3Server
from tests.system.conftest import NS, SAMPLE_ARCHIVE, s3_secret, tweetbot

pytestmark = pytest.mark.slow
STATUSES = "/api/v1/accounts/77/statuses"
SCHEDULE = "30 4 * * *"


class Feed:
    """A Mastodon account's public statuses (ids grow with time), answering since_id and max_id as
    GET /api/v1/accounts/:id/statuses does (newest first, at most `limit` a page)."""

    def __init__(self, texts: list[str]) -> None:
        self.lock = threading.Lock()
        self.statuses = [self.status(i, text) for i, text in enumerate(texts)]

    @staticmethod
    def status(number: int, text: str) -> dict[str, Any]:
        return {"id": str(10_000 + number), "created_at": f"2026-{1 + number // 28 % 12:02d}-{1 + number % 28:02d}"
                "T09:00:00Z", "content": f"<p>{text}</p>", "language": "en", "in_reply_to_id": None, "reblog": None}

    def answer(self, request: RecordedRequest) -> list[dict[str, Any]]:
        since, below = request.query.get("since_id"), request.query.get("max_id")
        with self.lock:
            page = [s for s in sorted(self.statuses, key=lambda s: -int(s["id"]))
                    if (not since or int(s["id"]) > int(since)) and (not below or int(s["id"]) < int(below))]
        return page[:int(request.query.get("limit") or 20)]

    def add(self, number: int, text: str) -> None:
        with self.lock:
            self.statuses.append(self.status(number, text))

    def delete(self, status_id: str) -> None:
        with self.lock:
            self.statuses = [s for s in self.statuses if s["id"] != status_id]


def sample_texts() -> list[str]:
    raw = SAMPLE_ARCHIVE.read_text(encoding="utf-8")
    texts = [t["tweet"]["full_text"] for t in json.loads(raw[raw.index("["):])]
    return [t for t in texts if not t.startswith(("@", "RT "))]


@pytest.fixture
def feed() -> Iterator[tuple[Feed, ReplayServer, list[str]]]:
    texts = sample_texts()
    account = {"id": "77", "username": "sample", "acct": "sample", "display_name": "Sample", "locked": False}
    state = Feed(texts[:150])
    with ReplayServer() as server:
        server.add("/api/v1/accounts/lookup", account)
        server.add(STATUSES, state.answer)
        yield state, server, texts[150:]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dict[str, timedelta]:
    """The operator's clock, ahead of the wall clock by `offset` (the API server's timestamps stay real): a
    daily schedule never fires during the test unless the test moves it."""
    moved = {"offset": timedelta(0)}
    monkeypatch.setattr(app, "Context", functools.partial(Context, clock=lambda: utcnow() + moved["offset"]))
    return moved


def posts_of(s3: Any, bucket: str, run_id: str) -> set[str]:
    body = s3.get_object(Bucket=bucket, Key=f"bots/{run_id}/data/posts.jsonl.gz")["Body"].read()
    return {json.loads(line)["id"] for line in gzip.decompress(body).decode().splitlines() if line.strip()}


async def test_a_scheduled_tweetbot_fetches_new_posts_continues_forgets_deleted_ones_and_skips(
    feed: Any, clock: dict[str, timedelta], operator: Any, s3_server: S3Server, tiny_model_uri: str, client: Any,
    cluster: Any, kubelet: Any,
) -> None:
    state, server, spare = feed  # (`clock` before `operator`: the operator's Context is made with it)
    s3 = s3_server.client()
    bucket = s3_server.new_bucket("bots")
    await client.create(f"/api/v1/namespaces/{NS}/secrets", s3_secret(s3_server))
    body = tweetbot("sample", archive_uri="unused", base_model=tiny_model_uri, output=f"s3://{bucket}/bots/",
                    endpoint=s3_server.endpoint_url, maxSteps=4, warmStart=True)
    body["spec"].update(source={"mastodon": {"url": server.url}}, schedule=SCHEDULE,
                        refresh={"minNewPosts": 3, "fullFetchEvery": 2})
    await client.create(tweetbot_path(NS), body)
    first_slot = croniter(SCHEDULE, utcnow() + timedelta(minutes=5)).get_next(datetime)

    async def run(number: int) -> dict[str, Any]:
        """The status once the `number`th run has ended; a scheduled one (2, 3, ...) starts on day `number - 1`'s
        slot (a couple of seconds after it, whatever time the runs before took)."""
        if number > 1:
            slot = first_slot + timedelta(days=number - 2)
            clock["offset"] = slot + timedelta(seconds=2) - utcnow()

        def ended() -> Any:
            status = status_of(cluster, "sample")
            latest = status.get("latestRun") or {}
            runs = {j["metadata"]["name"] for j in cluster.list_objects("batch/v1/jobs", NS)}
            return len(runs) == number and latest.get("phase") in {"Succeeded", "Failed", "Skipped"} \
                and latest.get("jobName", status.get("jobName")) in runs and status
        try:
            return await eventually(ended, timeout=150, interval=0.3)
        except AssertionError as exc:
            jobs = [j["metadata"]["name"] for j in cluster.list_objects("batch/v1/jobs", NS)]
            raise AssertionError((status_of(cluster, "sample"), jobs, kubelet.errors)) from exc

    first = await run(1)
    assert first["phase"] == "Succeeded" and first["data"]["posts"] == 150, (first, kubelet.errors)

    for number, text in enumerate(spare[:4], start=150):
        state.add(number, text)
    second = await run(2)
    assert second["phase"] == "Succeeded" and second["data"]["newPosts"] == 4, (second, kubelet.errors)
    metrics = json.loads(s3.get_object(Bucket=bucket, Key=f"bots/{second['runId']}/metrics.json")["Body"].read())
    assert metrics["data"]["warmStartFrom"] == first["modelURI"]  # item 3: continued from run 1
    since = [r.query.get("since_id") for r in server.requests_to(STATUSES)]
    assert "10149" in since  # item 1: only what is newer than run 1's newest post was asked for
    card = s3.get_object(Bucket=bucket, Key=f"bots/{second['runId']}/README.md")["Body"].read().decode()
    assert f"Continued from run {first['modelURI']}" in card

    gone = "10003"
    state.delete(gone)  # the person deleted a post; run 3 is a full fetch (fullFetchEvery 2)
    third = await run(3)
    assert third["phase"] == "Succeeded" and third["data"]["deletedPosts"] == 1, (third, kubelet.errors)
    metrics = json.loads(s3.get_object(Bucket=bucket, Key=f"bots/{third['runId']}/metrics.json")["Body"].read())
    assert metrics["data"]["warmStartFrom"] is None  # item 6: a model that saw the post cannot unlearn it
    assert gone in posts_of(s3, bucket, second["runId"]) and gone not in posts_of(s3, bucket, third["runId"])
    assert len(posts_of(s3, bucket, third["runId"])) == 153

    fourth = await run(4)  # item 2: nothing new since run 3
    assert fourth["latestRun"]["phase"] == "Skipped" and fourth["data"]["newPosts"] == 0, fourth
    assert fourth["modelURI"] == third["modelURI"] and fourth["lastSuccessfulRun"]["runId"] == third["runId"]
    assert any(reason == "Skipped" and "0 new posts" in message
               for _, reason, message in events_of(cluster, "sample"))
