"""Incremental data: the posts a previous run kept, what a source is asked for since then, and the merge.

A finished run keeps `data/posts.jsonl.gz` (every usable post of every user, normalized, before cleaning: the
cleaning rules may change) and `data/stats.json` (with a `data` section: newest post, counts, runs since the
last full fetch). The next run reads both from `--previous-run`, asks each source only for what is newer
(`Since`), and trains on old + new. Every `--full-fetch-every` runs it fetches everything instead: posts of the
previous set that the source no longer has were deleted upstream and leave the set.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from tweetbot_trainer.data.fetch import read_bytes
from tweetbot_trainer.data.post import Post, field_str, usable_text
from tweetbot_trainer.errors import TweetBotInputError

POSTS_FILE = "posts.jsonl.gz"
STATS_FILE = "stats.json"
# The previous run's files are ours, but bounded all the same: a million posts of 100,000 chars is the cap.
MAX_POSTS_BYTES = 4 << 30
MAX_STATS_BYTES = 16 << 20
_POST_FIELDS = ("id", "text", "created_at", "is_repost", "is_reply", "is_quote", "lang", "source")


@dataclass(frozen=True)
class Since:
    """What a source may skip: posts up to `newest_id` (X, Mastodon: ordered numeric ids), or any of `known`
    (Bluesky pages newest first and stops at the first post already seen)."""

    newest_id: str | None
    known: frozenset[str] = frozenset()


def newest_numeric_id(ids: Iterable[str]) -> str | None:
    """The largest of decimal ids (X and Mastodon ids grow with time); None when there is none."""
    numeric = [i for i in ids if i.isdigit()]
    return max(numeric, key=lambda i: (len(i.lstrip("0")), i.lstrip("0"))) if numeric else None


@dataclass
class UserMerge:
    posts: list[Post]
    new: int
    deleted: int


def merge_posts(previous: list[Post], fetched: list[Post], *, full: bool, capped: bool) -> UserMerge:
    """Old + fetched, one post per id, newest data winning (an edited post). On a full fetch the previous posts
    the source no longer has are deleted upstream and dropped; when the fetch hit its cap (the X API gives the
    newest 3,200) only those at least as new as the oldest fetched one can be known to be gone."""
    fetched_ids, previous_ids = {p.id for p in fetched}, {p.id for p in previous}
    new = sum(1 for p in fetched if p.id not in previous_ids)
    kept: list[Post] = []
    deleted = 0
    oldest = min((p.created_at for p in fetched if p.created_at), default=None)
    for post in previous:
        if post.id in fetched_ids:
            continue
        gone = full and (not capped or oldest is None or (post.created_at or "") >= oldest)
        if gone:
            deleted += 1
        else:
            kept.append(post)
    return UserMerge(posts=[*fetched, *kept], new=new, deleted=deleted)


@dataclass
class History:
    """A previous run's data: its posts per user and its `data` section (None: no previous run)."""

    uri: str | None = None
    posts: dict[str, list[Post]] = field(default_factory=dict)
    runs_since_full_fetch: int = 0
    source_kind: str | None = None  # the previous run's source: ids of another service mean nothing here

    @property
    def exists(self) -> bool:
        return self.uri is not None

    def since(self, user: str, source_kind: str) -> Since | None:
        """What `user`'s fetch may skip; None: fetch everything (no previous posts, or a file/archive, which is
        read whole anyway and compared by post id)."""
        posts = self.posts.get(user)
        if not posts or source_kind in ("archive", "file"):
            return None
        ids = [p.id for p in posts if p.id]
        return Since(newest_numeric_id(ids), frozenset(ids))

    def full_fetch_due(self, every: int) -> bool:
        """Every `every` runs (0: never) a full fetch finds posts deleted upstream."""
        return every > 0 and self.runs_since_full_fetch + 1 >= every


def post_to_record(user: str, post: Post) -> dict[str, Any]:
    return {"user": user, **asdict(post)}


def record_to_post(record: Any) -> tuple[str, Post] | None:
    if not isinstance(record, dict):
        return None
    user, text = field_str(record.get("user")), usable_text(record.get("text"))
    if user is None or text is None or field_str(record.get("id")) is None:
        return None
    values = {k: record.get(k) for k in _POST_FIELDS}
    flags = {k: bool(values[k]) for k in ("is_repost", "is_reply", "is_quote")}
    return user, Post(id=field_str(values["id"]) or "", text=text, created_at=field_str(values["created_at"]),
                      lang=field_str(values["lang"]), source=field_str(values["source"]) or "", **flags)


def write_posts(path: Any, posts: dict[str, list[Post]]) -> None:
    """posts.jsonl.gz: one post a line (mtime 0: the same posts give the same bytes)."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        for user, user_posts in posts.items():
            for post in user_posts:
                gz.write(json.dumps(post_to_record(user, post), ensure_ascii=False).encode() + b"\n")


def read_posts(data: bytes, where: str) -> dict[str, list[Post]]:
    posts: dict[str, list[Post]] = {}
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            for line in gz:
                try:
                    parsed = record_to_post(json.loads(line))
                except ValueError:
                    parsed = None
                if parsed is not None:
                    posts.setdefault(parsed[0], []).append(parsed[1])
    except (OSError, EOFError) as exc:
        raise TweetBotInputError("PreviousRunUnreadable", f"{where}: not a gzip file of posts ({exc})") from exc
    return posts


def load_history(previous_run: str | None, s3_endpoint: str | None = None) -> History:
    """The previous run's posts and counters; an empty History without --previous-run. A previous run that has
    no posts file (made before incremental data) counts as none: everything is fetched."""
    if not previous_run:
        return History()
    base = previous_run if previous_run.endswith("/") else previous_run + "/"
    try:
        raw = read_bytes(base + "data/" + POSTS_FILE, s3_endpoint, limit=MAX_POSTS_BYTES)
    except TweetBotInputError as err:
        if err.reason == "SourceNotFound":
            return History()
        raise
    history = History(uri=base, posts=read_posts(raw, base + "data/" + POSTS_FILE))
    try:
        stats = json.loads(read_bytes(base + "data/" + STATS_FILE, s3_endpoint, limit=MAX_STATS_BYTES))
    except (TweetBotInputError, ValueError):
        stats = {}
    section = stats.get("data") if isinstance(stats, dict) else None
    section = section if isinstance(section, dict) else {}
    count = section.get("runsSinceFullFetch")
    history.runs_since_full_fetch = count if isinstance(count, int) and count >= 0 else 0
    history.source_kind = section.get("sourceKind") if isinstance(section.get("sourceKind"), str) else None
    return history


def newest_post_time(posts: dict[str, list[Post]]) -> str | None:
    return max((p.created_at for ps in posts.values() for p in ps if p.created_at), default=None)


def oldest_post_time(posts: dict[str, list[Post]]) -> str | None:
    return min((p.created_at for ps in posts.values() for p in ps if p.created_at), default=None)
