"""The plugin's errors: a reason and one line naming what is wrong (exit code 2: no retry helps)."""

from __future__ import annotations

INPUT_ERROR_EXIT_CODE = 2


class ReasonedError(Exception):
    """`reason` is a CamelCase word; `message` one readable line (never a secret's or a file's contents)."""

    exit_code = 1

    def __init__(self, reason: str, message: str) -> None:
        message = " ".join(message.split())
        super().__init__(message)
        self.reason = reason
        self.message = message


class TweetBotInputError(ReasonedError):
    """Something the user can fix: a TweetBot without a model, a run that never started (exit code 2)."""

    exit_code = INPUT_ERROR_EXIT_CODE
