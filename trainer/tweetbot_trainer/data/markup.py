"""Text out of the markup a post can hold: entities decoded, and the small HTML of Mastodon statuses.

Both functions are total: any str comes out as a str, never an exception. The stdlib's HTMLParser is not
(`<![0` trips an assertion) and neither is html.unescape (`&#` followed by more than 4,300 digits makes int()
raise), so tags are found by one regular expression and numeric references are bounded before unescaping.
"""

from __future__ import annotations

import html
import re

# One markup token, tried in order; anything else is text. Unterminated constructs run to the end of the input,
# as in a browser (EOF in a tag or comment drops it). The alternatives start with different characters, so
# matching is linear in the input.
_MARKUP = re.compile(
    r"<!--(?:>|->|.*?(?:--!?>|\Z))"  # comment, including the abrupt `<!-->`
    r"|<(?:[!?]|/(?![A-Za-z]))[^>]*(?:>|\Z)"  # doctype, CDATA, processing instruction, `</3`: bogus comments
    r"|<(?P<end>/?)(?P<tag>[A-Za-z][^\s/>]*)(?:[^>\"']+|\"[^\"]*(?:\"|\Z)|'[^']*(?:'|\Z))*(?:>|\Z)",
    re.DOTALL,
)
# Decimal references of 8 digits or more (leading zeros included) are shortened before int() sees them.
_LONG_DECIMAL_REF = re.compile(r"&#(\d{8,})")


def _bounded_ref(match: re.Match[str]) -> str:
    digits = match.group(1).lstrip("0") or "0"
    # Above U+10FFFF (more than 7 significant digits) html.unescape gives U+FFFD, as it does for 0x110000.
    return "&#" + (digits if len(digits) <= 7 else "1114112")


def unescape(text: str) -> str:
    """html.unescape for any input (the same result wherever html.unescape does not raise)."""
    if "&" not in text:
        return text
    return html.unescape(_LONG_DECIMAL_REF.sub(_bounded_ref, text))


def html_to_text(content: str) -> str:
    """Plain text of a status' HTML: tags dropped, <br> to a newline, </p> to a blank line, entities decoded."""
    if "<" not in content and "&" not in content:
        return content.strip()
    parts: list[str] = []
    position = 0
    for match in _MARKUP.finditer(content):
        parts.append(unescape(content[position : match.start()]))
        position = match.end()
        tag = (match.group("tag") or "").lower()
        if tag == "br":
            parts.append("\n")
        elif tag == "p" and match.group("end"):
            parts.append("\n\n")
    parts.append(unescape(content[position:]))
    return "".join(parts).strip()
