"""What `train` and `run` share around the training itself: reporters, SIGTERM, and mapping outcomes and
errors to exit codes (docs/design.md: 0 done, 2 input error, 1 retry (a lost peer included), 143 SIGTERM after a
checkpoint, 75 stopped at a checkpoint for another process's SIGTERM)."""

from __future__ import annotations

import os
import signal
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from transformers.utils import logging as hf_logging

from tweetbot_trainer.errors import (
    INPUT_ERROR_EXIT_CODE,
    PEER_EXIT_CODE,
    TRANSIENT_ERROR_EXIT_CODE,
    ReasonedError,
    TweetBotInputError,
)
from tweetbot_trainer.report import NullReporter, Reporter, TerminationMessageReporter, standard_reporter
from tweetbot_trainer.s3 import input_error_from
from tweetbot_trainer.train.distributed import is_peer_loss
from tweetbot_trainer.train.launcher import SIGTERM_EXIT_CODE, Nodes, chosen_message, launch

# Set by the launcher for its workers: the folder where each writes its own termination message.
WORKER_MESSAGES_ENV = "TWEETBOT_WORKER_MESSAGES"


@contextmanager
def sigterm_sets(stop: threading.Event) -> Iterator[None]:
    """While inside, SIGTERM only sets `stop`: the loop checkpoints at the end of the step and returns."""
    previous = signal.signal(signal.SIGTERM, lambda _sig, _frame: stop.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def job_reporter(termination_log: str, node_rank: int = 0) -> Reporter:
    """The standard reporters on the main process; on the launcher's other workers only a termination message
    of their own (the launcher picks the one that explains its exit code); on another node's launcher only its
    termination message (progress and phases come from global rank 0 alone: the operator reads pod 0)."""
    if "RANK" not in os.environ and node_rank > 0:
        return TerminationMessageReporter(termination_log)
    if os.environ.get("RANK", "0") != "0":
        own = os.environ.get(WORKER_MESSAGES_ENV)
        return TerminationMessageReporter(worker_message_path(own, int(os.environ["RANK"]))) if own else NullReporter()
    if os.environ.get(WORKER_MESSAGES_ENV):
        return standard_reporter(worker_message_path(os.environ[WORKER_MESSAGES_ENV], 0))
    return standard_reporter(termination_log)


def worker_message_path(folder: str, rank: int) -> str:
    return str(Path(folder) / f"rank-{rank}.json")


def run_workers(argv: Sequence[str], nodes: Nodes, termination_log: str, extra_env: Mapping[str, str]) -> int:
    """`tweetbot-train <argv>` as this node's workers (train/launcher.py); their exit code, and the termination
    message that explains it."""
    with tempfile.TemporaryDirectory(prefix="tweetbot-workers-") as messages_dir:
        code, codes = launch(argv, nodes, {**extra_env, WORKER_MESSAGES_ENV: messages_dir})
        messages = [_read(Path(worker_message_path(messages_dir, rank))) for rank in nodes.ranks()]
        TerminationMessageReporter(termination_log).write_raw(chosen_message(code, codes, messages, nodes))
    return code


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def quiet_libraries() -> None:
    """transformers' own progress bars and advice would drown the JSON lines' neighbours on stderr."""
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


def guarded(reporter: Reporter, body: Callable[[], Any]) -> int | None:
    """Runs `body()`; an error becomes its exit code, a JSON error line and the termination message; None when
    it returned."""
    try:
        body()
    except ReasonedError as err:
        reporter.failed(err.reason, err.message)
        return err.exit_code
    except Exception as exc:
        if is_peer_loss(exc):
            # Counted (exit 1, not 75): a pod's own NCCL or GPU failure also reads as a lost peer in every pod,
            # and an uncounted exit would have the Job recreate such a group forever.
            traceback.print_exc()
            reporter.failed("PeerLost", "the training group lost a peer (another process or pod stopped or "
                            f"vanished, or a collective failed: {str(exc)[:300]}); the Job's next attempt resumes "
                            "from the newest checkpoint")
            return TRANSIENT_ERROR_EXIT_CODE
        mapped = input_error_from(exc, "S3")
        if isinstance(mapped, TweetBotInputError):
            reporter.failed(mapped.reason, mapped.message)
            return INPUT_ERROR_EXIT_CODE
        traceback.print_exc()
        reporter.failed(type(exc).__name__, str(exc) or type(exc).__name__)
        return TRANSIENT_ERROR_EXIT_CODE
    return None


def run_job(reporter: Reporter, body: Callable[[threading.Event], Any]) -> int:
    """Runs `body(stop)` and turns what happens into the exit code, a JSON error line, the termination message."""
    stop = threading.Event()
    outcomes: list[Any] = []

    def with_sigterm() -> None:
        with sigterm_sets(stop):
            outcomes.append(body(stop))

    failed = guarded(reporter, with_sigterm)
    if failed is not None:
        return failed
    outcome = outcomes[0]
    if outcome.interrupted and not stop.is_set():  # the ranks agreed to stop for another one's SIGTERM
        reporter.failed("PeerStopped", f"stopped at step {outcome.summary.get('step')} because another process "
                        "of the training group got SIGTERM; a checkpoint was written and the group resumes from it")
        return PEER_EXIT_CODE
    if outcome.interrupted:
        reporter.failed("Interrupted", f"stopped by SIGTERM at step {outcome.summary.get('step')}; "
                        "a checkpoint was written and the next attempt resumes from it")
        return SIGTERM_EXIT_CODE
    reporter.succeeded(outcome.summary)
    return 0
