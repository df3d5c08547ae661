"""Post sources: each turns one user's posts into normalized `Post` records."""

from __future__ import annotations

from tweetbot_trainer.data.incremental import Since
from tweetbot_trainer.data.sources import bluesky, mastodon, x_api
from tweetbot_trainer.data.sources.archive import read_archive
from tweetbot_trainer.data.sources.base import SOURCE_KINDS, SourceResult, SourceSpec
from tweetbot_trainer.data.sources.file import read_file
from tweetbot_trainer.errors import TweetBotInputError

__all__ = ["SOURCE_KINDS", "SourceResult", "SourceSpec", "load_posts"]


def load_posts(user: str, source: SourceSpec, s3_endpoint: str | None = None,
               since: Since | None = None) -> SourceResult:
    """Every post of `user` from `source`, or with `since` those an API says are newer (raises
    TweetBotInputError for anything the user can fix)."""
    if source.kind in ("archive", "file"):
        uri = source.check_uri(user)
        reader = read_archive if source.kind == "archive" else read_file
        result = reader(uri, s3_endpoint)
        if source.kind == "archive":
            check_owner(user, uri, result)
        if not result.posts:
            raise TweetBotInputError("EmptyFeed", f"{uri}: no posts in it for @{user}")
        return result
    if source.kind == "x-api":
        return x_api.fetch_posts(user, source.url, source.token_env_name(), since=since)
    if source.kind == "mastodon":
        return mastodon.fetch_posts(user, source.url, token_env=source.token_env_name(), since=since)
    if source.kind == "bluesky":
        return bluesky.fetch_posts(user, source.url, since=since)
    raise TweetBotInputError("UnknownSource", f"unknown source '{source.kind}' (one of: {', '.join(SOURCE_KINDS)})")


def check_owner(user: str, uri: str, result: SourceResult) -> None:
    """An archive that names its account must be `user`'s (handles compare case-insensitively, as X does)."""
    if result.account is None:
        result.notes.append(f"{uri}: the archive names no account (no account.js): its posts are taken as @{user}'s")
    elif result.account.casefold() != user.lstrip("@").casefold():
        raise TweetBotInputError(
            "ArchiveUserMismatch",
            f"{uri}: the archive is @{result.account}'s (as its account files say), not @{user}'s:"
            f" give --user {result.account} or @{user}'s own archive",
        )
