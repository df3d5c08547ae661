"""Bluesky: `app.bsky.actor.getProfile`, then `app.bsky.feed.getAuthorFeed` with cursor paging (public AppView)."""

from __future__ import annotations

from typing import Any

from tweetbot_trainer.data.incremental import Since
from tweetbot_trainer.data.post import MAX_POST_CHARS, Post, field_str, has_surrogates
from tweetbot_trainer.data.sources.base import DEFAULT_MAX_POSTS, SourceResult, pick_profile
from tweetbot_trainer.data.sources.http import HttpResponse, JsonHttpClient
from tweetbot_trainer.errors import TweetBotInputError

DEFAULT_URL = "https://public.api.bsky.app"
PAGE_SIZE = 100
REPOST = "app.bsky.feed.defs#reasonRepost"
LINK = "app.bsky.richtext.facet#link"
QUOTE_EMBEDS = ("app.bsky.embed.record", "app.bsky.embed.recordWithMedia")
_GONE = ("AccountTakedown", "AccountDeactivated", "BlockedActor", "BlockedByActor")


def expand_links(text: str, facets: Any) -> str:
    """Put each link facet's full URI in place of its shortened label, so the URL rule can delete it.

    Facet offsets count UTF-8 bytes. A post over MAX_POST_CHARS is skipped anyway: its facets are not looked at.
    Overlapping facets: the first (by start) wins.
    """
    if len(text) > MAX_POST_CHARS or not isinstance(facets, list) or has_surrogates(text):
        return text  # (offsets of text that has no UTF-8 form mean nothing)
    links: list[tuple[int, int, str]] = []
    for facet in facets:
        index = facet.get("index") if isinstance(facet, dict) else None
        features = facet.get("features") if isinstance(facet, dict) else None
        if not isinstance(index, dict) or not isinstance(features, list):
            continue
        start, end = index.get("byteStart", 0), index.get("byteEnd", 0)
        if not (_is_offset(start) and _is_offset(end)):
            continue
        for feature in features:
            if not isinstance(feature, dict) or feature.get("$type") != LINK:
                continue
            uri = feature.get("uri")
            if isinstance(uri, str) and uri and not has_surrogates(uri):
                links.append((start, end, uri))
    if not links:
        return text
    raw = text.encode("utf-8")
    parts: list[bytes] = []
    done = 0  # raw[:done] is in parts: one pass, whatever the number of facets
    for start, end, uri in sorted(links):
        if done <= start <= end <= len(raw):
            parts += [raw[done:start], uri.encode("utf-8")]
            done = end
    parts.append(raw[done:])
    return b"".join(parts).decode("utf-8", errors="replace")


def _is_offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def item_to_post(item: dict[str, Any]) -> Post | None:
    post = item.get("post")
    record = post.get("record") if isinstance(post, dict) else None
    if not isinstance(post, dict) or not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return None
    reason = item.get("reason")
    embed = record.get("embed")
    langs = record.get("langs")
    return Post(
        id=field_str(post.get("uri")) or "",
        text=expand_links(record["text"], record.get("facets")),
        created_at=field_str(record.get("createdAt")),
        is_repost=isinstance(reason, dict) and reason.get("$type") == REPOST,
        is_reply=record.get("reply") is not None,
        is_quote=isinstance(embed, dict) and embed.get("$type") in QUOTE_EMBEDS,
        lang=field_str(langs[0]) if isinstance(langs, list) and langs else None,
        source="bluesky",
    )


def _raise_for_actor(response: HttpResponse, user: str) -> None:
    body = response.body if isinstance(response.body, dict) else {}
    error, message = str(body.get("error", "")), str(body.get("message", ""))
    if response.status in (401, 403):
        raise TweetBotInputError("BadCredentials", f"@{user}: the AppView refused access (HTTP {response.status})")
    if error in _GONE or "not found" in message.lower() or response.status == 404:
        raise TweetBotInputError("UnknownUser", f"@{user}: no readable Bluesky account ({message or error})")
    raise TweetBotInputError("SourceError", f"@{user}: Bluesky answered HTTP {response.status}: {message or error}")


def fetch_posts(
    user: str, base_url: str | None, client: JsonHttpClient | None = None, max_posts: int = DEFAULT_MAX_POSTS,
    since: Since | None = None,
) -> SourceResult:
    """`since`: the AppView has no "newer than": the feed is read newest first until a post already seen (not a
    repost: a repost of an old post is new in the feed)."""
    actor = user.lstrip("@")
    client = client or JsonHttpClient(base_url or DEFAULT_URL)
    response = client.get("/xrpc/app.bsky.actor.getProfile", {"actor": actor})
    if response.status >= 400 or not isinstance(response.body, dict):
        _raise_for_actor(response, actor)
    profile: dict[str, Any] = response.body
    labels = profile.get("labels")
    labels = {field_str(x.get("val")) for x in labels if isinstance(x, dict)} if isinstance(labels, list) else set()
    if "!no-unauthenticated" in labels:
        raise TweetBotInputError(
            "ProtectedAccount", f"@{actor}: the account asks not to be shown to logged-out readers"
        )
    result = SourceResult(posts=[])
    result.profile = pick_profile(profile, "displayName", "avatar")
    cursor: str | None = None
    seen_cursors: set[str] = set()
    while len(result.posts) + result.skipped < max_posts:
        response = client.get(
            "/xrpc/app.bsky.feed.getAuthorFeed", {"actor": actor, "limit": PAGE_SIZE, "cursor": cursor}
        )
        if response.status >= 400 or not isinstance(response.body, dict):
            _raise_for_actor(response, actor)
        feed = response.body.get("feed") or []
        if not isinstance(feed, list):
            raise TweetBotInputError("SourceError", f"@{actor}: Bluesky sent a page whose 'feed' is not a list")
        if _add_until_known(result, feed, since):
            break
        cursor = field_str(response.body.get("cursor"))
        # A cursor seen before would page forever.
        if not cursor or not feed or cursor in seen_cursors:
            break
        seen_cursors.add(cursor)
    del result.posts[max_posts:]
    if not result.posts and since is None:
        raise TweetBotInputError("EmptyFeed", f"@{actor}: the Bluesky account has no posts")
    return result


def _add_until_known(result: SourceResult, feed: list[Any], since: Since | None) -> bool:
    """Adds the page's posts; True when one was already seen (the rest of the feed is older)."""
    for item in feed:
        post = item_to_post(item) if isinstance(item, dict) else None
        if since is not None and post is not None and not post.is_repost and post.id in since.known:
            return True
        result.add(post)
    return False
