"""The trainer's exit codes the operator acts on (docs/design.md, the trainer's exit codes)."""

from __future__ import annotations

TRAINER_EXIT_INPUT_ERROR = 2  # your input is wrong: a retry cannot fix it
# EX_TEMPFAIL: "this process stopped, checkpointed, because another process of the group was asked to stop
# (SIGTERM: preemption, a drain): resume". Not a failure. A process that lost a peer exits 1 like any failure:
# an ignored exit there could retry a broken group forever.
TRAINER_EXIT_GROUP_STOPPED = 75
