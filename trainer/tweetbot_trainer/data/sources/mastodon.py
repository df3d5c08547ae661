"""Mastodon: `/api/v1/accounts/lookup?acct=`, then `/api/v1/accounts/:id/statuses` (40 a page, `max_id`).

Public posts need no token. With one in the environment (MASTODON_TOKEN, from the TweetBot's
`mastodon.tokenSecret`) every request carries `Authorization: Bearer <token>`, which also shows the posts that
account may see; the value never goes into a message (the HTTP client redacts it from answers too).
"""

from __future__ import annotations

import os
from typing import Any

from tweetbot_trainer.data.incremental import Since
from tweetbot_trainer.data.markup import html_to_text
from tweetbot_trainer.data.post import Post, field_str
from tweetbot_trainer.data.sources.base import DEFAULT_MAX_POSTS, DEFAULT_TOKEN_ENVS, SourceResult, pick_profile
from tweetbot_trainer.data.sources.http import JsonHttpClient, segment
from tweetbot_trainer.errors import TweetBotInputError

DEFAULT_URL = "https://mastodon.social"
PAGE_SIZE = 40


def instance_and_acct(user: str, base_url: str | None) -> tuple[str, str]:
    """`name@host` picks the instance unless --source-url names one; a leading @ is ignored."""
    acct = user.lstrip("@")
    if base_url:
        return base_url, acct
    if "@" in acct:
        return f"https://{acct.split('@', 1)[1]}", acct
    return DEFAULT_URL, acct


def client_for(instance: str, token_env: str) -> JsonHttpClient:
    token = os.environ.get(token_env, "").strip()
    return JsonHttpClient(instance, headers={"Authorization": f"Bearer {token}"} if token else {})


def status_to_post(status: dict[str, Any]) -> Post | None:
    reblog = status.get("reblog")
    shown = reblog if isinstance(reblog, dict) else status
    content = shown.get("content")
    if not isinstance(content, str):
        return None
    return Post(
        id=field_str(status.get("id")) or "",
        text=html_to_text(content),
        created_at=field_str(status.get("created_at")),
        is_repost=isinstance(reblog, dict),
        is_reply=status.get("in_reply_to_id") is not None,
        is_quote=status.get("quote") is not None,
        lang=field_str(shown.get("language")),
        source="mastodon",
    )


def lookup_account(client: JsonHttpClient, acct: str, token_env: str) -> dict[str, Any]:
    response = client.get("/api/v1/accounts/lookup", {"acct": acct})
    if response.status in (401, 403):
        why = (
            f"rejected the token in ${token_env}"
            if "Authorization" in client.headers
            else f"refuses anonymous lookups (give a token: ${token_env}, spec.source.mastodon.tokenSecret)"
        )
        raise TweetBotInputError("BadCredentials", f"{client.base_url}: the instance {why} (HTTP {response.status})")
    if response.status == 404 or not isinstance(response.body, dict) or field_str(response.body.get("id")) is None:
        raise TweetBotInputError("UnknownUser", f"@{acct}: no such account on {client.base_url}")
    if response.body.get("suspended"):
        raise TweetBotInputError("UnknownUser", f"@{acct}: the account is suspended on {client.base_url}")
    return response.body


def fetch_posts(
    user: str,
    base_url: str | None,
    client: JsonHttpClient | None = None,
    max_posts: int = DEFAULT_MAX_POSTS,
    token_env: str = DEFAULT_TOKEN_ENVS["mastodon"],
    *,
    since: Since | None = None,
) -> SourceResult:
    """`since`: only statuses newer than its newest id (`since_id`, paged down with `max_id` as before)."""
    instance, acct = instance_and_acct(user, base_url)
    client = client or client_for(instance, token_env)
    account = lookup_account(client, acct, token_env)
    result = SourceResult(posts=[])
    result.profile = pick_profile(account, "display_name", "avatar")
    max_id: str | None = None
    seen_ids: set[str] = set()
    while len(result.posts) + result.skipped < max_posts:
        path = f"/api/v1/accounts/{segment(field_str(account['id']))}/statuses"
        response = client.get(path, {"limit": PAGE_SIZE, "max_id": max_id,
                                            "since_id": since.newest_id if since else None})
        if response.status >= 400 or not isinstance(response.body, list):
            raise TweetBotInputError(
                "SourceError", f"@{acct}: {client.base_url} answered HTTP {response.status} for the statuses"
            )
        if not response.body:
            break
        for status in response.body:
            result.add(status_to_post(status) if isinstance(status, dict) else None)
        last = response.body[-1]
        max_id = field_str(last.get("id")) if isinstance(last, dict) else None
        # Without a usable id of the oldest status, or with one seen before, paging would repeat itself.
        if max_id is None or max_id in seen_ids:
            break
        seen_ids.add(max_id)
    del result.posts[max_posts:]
    if not result.posts and since is None:
        if account.get("locked"):
            raise TweetBotInputError("ProtectedAccount", f"@{acct}: the account is locked and shows no public posts")
        raise TweetBotInputError("EmptyFeed", f"@{acct}: the account has no public posts on {client.base_url}")
    return result
