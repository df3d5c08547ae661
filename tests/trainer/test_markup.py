"""Markup in post text (Mastodon HTML, entities in archive and Bluesky text) always comes out as text."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tweetbot_trainer.data.cleaning import clean_posts, clean_text
from tweetbot_trainer.data.markup import html_to_text, unescape
from tweetbot_trainer.data.post import Post

from tests.support.fuzz_scale import examples

# Each of these raised from the stdlib before: HTMLParser's assertions, int()'s 4,300-digit limit.
CRASHERS = [
    "<![0",
    "<![",
    "<!",
    "<![if !supportLists]>",
    "<![CDATA[x",
    "&#" + "9" * 5000 + ";",
    "&#" + "0" * 5000 + "65;",
    "&#" + "9" * 5000,
    "<p>ok &#" + "1" * 4301 + " then</p>",
]


@pytest.mark.parametrize("markup", CRASHERS)
def test_inputs_that_crashed_the_stdlib_come_out_as_text(markup: str) -> None:
    assert isinstance(html_to_text(markup), str)
    assert isinstance(unescape(markup), str)


def test_long_references_decode_as_html_unescape_would() -> None:
    assert unescape("&#" + "0" * 5000 + "65;") == "A"
    assert unescape("&#" + "9" * 5000 + ";x") == "\ufffdx"
    for ref in ("&#00000065;", "&#0;", "&#1114111;", "&#1114112;", "&#0001114112;", "&#99999999;"):
        assert unescape(ref) == html.unescape(ref), ref


def test_a_post_with_a_huge_reference_is_cleaned_not_crashed() -> None:
    text = "three plain words &#" + "9" * 5000 + ";"
    cleaned = clean_posts([Post(id="1", text=text)])
    assert cleaned.kept == ["three plain words \ufffd"]
    assert clean_text(text) == "three plain words \ufffd"


def test_mastodon_status_html() -> None:
    status = (
        '<p>Line one &amp; more<br>line two <a href="https://example.com/x" rel="nofollow">'
        '<span class="invisible">https://</span><span class="">example.com/x</span></a></p>'
        '<p><span class="h-card"><a href="https://example.social/@friend" class="u-url mention">@<span>friend</span>'
        "</a></span> second &lt;paragraph&gt;<br/>end</p>"
    )
    assert html_to_text(status) == (
        "Line one & more\nline two https://example.com/x\n\n@friend second <paragraph>\nend"
    )


def test_comments_doctype_and_odd_tags() -> None:
    assert html_to_text("a<!-- hidden -->b<!-->c<!DOCTYPE html>d<?pi x?>e</3 f>g") == "abcdeg"
    assert html_to_text("I <3 you & 2 < 3") == "I <3 you & 2 < 3"
    assert html_to_text('<a title="x > y">link</a>') == "link"
    assert html_to_text("text <a href='unterminated") == "text"
    assert html_to_text("<P>upper</P><BR>case") == "upper\n\n\ncase"


class _StdlibText(HTMLParser):
    """The stdlib's reading of the same markup, for inputs it can parse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


words = st.text(alphabet=st.sampled_from("abc xyz&;#@.:/é日"), max_size=12)
entities = st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#x1F600;", "&nbsp;", "&amp"])
attrs = st.sampled_from(["", ' href="https://e.x/a?b=1&amp;c=2"', ' class="invisible"', " rel='nofollow'"])


@st.composite
def status_html(draw: st.DrawFn) -> str:
    """Well-formed status markup: what Mastodon's sanitizer lets through (p, br, a, span)."""
    out = []
    for _ in range(draw(st.integers(0, 4))):
        inner = []
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.sampled_from(["text", "entity", "br", "a", "span"]))
            if kind == "text":
                inner.append(html.escape(draw(words), quote=False))
            elif kind == "entity":
                inner.append(draw(entities))
            elif kind == "br":
                inner.append(draw(st.sampled_from(["<br>", "<br/>", "<br />"])))
            else:
                inner.append(f"<{kind}{draw(attrs)}>{html.escape(draw(words), quote=False)}</{kind}>")
        out.append("<p>" + "".join(inner) + "</p>")
    return "".join(out)


@settings(max_examples=examples(300), deadline=None)
@given(status_html())
def test_status_markup_reads_as_the_stdlib_reads_it(markup: str) -> None:
    parser = _StdlibText()
    parser.feed(markup)
    parser.close()
    assert html_to_text(markup) == "".join(parser.parts).strip()


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet=st.sampled_from("<>!/?-[]&#;=\"' apbrx0123\n"), max_size=40) | st.text(max_size=40))
def test_any_text_comes_out_as_text(markup: str) -> None:
    text = html_to_text(markup)
    assert isinstance(text, str)
    assert text == text.strip()


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet=st.sampled_from("&#xX0123456789abcdefAMPLTGamp;lt gt"), max_size=30))
def test_unescape_is_html_unescape(text: str) -> None:
    assert unescape(text) == html.unescape(text)
