"""The Job controller's pod failure backoff in the local kubelet (kubernetes pkg/controller/job/job_controller.go
DefaultJobPodFailureBackOff / MaxJobPodFailureBackOff, backoff_utils.go): 10 s doubling to 10 min, counted over
every failed pod since the last success -- an N-pod preemption is N failures even when a podFailurePolicy Ignore
rule keeps them from backoffLimit -- or per index with backoffLimitPerIndex."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.support.k8s_emulator import EmulatorThread
from tests.support.kubelet_rules import pod_failure_backoff, remaining_backoff
from tests.support.preemption import measure

SCALE = 0.05  # 10 s -> 0.5 s


def run(code: int, ended: float, stopped: bool = False) -> Any:
    return SimpleNamespace(finished=True, ended=ended, stopped=stopped, process=SimpleNamespace(poll=lambda: code))


def test_the_delays_double_from_10_seconds_to_10_minutes() -> None:
    assert [pod_failure_backoff(n) for n in range(0, 9)] == [0, 10, 20, 40, 80, 160, 320, 600, 600]


def test_every_failure_since_the_last_success_counts_ignored_or_not() -> None:
    preempted = [run(137, 100.0), run(137, 101.0)]  # two pods of a group, both preempted (Ignore: not counted
    assert remaining_backoff(preempted, now=101.0, scale=1) == 20.0  # towards backoffLimit, counted here)
    assert remaining_backoff([run(0, 102.0), *preempted], now=102.0, scale=1) == 0  # a later success resets it
    assert remaining_backoff([run(0, 99.0), *preempted, run(1, 105.0)], now=110.0, scale=1) == 40 - 5
    assert remaining_backoff([run(137, 100.0, stopped=True)], now=100.0, scale=1) == 0  # suspension is no failure


def test_a_two_node_preemption_waits_20_seconds(bed: EmulatorThread, tmp_path: Path) -> None:
    started = time.monotonic()
    delay = measure(bed.url, tmp_path, 2, SCALE)
    assert 19 <= delay <= 20 + 30, delay  # 2 failures: 20 s (at this scale, plus the kubelet's poll)
    assert time.monotonic() - started < 10


def test_with_backoff_limit_per_index_each_index_waits_10_seconds(bed: EmulatorThread, tmp_path: Path) -> None:
    delay = measure(bed.url, tmp_path, 2, SCALE, backoffLimitPerIndex=1)
    assert 9.5 <= delay < 19, delay  # one failure per index
