"""What every source hands back for one user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tweetbot_trainer.post import Post

# Like huggingtweets (the X API's own limit): the most recent posts of an API timeline.
DEFAULT_MAX_POSTS = 3200


@dataclass
class SourceResult:
    posts: list[Post]
    profile: dict[str, str] = field(default_factory=dict)  # display_name, avatar_url when known
    skipped: int = 0  # records that could not be read (no text, bad line) and were left out


def pick_profile(record: Mapping[str, Any], name_field: str, avatar_field: str) -> dict[str, str]:
    """display_name / avatar_url out of a service's account record, leaving out what it lacks."""
    fields = (("display_name", name_field), ("avatar_url", avatar_field))
    return {key: str(record[field]) for key, field in fields if record.get(field)}


SOURCE_KINDS = ("archive", "x-api", "mastodon", "bluesky", "file")


@dataclass(frozen=True)
class SourceSpec:
    """Where one run's posts come from (the CLI's --source* flags)."""

    kind: str  # "archive" | "x-api" | "mastodon" | "bluesky" | "file"
    uri: str | None = None  # archive/file location; "{user}" in it is replaced by each handle
    url: str | None = None  # API base URL (X API base, Mastodon instance, Bluesky AppView); defaults per kind
    token_env: str = "X_BEARER_TOKEN"  # env var holding the X bearer token; never log its value

    def uri_for(self, user: str) -> str | None:
        return self.uri.replace("{user}", user) if self.uri else None
