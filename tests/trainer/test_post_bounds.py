"""Per-post work is linear and capped: URL stripping (huggingtweets' rules) on any text, Bluesky link facets, and
posts over MAX_POST_CHARS are dropped before any cleaning or expanding."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from tweetbot_trainer.data.cleaning import clean_posts, strip_urls
from tweetbot_trainer.data.post import MAX_POST_CHARS, Post
from tweetbot_trainer.data.sources import bluesky

from tests.support.fuzz_scale import examples

# huggingtweets' clean_tweet as it was written: the reference our linear version must equal.
REFERENCE = [
    [re.compile(p.format(w=re.escape(w))) for p in (r" {w}\S+", r"{w}\S+ ", r"\n{w}\S+ ", r"\n{w}\S+", r"{w}\S+")]
    for w in ("http:", "https:")
]


def reference_strip(text: str) -> str:
    for scheme, subs in zip(("http:", "https:"), REFERENCE, strict=True):
        if scheme in text:
            for pattern in subs:
                text = pattern.sub("", text)
    return text


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(["http:", "https:", "h", "s", ":", "x", "/", " ", "\n", "\t", "\xa0", "é"])))
def test_url_stripping_equals_huggingtweets(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert strip_urls(text) == reference_strip(text)


def finishes(code: str, seconds: float = 20) -> None:
    """Runs `code` in a fresh interpreter; fails if it takes longer than `seconds` (quadratic work takes minutes)."""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=seconds)


def test_url_stripping_is_linear_for_hostile_posts() -> None:
    # 2,000,000 characters each: the old patterns took about 100 s for the first (6 s for a quarter of it).
    finishes(
        "from tweetbot_trainer.data.cleaning import clean_text\n"
        "for text in ('http:' * 400_000, 'https:' * 333_333 + '\\n', 'ahttp:' * 333_333, ' http:x' * 285_714):\n"
        "    clean_text(text)\n"
    )


def test_a_post_over_the_cap_is_not_cleaned() -> None:
    posts = [Post(id="1", text="word " * (MAX_POST_CHARS // 5 + 1)), Post(id="2", text="three plain words")]
    cleaned = clean_posts(posts)
    assert cleaned.kept == ["three plain words"] and cleaned.too_long == 1
    assert cleaned.counts()["too_long"] == 1 and "too_long" not in clean_posts(posts[1:]).counts()


def facets(count: int, uri: str = "https://example.com/x") -> list[dict[str, object]]:
    link = {"$type": bluesky.LINK, "uri": uri}
    return [{"index": {"byteStart": 2 * i, "byteEnd": 2 * i + 1}, "features": [link]} for i in range(count)]


def test_link_facets_of_an_overlong_post_are_not_expanded() -> None:
    text = "a " * (MAX_POST_CHARS // 2 + 1)
    assert bluesky.expand_links(text, facets(20_000)) is text
    finishes(
        "from tweetbot_trainer.data.sources import bluesky\n"
        "link = {'$type': bluesky.LINK, 'uri': 'https://example.com/x'}\n"
        "fs = [{'index': {'byteStart': 2 * i, 'byteEnd': 2 * i + 1}, 'features': [link]} for i in range(20_000)]\n"
        "bluesky.expand_links('a ' * 1_000_000, fs)\n"
        "bluesky.expand_links('a ' * 40_000, fs)\n"
    )


def test_link_facets_expand_as_before() -> None:
    text = "a b c d e"
    assert bluesky.expand_links(text, facets(3, "L")) == "L L L d e"
    reverse = list(reversed(facets(2, "https://x.y/z")))
    assert bluesky.expand_links(text, reverse) == "https://x.y/z https://x.y/z c d e"
    two = {"index": {"byteStart": 0, "byteEnd": 3}, "features": [{"$type": bluesky.LINK, "uri": "TWO"}]}
    overlapping = [*facets(1, "ONE"), two]
    assert bluesky.expand_links(text, overlapping) in ("ONE b c d e", "TWO c d e")
