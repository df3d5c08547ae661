"""Model cards built from hostile display names, avatar URLs and posts render inert.

The card is compared with one rendered from harmless values: hostile input may change the text, but never the
card's structure (front matter, HTML tags, links, tables, code fences), and no avatar URL other than http(s) gets
into a `url(...)`. Kept thin on purpose: only `render` below knows how the card is called.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st
from tweetbot_trainer.publish.card import CardData, render_card

from tests.support.fuzz_scale import examples

USERS = ["alice", "bob"]
STATS = {u: {"downloaded": 10, "retweets": 1, "short": 2, "kept": 7} for u in USERS}

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "![x](https://evil.example/pixel.png)",
    "<https://evil.example>",
    "\n---\ntags: [pwned]\n---\n",
    "---",
    "<!-- hidden --> visible",
    "{{ config }} {% raw %} ${HOME}",
    "| a | b |\n|---|---|",
    "```\ncode\n```",
    "# Heading\n## another",
    "&lt;script&gt; &#60;b&#62;",
    '" onmouseover="alert(1)',
    "' style='x",
    "\u202e\u0000\r\n\u2028",
]
HOSTILE_URLS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "https://a.example/x.png'); background:url(javascript:alert(1)); x:('",
    'https://a.example/x.png" onerror="alert(1)',
    "https://a.example/)<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/a.png",
    "https://ok.example/avatar.png",
    "",
]
hostile_text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(alphabet="<>[]()!-_*`'\"{}|#&;:/\n\\ ajs", max_size=40))
hostile_urls = st.one_of(st.sampled_from(HOSTILE_URLS), st.text(max_size=40))

_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_LIVE_SCHEME = re.compile(r"""[("'=]\s*(?:javascript|vbscript|data):""", re.IGNORECASE)
_AVATAR = re.compile(r"url\(&#39;(.*?)&#39;\)")


def render(display_names: Sequence[str], avatars: Sequence[str], samples: Sequence[str]) -> str:
    profiles = {u: {"display_name": n, "avatar_url": a} for u, n, a in zip(USERS, display_names, avatars, strict=True)}
    return render_card(
        CardData(
            users=USERS, stats=STATS, profiles=profiles, languages=["en"], model_uri="s3://b/p/r/", samples=samples
        )
    )


def structure(card: str) -> dict[str, int]:
    """What markup the card has: hostile text must not add or remove any of it."""
    lines = card.splitlines()
    return {
        "lines": len(lines),
        "front matter fences": sum(1 for line in lines if line.strip() == "---"),
        "html tags": len(_TAG.findall(card)),
        "links": card.count("]("),
        "autolinks": card.count("<http"),
        "comments": card.count("<!--"),
        "template braces": card.count("{{") + card.count("{%"),
        "code fences": card.count("```"),
        "headings": sum(1 for line in lines if line.startswith("#")),
        "table rows": sum(1 for line in lines if line.startswith("|")),
    }


BENIGN = structure(render(["Alice A", "Bob B"], ["https://a.example/1.png", ""], ["a sample", "another one"]))


@settings(max_examples=examples(200), deadline=None)
@given(
    names=st.lists(hostile_text, min_size=2, max_size=2),
    avatars=st.lists(hostile_urls, min_size=2, max_size=2),
    samples=st.lists(hostile_text.filter(str.strip), min_size=2, max_size=2),
)
def test_hostile_profiles_and_posts_render_inert(names: list[str], avatars: list[str], samples: list[str]) -> None:
    card = render(names, avatars, samples)
    found = structure(card)
    assert {k: v for k, v in found.items() if k != "lines"} == {k: v for k, v in BENIGN.items() if k != "lines"}
    assert found["lines"] == BENIGN["lines"], "user text added or removed lines"
    # As text ("&#40;javascript:...") it is harmless; right after an opening bracket, quote or '=' it would be live.
    assert not _LIVE_SCHEME.search(card), _LIVE_SCHEME.search(card)
    for url in _AVATAR.findall(card):
        assert url == "" or url.startswith(("https://", "http://")), url
        assert not set("'\"()<> ") & set(url), url


def test_apostrophes_in_names_show_as_apostrophes() -> None:
    card = render(["Ana's bot", "Bob"], ["", ""], ["it's fine"])
    assert "Ana's bot" in html.unescape(card)
