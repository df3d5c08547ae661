"""huggingtweets' cleaning rules, reproduced exactly, plus word counting for scripts without spaces.

Pure functions only. The rules (huggingtweets-demo.ipynb: fix_text, clean_tweet, boring_tweet):
- decode HTML entities (huggingtweets: &amp; &lt; &gt;; we decode the rest too);
- delete every `http:`/`https:` token with huggingtweets' own five substitutions, so edge cases (a URL glued to
  the word before it) come out the same;
- collapse all whitespace, newlines included, to single spaces;
- a post is short when fewer than 3 whitespace words remain that contain none of `http`, `@`, `#`.
The fix: huggingtweets counts a run of Chinese or Japanese text as one "word", so nearly every CJK post is short.
`content_word_count` counts each Han character and each kana run as a word (Thai-like scripts: about one word per
4 characters), so a normal CJK sentence is kept while a two-character reply is still short.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tweetbot_trainer.data.dataset import EOT
from tweetbot_trainer.data.markup import unescape
from tweetbot_trainer.data.post import MAX_POST_CHARS, Post

MIN_CONTENT_WORDS = 3

# huggingtweets' clean_tweet, one list per URL scheme, applied in this order: (pattern, replacement).
# Its `{w}\S+ ` is quadratic (each `http:` of a long run without a space after it scans to the run's end: 6 s for
# 'http:' * 100_000); ours matches the same text from the start of the run, checking once that a space ends it.
_URL_SUBS: tuple[tuple[str, tuple[tuple[re.Pattern[str], str], ...]], ...] = tuple(
    (
        scheme,
        tuple(
            (re.compile(p.format(w=re.escape(scheme))), repl)
            for p, repl in (
                (r" {w}\S+", ""),
                (r"(?<!\S)(?=\S*+ )(\S*?){w}\S+ ", r"\1"),
                (r"\n{w}\S+ ", ""),
                (r"\n{w}\S+", ""),
                (r"{w}\S+", ""),
            )
        ),
    )
    for scheme in ("http:", "https:")
)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HIRAGANA = "\u3040-\u309f"
_KATAKANA = "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_SEA = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer: no spaces between words
_NO_SPACE_SCRIPTS = re.compile(f"[{_HAN}{_HIRAGANA}{_KATAKANA}{_SEA}]")
_SEGMENTS = re.compile(
    f"(?P<han>[{_HAN}])|[{_HIRAGANA}]+|[{_KATAKANA}]+|(?P<sea>[{_SEA}]{{1,4}})"
    f"|(?P<other>[^{_HAN}{_HIRAGANA}{_KATAKANA}{_SEA}]+)"
)


def fix_text(text: str) -> str:
    """Decode HTML entities (X escapes & < > in post text)."""
    return unescape(text)


def strip_urls(text: str) -> str:
    """Delete http:/https: tokens exactly as huggingtweets' clean_tweet does (whitespace not yet collapsed)."""
    for scheme, subs in _URL_SUBS:
        if scheme in text:
            for pattern, replacement in subs:
                text = pattern.sub(replacement, text)
    return text


def clean_text(text: str) -> str:
    """Entities decoded, URLs deleted, whitespace collapsed: the text that goes into training."""
    return " ".join(strip_urls(fix_text(text)).split())


def _is_boring_token(token: str) -> bool:
    return "@" in token or "#" in token or "http" in token.lower()


def token_word_count(token: str) -> int:
    """Words in one whitespace token: 1, except in scripts written without spaces."""
    if token.isascii() or not _NO_SPACE_SCRIPTS.search(token):
        return 1
    count = 0
    for match in _SEGMENTS.finditer(token):
        other = match.group("other")
        if other is None:
            count += 1
        elif any(ch.isalnum() for ch in other):
            count += 1  # Latin letters or digits between CJK ("57点", "iPhone買った")
    return count


def content_word_count(text: str, limit: int = MIN_CONTENT_WORDS) -> int:
    """Words with none of http, @, # (huggingtweets' boring_tweet), counting CJK sensibly; stops at `limit`."""
    count = 0
    for token in text.split():
        if _is_boring_token(token):
            continue
        count += token_word_count(token)
        if count >= limit:
            return count
    return count


def huggingtweets_word_count(text: str) -> int:
    """huggingtweets' own count (one per whitespace token), kept to show what the CJK fix changes."""
    return sum(1 for token in text.split() if not _is_boring_token(token))


def is_short(cleaned: str) -> bool:
    return content_word_count(cleaned) < MIN_CONTENT_WORDS


@dataclass
class CleanedPosts:
    """One user's posts after cleaning, with the counts of the model card's table."""

    downloaded: int = 0
    retweets: int = 0
    short: int = 0
    too_long: int = 0  # over MAX_POST_CHARS (sources skip them already): never cleaned
    kept: list[str] = field(default_factory=list)
    kept_posts: list[Post] = field(default_factory=list)

    @property
    def kept_chars(self) -> int:
        """huggingtweets' measure of how much text there is: the length of `'<|endoftext|>'.join(kept)`."""
        return len(EOT.join(self.kept))

    def counts(self) -> dict[str, int]:
        counts = {"downloaded": self.downloaded, "retweets": self.retweets, "short": self.short, "kept": len(self.kept)}
        if self.too_long:
            counts["too_long"] = self.too_long
        return counts


def clean_posts(posts: Iterable[Post]) -> CleanedPosts:
    """Drop reposts and short posts, clean the rest; replies and quotes are kept."""
    result = CleanedPosts()
    kept, kept_posts = result.kept, result.kept_posts
    for post in posts:
        result.downloaded += 1
        if post.is_repost:
            result.retweets += 1
            continue
        text = post.text
        if len(text) > MAX_POST_CHARS:
            result.too_long += 1
            continue
        if "&" in text:
            text = unescape(text)
        if "http" in text:
            text = strip_urls(text)
        tokens = text.split()
        # Inlined content_word_count: this loop is the benchmark's hot path.
        words = 0
        for token in tokens:
            if "@" in token or "#" in token or "http" in token.lower():
                continue
            words += 1 if token.isascii() else token_word_count(token)
            if words >= MIN_CONTENT_WORDS:
                break
        if words < MIN_CONTENT_WORDS:
            result.short += 1
            continue
        kept.append(" ".join(tokens))
        kept_posts.append(post)
    return result
