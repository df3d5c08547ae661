"""Fixtures for the test bed's own tests: the emulated cluster of tests/support/k8s_fixtures.py (as the operator's
tests get it), and a bare bed (the emulator in its own thread with the TweetBot CRD and the built-ins, and a plain
HTTP client from tests/support/kubelet_http.py) that needs nothing from the operator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.support.k8s_emulator import EmulatorThread, KubernetesApi
from tests.support.k8s_fixtures import (  # noqa: F401 - fixtures
    api,
    client,
    cluster,
    ctx,
    kubeconfig,
    operator,
    server_url,
)
from tests.support.kubelet_http import KubeHttp

REPO = Path(__file__).resolve().parents[2]
TWEETBOT_CRD = yaml.safe_load((REPO / "manifests" / "crd" / "tweetbot.io_tweetbots.yaml").read_text())


def setup_bed(emulator: KubernetesApi) -> None:
    emulator.register_crd(TWEETBOT_CRD)
    emulator.register_builtins()


@pytest.fixture
def bed() -> Iterator[EmulatorThread]:
    thread = EmulatorThread(setup_bed).start()
    yield thread
    thread.stop()


@pytest.fixture
def http(bed: EmulatorThread) -> KubeHttp:
    return KubeHttp(bed.url)
