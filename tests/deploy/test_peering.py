"""HA with kopf peering, as the chart renders it: two real `python -m tweetbot_operator` processes with the chart's
environment (each with its own pod name, as the downward API gives it) against the API emulator. One serves, the
other stands by; after a SIGKILL of the one that serves, the other takes over and a new TweetBot gets its Job.
Replicas with the same priority (kopf freezes both) fail readiness and, after the grace, liveness."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kopf
import pytest
import yaml
from tweetbot_operator.k8s.client import Kube, tweetbot_path

from tests.deploy.render import MANIFESTS, container_env, helm_template, one
from tests.deploy.test_operator_smoke import NS, bind_chart_rbac, eventually, free_port, setup_api, write_kubeconfig
from tests.support.k8s_emulator import EmulatorThread

LIFETIME = 15  # peering.lifetime, set through the chart: the takeover wait after a SIGKILL


@pytest.fixture
def cluster() -> Iterator[EmulatorThread]:
    thread = EmulatorThread(setup_api).start()
    yield thread
    thread.stop()


def probe(port: int, path: str) -> tuple[int, dict[str, Any]] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())
    except OSError:
        return None


class Replica:
    """One operator process as one pod of the chart's Deployment."""

    def __init__(self, env: dict[str, str], pod: str, log: Path) -> None:
        self.health = free_port()
        self.pod = pod
        self.log = log.open("w")
        env = env | {"POD_ID": pod, "TWEETBOT_HEALTH_PORT": str(self.health), "TWEETBOT_METRICS_PORT": str(free_port())}
        self.proc = subprocess.Popen([sys.executable, "-m", "tweetbot_operator"], env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    def role(self) -> str | None:
        answer = probe(self.health, "/readyz")
        return None if answer is None else str(answer[1]["role"])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def chart_env(cluster: EmulatorThread, tmp_path: Path, *sets: str) -> tuple[dict[str, str], str]:
    """The chart's environment and the peering object's name (the operator creates the object)."""
    objects = helm_template("--set", "peering.enabled=true", "--set", f"peering.lifetime={LIFETIME}", *sets)
    deployment = one(objects, "Deployment")
    bind_chart_rbac(cluster, objects)  # both replicas under the chart's RBAC (peering objects included)
    kubeconfig = write_kubeconfig(cluster.url, tmp_path / "kubeconfig")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWEETBOT_", "KUBERNETES_SERVICE", "POD_ID"))}
    rendered = container_env(deployment)
    assert "POD_ID" in rendered and rendered["TWEETBOT_PEERING_LIFETIME"] == str(LIFETIME)
    return env | rendered | {"KUBECONFIG": str(kubeconfig)}, rendered["TWEETBOT_PEERING"]


def tweetbot(name: str) -> dict[str, Any]:
    example = yaml.safe_load((MANIFESTS / "examples" / "archive.yaml").read_text())
    example["metadata"] |= {"namespace": NS, "name": name}
    return dict(example)


def job_of(cluster: EmulatorThread, name: str) -> list[dict[str, Any]]:
    return [j for j in cluster.list_objects("batch/v1/jobs", NS)
            if any(r["name"] == name for r in j["metadata"].get("ownerReferences", []))]


async def test_one_replica_serves_and_the_other_takes_over_after_a_sigkill(cluster: EmulatorThread, tmp_path: Path):
    env, peering = chart_env(cluster, tmp_path)
    kube = Kube(kopf.ConnectionInfo(server=cluster.url))
    await kube.create(f"/api/v1/namespaces/{NS}/secrets", {  # the example's Secret, opted in for TweetBots
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s3-credentials",
                                                           "labels": {"tweetbot.io/usable": "true"}}})
    first = Replica(env, "tweetbot-operator-a", tmp_path / "a.log")
    second: Replica | None = None
    try:
        assert await eventually(lambda: first.role() == "active")
        second = Replica(env, "tweetbot-operator-b", tmp_path / "b.log")
        assert await eventually(lambda: second.role() == "standby")
        record = cluster.read("kopf.dev/v1/clusterkopfpeerings", None, peering)["status"]
        assert set(record) == {first.pod, second.pod}
        assert record[first.pod]["priority"] > record[second.pod]["priority"]  # the older one serves
        assert probe(second.health, "/healthz")[0] == 200 and probe(second.health, "/readyz")[0] == 200

        await kube.create(tweetbot_path(NS), tweetbot("before"))
        assert await eventually(lambda: job_of(cluster, "before"))
        assert first.role() == "active" and second.role() == "standby"

        first.proc.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        await kube.create(tweetbot_path(NS), tweetbot("after"))
        assert await eventually(lambda: job_of(cluster, "after"), timeout=LIFETIME + 30)
        took = time.monotonic() - killed
        print(f"takeover: the new TweetBot's Job {took:.1f} s after the SIGKILL (lifetime {LIFETIME} s)")
        assert took <= LIFETIME + 15, took
        assert await eventually(lambda: second.role() == "active", timeout=10)
        assert len(cluster.list_objects("batch/v1/jobs", NS)) == 2  # nothing was started twice
    finally:
        first.stop()
        if second is not None:
            second.stop()
        await kube.close()


async def test_replicas_of_the_same_priority_report_that_they_are_frozen(cluster: EmulatorThread, tmp_path: Path):
    """What kopf does with equal priorities (both pause, nothing is served) shows in both probes."""
    env, _ = chart_env(cluster, tmp_path, "--set-string", "extraEnv[0].name=TWEETBOT_PEERING_PRIORITY",
                             "--set-string", "extraEnv[0].value=7")
    kube = Kube(kopf.ConnectionInfo(server=cluster.url))
    replicas = [Replica(env, f"tweetbot-operator-{x}", tmp_path / f"{x}.log") for x in "ab"]
    try:
        assert await eventually(lambda: all(r.role() == "frozen" for r in replicas), timeout=30)
        assert all(probe(r.health, "/readyz")[0] == 503 for r in replicas)
        await kube.create(tweetbot_path(NS), tweetbot("nobody"))
        assert await eventually(lambda: all(probe(r.health, "/healthz")[0] == 503 for r in replicas),
                                timeout=LIFETIME + 20)
        assert not job_of(cluster, "nobody")  # kopf really froze them: a TweetBot created meanwhile has no Job
    finally:
        for replica in replicas:
            replica.stop()
        await kube.close()
    logs = "".join((tmp_path / f"{x}.log").read_text() for x in "ab")
    assert "Pausing all operators, including self" in logs



async def test_a_namespaced_operator_creates_its_kopfpeering_and_serves(cluster: EmulatorThread, tmp_path: Path):
    """watchNamespaces: the operator creates the KopfPeering in its namespace under the chart's Role (no object
    beforehand: the chart cannot template one beside its CRDs, tests/deploy/test_chart_peering.py) and serves."""
    env, peering = chart_env(cluster, tmp_path, "--set", f"watchNamespaces={{{NS}}}")
    kube = Kube(kopf.ConnectionInfo(server=cluster.url))
    # The release's cluster-scoped ClusterRole owns it (TWEETBOT_PEERING_OWNER), so `helm uninstall` collects it.
    cluster.call(lambda api: api.register("rbac.authorization.k8s.io/v1/clusterroles", "ClusterRole",
                                          namespaced=False, status=False))
    owner = await kube.create("/apis/rbac.authorization.k8s.io/v1/clusterroles", {
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": env["TWEETBOT_PEERING_OWNER"]}, "rules": []})
    assert owner["metadata"]["name"] == "tb-tweetbot-operator-crds"
    await kube.create(f"/api/v1/namespaces/{NS}/secrets", {
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s3-credentials",
                                                           "labels": {"tweetbot.io/usable": "true"}}})
    replica = Replica(env, "tweetbot-operator-a", tmp_path / "a.log")
    try:
        assert await eventually(lambda: replica.role() == "active")
        created = cluster.read("kopf.dev/v1/kopfpeerings", NS, peering)
        assert created is not None and set(created["status"]) == {replica.pod}
        assert [r["uid"] for r in created["metadata"]["ownerReferences"]] == [owner["metadata"]["uid"]]
        assert cluster.read("kopf.dev/v1/clusterkopfpeerings", None, peering) is None
        await kube.create(tweetbot_path(NS), tweetbot("namespaced"))
        assert await eventually(lambda: job_of(cluster, "namespaced"))
    finally:
        replica.stop()
        await kube.close()
