"""X API v2: resolve the handle (`/2/users/by/username/:u`), then page `/2/users/:id/tweets`.

Up to 3,200 most recent posts (the API's own cap), 100 a page, following `meta.next_token`. Reposts, replies and
quotes come from `referenced_tweets`; long posts carry their full text in `note_tweet.text` (long_posts.long_text:
the same rule as for archives).
"""

from __future__ import annotations

import os
from typing import Any

from tweetbot_trainer.data.incremental import Since
from tweetbot_trainer.data.post import Post, field_str
from tweetbot_trainer.data.sources.base import DEFAULT_MAX_POSTS, SourceResult, pick_profile
from tweetbot_trainer.data.sources.http import HttpResponse, JsonHttpClient, segment
from tweetbot_trainer.data.sources.long_posts import long_text
from tweetbot_trainer.errors import TweetBotInputError

DEFAULT_URL = "https://api.x.com"
PAGE_SIZE = 100
TWEET_FIELDS = "created_at,lang,referenced_tweets,note_tweet,in_reply_to_user_id"


def bearer_token(env_name: str) -> str:
    token = os.environ.get(env_name, "").strip()
    if not token:
        raise TweetBotInputError(
            "MissingToken", f"no X API bearer token: set the environment variable {env_name} (see --token-env)"
        )
    return token


def client_for(base_url: str | None, token: str) -> JsonHttpClient:
    return JsonHttpClient(base_url or DEFAULT_URL, headers={"Authorization": f"Bearer {token}"})


def _error_detail(body: Any) -> str:
    if not isinstance(body, dict):
        return ""
    errors = body.get("errors")
    first = errors[0] if isinstance(errors, list) and errors else body
    if not isinstance(first, dict):
        first = body
    detail = next((first[k] for k in ("detail", "title", "message") if isinstance(first.get(k), str) and first[k]), "")
    return str(detail)[:300]


def _check_auth(response: HttpResponse, user: str) -> None:
    if response.status == 401:
        raise TweetBotInputError("BadCredentials", f"X API rejected the bearer token (HTTP 401) while reading @{user}")
    if response.status == 403:
        detail = _error_detail(response.body) or "forbidden"
        raise TweetBotInputError("BadCredentials", f"X API refused access for @{user} (HTTP 403): {detail}")


def lookup_user(client: JsonHttpClient, user: str) -> dict[str, Any]:
    response = client.get(f"/2/users/by/username/{segment(user)}", {"user.fields": "name,profile_image_url,protected"})
    _check_auth(response, user)
    data = response.body.get("data") if isinstance(response.body, dict) else None
    if response.status >= 400 or not isinstance(data, dict) or field_str(data.get("id")) is None:
        detail = _error_detail(response.body)
        why = "is suspended" if "suspend" in detail.lower() else "does not exist"
        raise TweetBotInputError("UnknownUser", f"@{user}: the X account {why} ({detail or response.status})")
    if data.get("protected"):
        raise TweetBotInputError("ProtectedAccount", f"@{user}: the X account is protected; its posts cannot be read")
    return data


def tweet_to_post(tweet: dict[str, Any]) -> Post | None:
    short, note = tweet.get("text"), tweet.get("note_tweet")
    whole = note.get("text") if isinstance(note, dict) else None
    if not isinstance(short, str):
        short = whole if isinstance(whole, str) else None
    if short is None:
        return None
    text = long_text(short, whole)
    refs = tweet.get("referenced_tweets")
    kinds = {field_str(ref.get("type")) for ref in refs if isinstance(ref, dict)} if isinstance(refs, list) else set()
    return Post(
        id=field_str(tweet.get("id")) or "",
        text=text,
        created_at=field_str(tweet.get("created_at")),
        is_repost="retweeted" in kinds,
        is_reply="replied_to" in kinds or bool(tweet.get("in_reply_to_user_id")),
        is_quote="quoted" in kinds,
        lang=field_str(tweet.get("lang")),
        source="x-api",
    )


def fetch_posts(
    user: str,
    base_url: str | None,
    token_env: str,
    client: JsonHttpClient | None = None,
    max_posts: int = DEFAULT_MAX_POSTS,
    *,
    since: Since | None = None,
) -> SourceResult:
    """`since`: only posts newer than its newest id (the API's `since_id`); none new is no error then."""
    client = client or client_for(base_url, bearer_token(token_env))
    account = lookup_user(client, user)
    result = SourceResult(posts=[])
    result.profile = pick_profile(account, "name", "profile_image_url")
    token: str | None = None
    seen_tokens: set[str] = set()
    while len(result.posts) + result.skipped < max_posts:
        params = {"max_results": PAGE_SIZE, "tweet.fields": TWEET_FIELDS, "pagination_token": token,
                  "since_id": since.newest_id if since else None}
        response = client.get(f"/2/users/{segment(field_str(account['id']))}/tweets", params)
        _check_auth(response, user)
        body = response.body if isinstance(response.body, dict) else {}
        if response.status >= 400:
            raise TweetBotInputError(
                "SourceError", f"@{user}: X API answered HTTP {response.status}: {_error_detail(body)}"
            )
        if "data" not in body and body.get("errors"):
            detail = _error_detail(body)
            if "authoriz" in detail.lower() or "protected" in detail.lower():
                raise TweetBotInputError("ProtectedAccount", f"@{user}: posts not readable ({detail})")
            raise TweetBotInputError("SourceError", f"@{user}: X API error: {detail}")
        tweets = body.get("data") or []
        if not isinstance(tweets, list):
            raise TweetBotInputError("SourceError", f"@{user}: X API sent a page whose 'data' is not a list")
        for tweet in tweets:
            result.add(tweet_to_post(tweet) if isinstance(tweet, dict) else None)
        meta = body.get("meta")
        token = field_str(meta.get("next_token")) if isinstance(meta, dict) else None
        # An empty page or a token seen before would page forever: the timeline is at its end.
        if not token or not tweets or token in seen_tokens:
            break
        seen_tokens.add(token)
    del result.posts[max_posts:]
    if not result.posts and since is None:
        raise TweetBotInputError("EmptyFeed", f"@{user}: the X account has no posts to read")
    return result
