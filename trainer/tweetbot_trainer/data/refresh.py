"""One run's fetch against the previous run's posts: incremental where the source can say "newer than", full
every `--full-fetch-every` runs (and always for archives and files, read whole anyway), merged by post id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tweetbot_trainer.data.incremental import History, merge_posts, newest_post_time, oldest_post_time
from tweetbot_trainer.data.post import Post
from tweetbot_trainer.data.sources import SourceResult, SourceSpec, load_posts
from tweetbot_trainer.data.sources.base import DEFAULT_MAX_POSTS

WHOLE_SOURCES = ("archive", "file")  # one file, read whole on every run


@dataclass
class Refreshed:
    results: dict[str, SourceResult]  # per user: old + new posts, this fetch's profile and skipped count
    data: dict[str, Any]  # stats.json's `data` section (and the card's, the operator's status.data)

    @property
    def posts(self) -> dict[str, list[Post]]:
        return {user: result.posts for user, result in self.results.items()}


def fetch_users(handles: list[str], source: SourceSpec, s3_endpoint: str | None, history: History,
                full_fetch_every: int = 0) -> Refreshed:
    if history.source_kind not in (None, source.kind):  # another service's posts: start over from this one's
        history = History()
    full = not history.exists or source.kind in WHOLE_SOURCES or history.full_fetch_due(full_fetch_every)
    results: dict[str, SourceResult] = {}
    new = deleted = 0
    for user in handles:
        since = None if full else history.since(user, source.kind)
        result = load_posts(user, source, s3_endpoint, since=since)
        previous = history.posts.get(user, [])
        merged = merge_posts(previous, result.posts, full=full and bool(previous),
                             capped=len(result.posts) + result.skipped >= DEFAULT_MAX_POSTS)
        result.posts = merged.posts
        new += merged.new
        deleted += merged.deleted
        if since is not None:
            result.notes.append(f"@{user}: {merged.new} new posts since run {history.uri} (incremental fetch)")
        if merged.deleted:
            result.notes.append(f"@{user}: {merged.deleted} posts of the previous run are gone from the source"
                                " (deleted upstream): they leave the training set")
        results[user] = result
    posts = {user: r.posts for user, r in results.items()}
    data = {
        "posts": sum(len(p) for p in posts.values()),
        "newPosts": new,
        "deletedPosts": deleted,
        "newestPost": newest_post_time(posts),
        "oldestPost": oldest_post_time(posts),
        "fullFetch": full,
        "runsSinceFullFetch": 0 if full else history.runs_since_full_fetch + 1,
        "previousRun": history.uri,
        "sourceKind": source.kind,
        "origin": "archive" if source.kind in WHOLE_SOURCES else "api",
    }
    return Refreshed(results, data)
