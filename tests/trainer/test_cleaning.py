"""huggingtweets' cleaning rules, checked against huggingtweets' own code, plus the CJK word-count fix."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from tweetbot_trainer.data.cleaning import (
    clean_posts,
    clean_text,
    content_word_count,
    huggingtweets_word_count,
    is_short,
    strip_urls,
    token_word_count,
)
from tweetbot_trainer.data.post import Post
from tweetbot_trainer.data.prepare import SAMPLE_ARCHIVE
from tweetbot_trainer.data.sources.archive import read_archive


# --- huggingtweets' functions as published (huggingtweets-demo.ipynb), the oracle for our fast versions ---
def ht_fix_text(text: str) -> str:
    text = text.replace("&amp;", "&")
    text = text.replace("&lt;", "<")
    return text.replace("&gt;", ">")


def ht_clean_tweet(tweet: str) -> str:
    for w in ["http:", "https:"]:
        tweet = re.sub(f" {w}\\S+", "", tweet)
        tweet = re.sub(f"{w}\\S+ ", "", tweet)
        tweet = re.sub(f"\n{w}\\S+ ", "", tweet)
        tweet = re.sub(f"\n{w}\\S+", "", tweet)
        tweet = re.sub(f"{w}\\S+", "", tweet)
    tweet = re.sub(" +", " ", tweet)
    tweet = " ".join(tweet.split())
    return tweet.strip()


def ht_boring_tweet(tweet: str) -> bool:
    boring_stuff = ["http", "@", "#"]
    return len([None for w in tweet.split() if all(bs not in w.lower() for bs in boring_stuff)]) < 3


def archive_posts(path: Path) -> list[Post]:
    return read_archive(str(path)).posts


EDGE_CASES = [
    "plain words only here",
    "see https://t.co/abc and http://x.y/z too",
    "https://t.co/start then words follow here",
    "glued:https://t.co/abc after it",
    "words\nhttps://t.co/abc\nmore words on a line",
    "trailing link https://t.co/x",
    "xhttps://a https://b c",
    "HTTPS://UPPER.CASE is not a link for the regex but is boring",
    "a &amp; b &lt;c&gt; d",
    "@someone #tag http only",
    "   lots   of\t\tspace\n\nand newlines   ",
    "https: alone is not a url at all",
    "",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_url_and_whitespace_rules_match_huggingtweets(text: str) -> None:
    assert clean_text(text) == ht_clean_tweet(ht_fix_text(text))
    assert is_short(clean_text(text)) == ht_boring_tweet(ht_clean_tweet(ht_fix_text(text)))


def test_random_strings_match_huggingtweets() -> None:
    rng = random.Random(7)
    pieces = ["http:", "https:", "//t.co/x", " ", "\n", "\t", "word", "@u", "#h", "a", "s:", "htt", "p:", "&amp;"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert " ".join(strip_urls(text).split()) == ht_clean_tweet(text), repr(text)


def test_rules_by_example() -> None:
    assert clean_text("Tom &amp; Jerry &lt;3 &quot;ok&quot; https://t.co/x") == 'Tom & Jerry <3 "ok"'
    assert clean_text("line one\n\nline two   http://a.b") == "line one line two"
    assert is_short("@a @b thanks!")  # only one word without @ / # / http
    assert is_short("two words")
    assert not is_short("@friend this is great")  # replies are kept when they say something


def test_reposts_dropped_replies_and_quotes_kept() -> None:
    posts = [
        Post(id="1", text="RT @other: a repost with enough words", is_repost=True),
        Post(id="2", text="@friend a reply with enough words", is_reply=True),
        Post(id="3", text="a quote with enough words https://t.co/q", is_quote=True),
        Post(id="4", text="ok https://t.co/x"),
    ]
    result = clean_posts(posts)
    assert result.counts() == {"downloaded": 4, "retweets": 1, "short": 1, "kept": 2}
    assert result.kept == ["@friend a reply with enough words", "a quote with enough words"]
    assert [p.id for p in result.kept_posts] == ["2", "3"]


def test_local_excerpt_matches_huggingtweets(local_fixtures: Path) -> None:
    posts = archive_posts(local_fixtures / "trainer/archives/andreruffert-excerpt-tweets.js")
    result = clean_posts(posts)
    expected = [ht_clean_tweet(ht_fix_text(p.text)) for p in posts if not p.text.startswith("RT @")]
    expected = [t for t in expected if not ht_boring_tweet(t)]
    assert result.kept == expected
    assert result.counts() == {"downloaded": 50, "retweets": 17, "short": 12, "kept": 21}


def test_andreruffert_numbers_are_huggingtweets_numbers(shared_fixtures: Path) -> None:
    result = clean_posts(archive_posts(shared_fixtures / "archives/andreruffert-tweets.js"))
    assert result.counts() == {"downloaded": 1986, "retweets": 643, "short": 230, "kept": 1113}


def test_every_shared_archive_keeps_what_huggingtweets_keeps_outside_cjk(shared_fixtures: Path) -> None:
    for path in sorted((shared_fixtures / "archives").glob("*.js")):
        posts = archive_posts(path)
        ours = clean_posts(posts)
        theirs = [ht_clean_tweet(ht_fix_text(p.text)) for p in posts if not p.text.startswith("RT @")]
        theirs = [t for t in theirs if not ht_boring_tweet(t)]
        if path.name.startswith("dsajgiouawj"):
            assert set(theirs) <= set(ours.kept)  # the CJK fix only ever keeps more
        else:
            assert ours.kept == theirs, path.name


# --- the CJK fix ---------------------------------------------------------------------------------------
def test_cjk_word_counts() -> None:
    assert token_word_count("hello") == 1
    assert token_word_count("今日は雨が降っています") == 7  # 今 日 は 雨 が 降 っています
    assert token_word_count("57点") == 2
    assert token_word_count("おはよう") == 1  # one kana run: a greeting stays short
    assert token_word_count("「ラーメン」") == 1  # punctuation is not a word
    assert content_word_count("今日は雨が降っています") >= 3
    assert huggingtweets_word_count("今日は雨が降っています") == 1


def test_cjk_posts_are_kept_with_the_fix(local_fixtures: Path) -> None:
    posts = archive_posts(local_fixtures / "trainer/archives/dsajgiouawj-excerpt-tweet.js")
    own = [p for p in posts if not p.is_repost]
    result = clean_posts(posts)
    huggingtweets_kept = sum(not ht_boring_tweet(ht_clean_tweet(ht_fix_text(p.text))) for p in own)
    assert len(result.kept) >= 0.8 * len(own)
    assert huggingtweets_kept <= 0.3 * len(own)


def test_cjk_archive_keeps_most_posts(shared_fixtures: Path) -> None:
    posts = archive_posts(shared_fixtures / "archives/dsajgiouawj-tweet.js")
    own = [p for p in posts if not p.is_repost]
    result = clean_posts(posts)
    huggingtweets_kept = sum(not ht_boring_tweet(ht_clean_tweet(ht_fix_text(p.text))) for p in own)
    assert huggingtweets_kept == 140  # huggingtweets' rule throws away 88% of this user's posts
    assert len(result.kept) > 0.8 * len(own)


def test_sample_archive_is_bundled_and_clean() -> None:
    result = clean_posts(archive_posts(SAMPLE_ARCHIVE))
    assert result.kept_chars >= 40_000
    assert result.retweets > 0 and result.short > 0
    assert json.loads(SAMPLE_ARCHIVE.read_text()[SAMPLE_ARCHIVE.read_text().index("[") :])
