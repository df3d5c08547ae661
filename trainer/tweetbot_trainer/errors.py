"""Errors with a reason and a one-line message: input errors (exit code 2, no retry helps) and transient ones
(exit code 1: the Job's backoffLimit retries them); exit code 75 when a training group stopped at a checkpoint for
another process's SIGTERM."""

from __future__ import annotations

import re

INPUT_ERROR_EXIT_CODE = 2
TRANSIENT_ERROR_EXIT_CODE = 1
# EX_TEMPFAIL: this process stopped at the step its training group agreed on because another process got SIGTERM,
# after rank 0's checkpoint (the operator's podFailurePolicy ignores it: no retry is used up). Only that clean stop:
# a lost peer is exit code 1, since a pod's own failure can look the same from every pod.
PEER_EXIT_CODE = 75
# Messages quote untrusted text (file content, API error details): keep them to a readable condition message.
MAX_MESSAGE_CHARS = 1000
# Control characters and lone surrogates (unprintable, and not encodable as UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def one_line(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`message` on one line (all whitespace and control characters collapsed), valid UTF-8, at most `limit` chars."""
    text = " ".join(_UNPRINTABLE.sub(" ", message).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ReasonedError(Exception):
    """An error for users and machines: `reason` is a CamelCase word (status conditions, the termination
    message), `message` one readable line naming the file/handle/service and what is wrong."""

    exit_code: int  # what the CLI ends with

    def __init__(self, reason: str, message: str) -> None:
        message = one_line(message)
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


class TweetBotInputError(ReasonedError):
    """Bad input or settings, which no retry fixes (exit code 2)."""

    exit_code = INPUT_ERROR_EXIT_CODE


class TweetBotTransientError(ReasonedError):
    """A service or network that kept failing after our own retries; a later attempt of the Job may succeed
    (exit code 1)."""

    exit_code = TRANSIENT_ERROR_EXIT_CODE
