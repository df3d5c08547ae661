"""`python -m tweetbot_trainer.serve` as a real process on a free loopback port, as a test fixture uses it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.processes import stop_process


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServeProcess:
    def __init__(self, model: str, *flags: str, env: dict[str, str] | None = None, log: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        # PYTHONPATH goes along: the sources under test, not an installed copy.
        self.env = {**os.environ, **(env or {})}
        self.args = [sys.executable, "-m", "tweetbot_trainer.serve", "--model", model, "--port", str(self.port),
                     "--device", "cpu", *flags]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> ServeProcess:
        out = self.log.open("wb") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(self.args, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tweetbot-serve exited with {self.process.returncode}"
                                   + (f": {self.log.read_text()[-2000:]}" if self.log else ""))
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("tweetbot-serve did not become healthy")

    def stop(self) -> None:
        stop_process(self.process)
