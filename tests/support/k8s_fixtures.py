"""Fixtures for the operator tests: the extended API emulator on loopback, a client, the real operator."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import kmock
import kopf
import pytest
import pytest_asyncio
import yaml
from tweetbot_operator.app import run
from tweetbot_operator.context import Context
from tweetbot_operator.k8s.client import Kube
from tweetbot_operator.settings import Settings

from tests.support.k8s_emulator import EmulatorThread, KubernetesApi
from tests.support.operator_rbac import OPERATOR_TOKEN, operator_grants

REPO = Path(__file__).resolve().parents[2]
CRD = yaml.safe_load((REPO / "manifests" / "crd" / "tweetbot.io_tweetbots.yaml").read_text())


# Which rendering of the operator's RBAC binds the operator's token (tests/support/operator_rbac.py).
RBAC_SOURCE = os.environ.get("TWEETBOT_TEST_RBAC", "chart")


def setup_api(api: KubernetesApi, rbac: str = RBAC_SOURCE) -> None:
    """The TweetBot CRD and the built-ins, and the operator's token bound to the roles users deploy."""
    api.register_crd(CRD)
    api.register_builtins()
    if rbac:
        user, grants = operator_grants(rbac)
        api.gate.bind(OPERATOR_TOKEN, user, list(grants))


@pytest_asyncio.fixture
async def api() -> AsyncIterator[KubernetesApi]:
    """The emulator in this event loop, for tests of the emulator itself."""
    async with KubernetesApi() as handler, kmock.Server(handler):
        setup_api(handler)
        yield handler


@pytest.fixture
def cluster() -> Iterator[EmulatorThread]:
    """The emulator in its own thread, for tests that run the operator in this loop."""
    thread = EmulatorThread(setup_api).start()
    yield thread
    thread.stop()


@pytest.fixture
def server_url(request: pytest.FixtureRequest) -> str:
    if "cluster" in request.fixturenames:
        return str(request.getfixturevalue("cluster").url)
    return str(request.getfixturevalue("api").url).rstrip("/")


@pytest_asyncio.fixture
async def client(server_url: str) -> AsyncIterator[Kube]:
    kube = Kube(kopf.ConnectionInfo(server=server_url))
    yield kube
    await kube.close()


@pytest.fixture
def kubeconfig(cluster: EmulatorThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The operator logs in the production way: kopf's kubeconfig login, here pointing at the emulator."""
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "test",
        "clusters": [{"name": "test", "cluster": {"server": cluster.url}}],
        "users": [{"name": "test", "user": {"token": OPERATOR_TOKEN}}],
        "contexts": [{"name": "test", "context": {"cluster": "test", "user": "test", "namespace": "default"}}],
    }))
    monkeypatch.setenv("KUBECONFIG", str(path))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    return path


class OperatorRunner:
    """The real operator (kopf + our handlers) in its own thread and event loop, as kopf's embedding docs do
    (kopf takes every task of its loop for its own); start/stop/restart at will."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._ready = threading.Event()
        self.error: BaseException | None = None

    def _main(self) -> None:
        try:
            asyncio.run(run(self.settings, stop_flag=self._stop, ready_flag=self._ready, liveness=False))
        except asyncio.CancelledError:
            pass  # kopf ends by cancelling its own root task when the stop flag is set
        except BaseException as exc:
            self.error = exc

    async def start(self) -> None:
        self._stop, self._ready = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._main, name="operator", daemon=True)
        self._thread.start()
        ready = await asyncio.to_thread(self._ready.wait, 20)
        if self.error is not None:
            raise self.error
        assert ready, "the operator did not get ready"

    async def stop(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        await asyncio.to_thread(self._thread.join, 30)
        assert not self._thread.is_alive(), "the operator did not stop"
        self._thread = None


@pytest_asyncio.fixture
async def operator(kubeconfig: Path) -> AsyncIterator[OperatorRunner]:
    runner = OperatorRunner(Settings(poll_interval=0.3, delete_timeout=5.0, default_gpus=1))
    await runner.start()
    yield runner
    await runner.stop()


async def eventually(check: Callable[[], Awaitable[Any] | Any], timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Polls until `check` returns something truthy (awaiting it if needed); fails with its last value."""
    deadline = asyncio.get_running_loop().time() + timeout
    last: Any = None
    while True:
        last = check()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out; last value: {last!r}")
        await asyncio.sleep(interval)


@pytest.fixture
async def ctx(cluster):
    """The reconciler as the operator runs it, logged in with the operator's (RBAC-bound) token."""
    context = Context(settings=Settings(), kube=Kube(kopf.ConnectionInfo(server=cluster.url, token=OPERATOR_TOKEN)))
    yield context
    await context.kube.close()
