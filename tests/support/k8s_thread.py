"""The emulated API server in its own thread and event loop (see EmulatorThread)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import TYPE_CHECKING, Any

import kmock

if TYPE_CHECKING:
    from tests.support.k8s_emulator import KubernetesApi


class EmulatorThread:
    """The emulated API server in its own thread and event loop, like a real API server in its own process:
    an operator running in the caller's loop (kopf treats every task of its loop as its own) stays apart.

    `call(fn)` runs `fn(api)` in the server's loop and returns its result, for reading or seeding state.
    """

    def __init__(self, setup: Any = None) -> None:
        self._setup = setup
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopping: asyncio.Event | None = None
        self.api: KubernetesApi | None = None
        self.url = ""

    def start(self) -> EmulatorThread:
        self._thread = threading.Thread(target=self._main, name="k8s-emulator", daemon=True)
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("the emulator did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        from tests.support.k8s_emulator import KubernetesApi

        async with KubernetesApi() as api, kmock.Server(api):
            self.api = api
            if self._setup is not None:
                self._setup(api)
            self.url = str(api.url).rstrip("/")
            self._ready.set()
            await self._stopping.wait()

    def call(self, fn: Any, timeout: float = 30.0) -> Any:
        assert self._loop is not None and self.api is not None
        result: concurrent.futures.Future[Any] = concurrent.futures.Future()
        api = self.api

        def run() -> None:
            try:
                result.set_result(fn(api))
            except BaseException as exc:  # handed over to the caller's thread
                result.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return result.result(timeout)

    def read(self, resource: str, namespace: str | None, name: str) -> dict[str, Any] | None:
        return self.call(lambda api: api.read(resource, namespace, name))  # type: ignore[no-any-return]

    def list_objects(self, resource: str, namespace: str | None = None) -> list[dict[str, Any]]:
        return self.call(lambda api: api.list_objects(resource, namespace))  # type: ignore[no-any-return]

    def set_log(self, namespace: str, pod: str, text: str) -> None:
        self.call(lambda api: api.pod_logs.__setitem__((namespace, pod), text))
