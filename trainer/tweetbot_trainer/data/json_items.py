"""The values of a JSON array one at a time: a 1 GiB file of posts must not become a list of a million dicts
before the first is turned into a compact Post (json.loads would hold them all at once)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace
_DECODER = json.JSONDecoder()


def array_items(text: str, start: int) -> Iterator[Any]:
    """Each value of the JSON array whose `[` is at `text[start]`, raising what json.loads raises
    (JSONDecodeError with positions in `text`, RecursionError, ValueError); what follows its `]` is not read."""
    pos = _SPACE.match(text, start + 1).end()  # type: ignore[union-attr]  # matches the empty string too
    if text.startswith("]", pos):
        return
    while True:
        value, pos = _DECODER.raw_decode(text, pos)
        yield value
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith("]", pos):
            return
        if not text.startswith(",", pos):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
