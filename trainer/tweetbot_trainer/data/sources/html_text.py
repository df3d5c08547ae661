"""Plain text from the small HTML of Mastodon statuses: tags stripped, <br> and </p> to newlines."""

from __future__ import annotations

from html.parser import HTMLParser


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities decoded as text arrives
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str) -> str:
    if "<" not in content and "&" not in content:
        return content
    parser = _TextExtractor()
    parser.feed(content)
    parser.close()
    return "".join(parser.parts).strip()
