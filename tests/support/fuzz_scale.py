"""How many examples a property test runs: its usual count times TWEETBOT_FUZZ_SCALE (default 1).

CI runs the usual counts; a deeper local hunt for crashes runs e.g. `TWEETBOT_FUZZ_SCALE=10 pytest tests/reliability`.
"""

from __future__ import annotations

import os

SCALE_ENV = "TWEETBOT_FUZZ_SCALE"


def examples(usual: int) -> int:
    raw = os.environ.get(SCALE_ENV, "").strip()
    try:
        scale = float(raw) if raw else 1.0
    except ValueError as exc:
        raise ValueError(f"{SCALE_ENV}={raw!r}: expected a number such as 10") from exc
    return max(1, round(usual * scale))
