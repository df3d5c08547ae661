"""The loop of a stand-in controller (the local kubelet, the Kueue stand-in): `sync_once` every `poll_interval` in
its own thread, errors kept rather than raised (the API may be down on purpose in fault tests)."""

from __future__ import annotations

import threading
from typing import Any


class Poller:
    """A mixin for dataclasses that declare `poll_interval`, `errors`, `_stop` and `_thread`."""

    poll_interval: float
    errors: list[str]
    _stop: threading.Event
    _thread: threading.Thread | None
    thread_name = "stand-in"

    def sync_once(self) -> None:
        raise NotImplementedError

    def start(self) -> Any:
        self._thread = threading.Thread(target=self._loop, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.sync_once()
            except Exception as exc:  # the API may be down on purpose (fault tests): keep going
                self.errors.append(repr(exc))
            self._stop.wait(self.poll_interval)
