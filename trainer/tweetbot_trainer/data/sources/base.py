"""What every source hands back for one user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tweetbot_trainer.data.post import Post, field_str, usable_text
from tweetbot_trainer.errors import TweetBotInputError

# Like huggingtweets (the X API's own limit): the most recent posts of an API timeline.
DEFAULT_MAX_POSTS = 3200
# Posts one archive or file may hold: far above one person's, and what bounds memory per post (docs/reliability.md).
MAX_POSTS = 1_000_000


@dataclass
class SourceResult:
    posts: list[Post]
    profile: dict[str, str] = field(default_factory=dict)  # display_name, avatar_url when known
    skipped: int = 0  # records left out: unreadable, no text, text too long or not valid Unicode
    account: str | None = None  # the handle the data names as its owner (an archive's account.js), if any
    notes: list[str] = field(default_factory=list)  # what a user should know about how the posts were read
    where: str = "the source"  # the input, for errors

    def add(self, post: Post | None) -> None:
        """Keep `post` if its text can be trained on; count it as skipped otherwise (None: unreadable record)."""
        if post is None or usable_text(post.text) is None:
            self.skipped += 1
            return
        if len(self.posts) >= MAX_POSTS:
            raise TweetBotInputError(
                "TooManyPosts", f"{self.where}: more than {MAX_POSTS:,} posts; is this one account's?"
            )
        self.posts.append(post)


def clean_profile(display_name: Any, avatar_url: Any) -> dict[str, str]:
    """The profile fields that are usable strings; an avatar only as an http(s) URL (it goes into the card)."""
    profile: dict[str, str] = {}
    name = field_str(display_name)
    if name and name.strip():
        profile["display_name"] = name
    avatar = field_str(avatar_url, limit=2048)
    if avatar and avatar.lower().startswith(("https://", "http://")):
        profile["avatar_url"] = avatar
    return profile


def pick_profile(record: Mapping[str, Any], name_field: str, avatar_field: str) -> dict[str, str]:
    """display_name / avatar_url out of a service's account record, leaving out what it lacks."""
    return clean_profile(record.get(name_field), record.get(avatar_field))


# What a source URI may start with when local sources are refused.
REMOTE_SCHEMES = ("s3://", "https://")
SOURCE_KINDS = ("archive", "x-api", "mastodon", "bluesky", "file")
# Where each API source finds its token unless --token-env names another variable (the Job's env, set by the
# operator from spec.source.<kind>.tokenSecret). The X API needs one; Mastodon sends one when it is set.
DEFAULT_TOKEN_ENVS = {"x-api": "X_BEARER_TOKEN", "mastodon": "MASTODON_TOKEN"}


@dataclass(frozen=True)
class SourceSpec:
    """Where one run's posts come from (the CLI's --source* flags)."""

    kind: str  # "archive" | "x-api" | "mastodon" | "bluesky" | "file"
    uri: str | None = None  # archive/file location; "{user}" in it is replaced by each handle
    url: str | None = None  # API base URL (X API base, Mastodon instance, Bluesky AppView); defaults per kind
    token_env: str | None = None  # env var holding the API token (default per kind); never log its value
    local: bool = True  # local paths allowed (the CLI by hand); the Job: s3:// and https:// only (--no-local-sources)

    def uri_for(self, user: str) -> str | None:
        return self.uri.replace("{user}", user) if self.uri else None

    def check_uri(self, user: str) -> str:
        """`user`'s archive/file URI; in a cluster (local False) only s3:// or https://: a path in the pod (a
        mounted Secret, /proc/self/environ) is no one's posts."""
        uri = self.uri_for(user)
        if not uri:
            raise TweetBotInputError("MissingSourceUri", f"--source {self.kind} needs --source-uri")
        if not self.local and not uri.startswith(REMOTE_SCHEMES):
            raise TweetBotInputError(
                "LocalSourceRefused", f"{uri}: in a cluster a source URI must be s3:// or https://"
            )
        return uri

    def token_env_name(self) -> str:
        return self.token_env or DEFAULT_TOKEN_ENVS.get(self.kind, DEFAULT_TOKEN_ENVS["x-api"])
