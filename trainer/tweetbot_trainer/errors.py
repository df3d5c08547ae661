"""Errors a user can act on. They end the CLI with a one-line message and exit code 2 (no retry helps)."""

from __future__ import annotations

INPUT_ERROR_EXIT_CODE = 2


class TweetBotInputError(Exception):
    """Bad input or settings: the message names the file/handle and what is wrong, in one line.

    `reason` is a CamelCase word for machines (status conditions, the termination message).
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message
