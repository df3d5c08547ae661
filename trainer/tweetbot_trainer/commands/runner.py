"""What `train` and `run` share around the training itself: reporters, SIGTERM, and mapping outcomes and
errors to exit codes (docs/design.md: 0 done, 2 input error, 1 retry, 143 SIGTERM after a checkpoint)."""

from __future__ import annotations

import os
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from transformers.utils import logging as hf_logging

from tweetbot_trainer.errors import INPUT_ERROR_EXIT_CODE, ReasonedError, TweetBotInputError
from tweetbot_trainer.report import NullReporter, Reporter, standard_reporter
from tweetbot_trainer.s3 import input_error_from

SIGTERM_EXIT_CODE = 143


@contextmanager
def sigterm_sets(stop: threading.Event) -> Iterator[None]:
    """While inside, SIGTERM only sets `stop`: the loop checkpoints at the end of the step and returns."""
    previous = signal.signal(signal.SIGTERM, lambda _sig, _frame: stop.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def job_reporter(termination_log: str) -> Reporter:
    """The standard reporters on the main process; nothing on the others (`accelerate launch` sets RANK)."""
    if os.environ.get("RANK", "0") != "0":
        return NullReporter()
    return standard_reporter(termination_log)


def quiet_libraries() -> None:
    """transformers' own progress bars and advice would drown the JSON lines' neighbours on stderr."""
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


def run_job(reporter: Reporter, body: Callable[[threading.Event], Any]) -> int:
    """Runs `body(stop)` and turns what happens into the exit code, a JSON error line, the termination message."""
    stop = threading.Event()
    try:
        with sigterm_sets(stop):
            outcome = body(stop)
    except ReasonedError as err:
        reporter.failed(err.reason, err.message)
        return err.exit_code
    except Exception as exc:
        mapped = input_error_from(exc, "S3")
        if isinstance(mapped, TweetBotInputError):
            reporter.failed(mapped.reason, mapped.message)
            return INPUT_ERROR_EXIT_CODE
        traceback.print_exc()
        reporter.failed(type(exc).__name__, str(exc) or type(exc).__name__)
        return 1
    if outcome.interrupted:
        reporter.failed("Interrupted", f"stopped by SIGTERM at step {outcome.summary.get('step')}; "
                        "a checkpoint was written and the next attempt resumes from it")
        return SIGTERM_EXIT_CODE
    reporter.succeeded(outcome.summary)
    return 0
