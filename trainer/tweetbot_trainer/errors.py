"""Errors a user can act on. They end the CLI with a one-line message and exit code 2 (no retry helps)."""

from __future__ import annotations

import re

INPUT_ERROR_EXIT_CODE = 2
# Messages quote untrusted text (file content, API error details): keep them to a readable condition message.
MAX_MESSAGE_CHARS = 1000
# Control characters and lone surrogates (unprintable, and not encodable as UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def one_line(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`message` on one line (all whitespace and control characters collapsed), valid UTF-8, at most `limit` chars."""
    text = " ".join(_UNPRINTABLE.sub(" ", message).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class TweetBotInputError(Exception):
    """Bad input or settings: the message names the file/handle and what is wrong, in one line.

    `reason` is a CamelCase word for machines (status conditions, the termination message).
    """

    def __init__(self, reason: str, message: str) -> None:
        message = one_line(message)
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message
