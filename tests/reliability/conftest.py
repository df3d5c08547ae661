"""Shared pieces of the fault tests: the system fixtures, a fault proxy in front of the emulated API, the
operator as a real process, and small readers of what the cluster and the kubelet hold."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import yaml
from tweetbot_operator.k8s.client import Kube, jobs_path, pods_path
from tweetbot_operator.settings import Settings

from tests.operator.factories import SUCCESS_MESSAGE
from tests.support.fault_proxy import FaultProxy
from tests.support.http_replay import ReplayServer
from tests.support.k8s_emulator import EmulatorThread

# The operator and system tests' fixtures (emulator thread, client, the operator in a thread, kubelet, model).
from tests.support.k8s_fixtures import OperatorRunner, client, cluster, kubeconfig, operator, server_url  # noqa: F401
from tests.support.local_kubelet import LOG_FILE_ANNOTATION
from tests.support.s3server import S3Server
from tests.system.conftest import SAMPLE_ARCHIVE, kubelet, tweetbot  # noqa: F401

NS = "default"
FAST = Settings(poll_interval=0.3, delete_timeout=5.0, default_gpus=1)
JOB_COMPLETE = {"active": 0, "succeeded": 1, "completionTime": "2026-11-25T10:05:00Z",
                "conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": "2026-11-25T10:05:00Z"}]}


def write_kubeconfig(path: Path, server: str) -> Path:
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "test",
        "clusters": [{"name": "test", "cluster": {"server": server}}],
        "users": [{"name": "test", "user": {"token": "test-token"}}],
        "contexts": [{"name": "test", "context": {"cluster": "test", "user": "test", "namespace": NS}}],
    }))
    return path


@pytest.fixture
def proxy(cluster: EmulatorThread) -> Iterator[FaultProxy]:  # noqa: F811 - the imported fixture
    with FaultProxy(upstream=cluster.url) as fault_proxy:
        yield fault_proxy


@pytest.fixture
def proxied_kubeconfig(proxy: FaultProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The operator's kubeconfig points at the fault proxy; tests reach the API directly (`client`)."""
    path = write_kubeconfig(tmp_path / "kubeconfig-proxied", proxy.url)
    monkeypatch.setenv("KUBECONFIG", str(path))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    return path


@pytest_asyncio.fixture
async def proxied_operator(proxied_kubeconfig: Path) -> AsyncIterator[OperatorRunner]:
    runner = OperatorRunner(FAST)
    await runner.start()
    yield runner
    await runner.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OperatorProcess:
    """`python -m tweetbot_operator`, the operator image's entry point, as a real process that can be SIGKILLed."""

    def __init__(self, kubeconfig_path: Path, log_path: Path) -> None:
        self.kubeconfig = kubeconfig_path
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> OperatorProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TWEETBOT_", "KUBERNETES_SERVICE"))}
        env |= {"KUBECONFIG": str(self.kubeconfig), "TWEETBOT_POLL_INTERVAL": "0.3",
                "TWEETBOT_HEALTH_PORT": str(free_port()), "TWEETBOT_METRICS_PORT": str(free_port())}
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "tweetbot_operator"], env=env, stdout=log,
                                         stderr=subprocess.STDOUT)
        return self

    def kill(self) -> int:
        """SIGKILL: no cleanup handlers, no last writes."""
        assert self.proc is not None
        self.proc.kill()
        return self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


# -- the X API as a TweetBot source ---------------------------------------------------------------------------


def x_api_tweetbot(name: str, url: str, token_secret: str, base_model: str, bucket: str, s3: S3Server,
                   **training: Any) -> dict[str, Any]:
    """A small TweetBot reading user `sample` from the X API at `url`, with its bearer token in a Secret."""
    body = tweetbot(name, archive_uri="unused", base_model=base_model, output=f"s3://{bucket}/bots/{name}/",
                    endpoint=s3.endpoint_url, **training)
    body["spec"]["source"] = {"xApi": {"url": url, "tokenSecret": {"name": token_secret, "key": "token"}}}
    return body


def serve_sample_timeline(server: ReplayServer, user: str = "sample", user_id: str = "4242") -> None:
    """The bundled sample archive's posts as one X API v2 timeline page."""
    items = json.loads(SAMPLE_ARCHIVE.read_text().split("=", 1)[1])
    tweets = [{"id": t["tweet"]["id_str"], "text": t["tweet"]["full_text"], "lang": t["tweet"].get("lang", "en")}
              for t in items if not t["tweet"]["full_text"].startswith(("RT @", "@"))]
    server.add(f"/2/users/by/username/{user}", {"data": {"id": user_id, "name": "Sample", "username": user}})
    server.add(f"/2/users/{user_id}/tweets", {"data": tweets, "meta": {"result_count": len(tweets)}})


# -- playing the Job controller by hand ---------------------------------------------------------------------


async def finish_run(kube: Kube, job_name: str, pod: str) -> None:
    """The trainer pod exits 0 with its success message, then the Job completes."""
    await kube.merge_patch(pods_path(NS, pod) + "/status", {"status": {"phase": "Succeeded", "containerStatuses": [
        {"name": "trainer", "state": {"terminated": {"exitCode": 0, "message": json.dumps(SUCCESS_MESSAGE)}}}]}})
    await kube.merge_patch(jobs_path(NS, job_name) + "/status", {"status": JOB_COMPLETE})


# -- reading the cluster ------------------------------------------------------------------------------------


def job_names(cluster: EmulatorThread) -> list[str]:  # noqa: F811
    return sorted(j["metadata"]["name"] for j in cluster.list_objects("batch/v1/jobs", NS))


def job_creations(cluster: EmulatorThread) -> list[str]:  # noqa: F811 - the imported fixture's name
    """Every POST of a Job the API accepted or refused (a duplicate attempt shows up here, a 409 included)."""
    return cluster.call(lambda api: [r[1] for r in api.request_log if r[0] == "POST" and r[1].endswith("/jobs")])


def job_conflicts(cluster: EmulatorThread) -> int:  # noqa: F811 - the imported fixture's name
    """POSTs of a Job answered 409: a Job of that name existed (an idempotent retry, created nothing)."""
    return cluster.call(lambda api: sum(1 for m, p, s in api.error_log if m == "POST" and p.endswith("/jobs")
                                        and s == 409))


def pod_logs(cluster: EmulatorThread, job_name: str) -> list[tuple[str, str]]:  # noqa: F811
    """(pod name, log text) of a Job's pods, oldest first, from the files the local kubelet wrote."""
    pods = [p for p in cluster.list_objects("v1/pods", NS)
            if (p["metadata"].get("labels") or {}).get("batch.kubernetes.io/job-name") == job_name]
    pods.sort(key=lambda p: (p["metadata"].get("creationTimestamp") or "", int(p["metadata"]["resourceVersion"])))
    return [(p["metadata"]["name"], Path(p["metadata"]["annotations"][LOG_FILE_ANNOTATION]).read_text(errors="replace"))
            for p in pods]


def json_events(log: str, kind: str) -> list[dict[str, Any]]:
    """The trainer's JSON lines of one `event` kind (tqdm may share a line's start: find the '{')."""
    found = []
    for line in log.splitlines():
        start = line.find('{"event"')
        if start < 0:
            continue
        try:
            event = json.loads(line[start:])
        except ValueError:
            continue
        if event.get("event") == kind:
            found.append(event)
    return found
