"""The operator image's entry point (`python -m tweetbot_operator`), configured with exactly the environment the
Helm chart renders (peering on), against the Kubernetes API emulator on loopback: it joins the chart's kopf
peering object, answers its liveness probe and trains an example TweetBot with the chart's trainer image."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import kopf
import pytest
import yaml
from tweetbot_operator.k8s.client import Kube, jobs_path, tweetbot_path

from tests.deploy.render import (
    CRD_FILE,
    MANIFESTS,
    PEERING_CRDS_FILE,
    container_env,
    helm_template,
    load_all,
    one,
)
from tests.support.k8s_emulator import EmulatorThread, KubernetesApi
from tests.support.k8s_rbac import service_account_grants

NS = "bots"


def setup_api(api: KubernetesApi) -> None:
    for crd in load_all(CRD_FILE.read_text()) + load_all(PEERING_CRDS_FILE.read_text()):
        api.register_crd(crd)
    api.register_builtins()


@pytest.fixture
def cluster() -> Iterator[EmulatorThread]:
    thread = EmulatorThread(setup_api).start()
    yield thread
    thread.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def eventually(probe: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        value = probe()
        if value:
            return value
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {probe}")


def bind_chart_rbac(cluster: EmulatorThread, objects: list[dict[str, Any]]) -> None:
    """The operator's token ("test-token") gets exactly the RBAC the rendering grants its ServiceAccount."""
    account = one(objects, "ServiceAccount")["metadata"]["name"]
    grants = service_account_grants(objects, "tweetbot-system", account)
    cluster.call(lambda api: api.gate.bind("test-token", f"system:serviceaccount:tweetbot-system:{account}", grants))


def write_kubeconfig(server: str, path: Path) -> Path:
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "test",
        "clusters": [{"name": "test", "cluster": {"server": server}}],
        "users": [{"name": "test", "user": {"token": "test-token"}}],
        "contexts": [{"name": "test", "context": {"cluster": "test", "user": "test"}}],
    }))
    return path


def healthz(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


async def test_operator_runs_as_the_chart_configures_it(cluster: EmulatorThread, tmp_path: Path):
    objects = helm_template("--set", "peering.enabled=true", "--set", "trainer.credentialsSecret=s3-credentials")
    deployment = one(objects, "Deployment")
    bind_chart_rbac(cluster, objects)  # 403 for anything the chart's role does not grant
    # The release's ClusterRole, which owns the peering object the operator creates.
    cluster.call(lambda api: api.register("rbac.authorization.k8s.io/v1/clusterroles", "ClusterRole",
                                          namespaced=False, status=False))
    role = next(o for o in objects if o["kind"] == "ClusterRole" and o["metadata"]["name"] == "tb-tweetbot-operator")
    kubeconfig = write_kubeconfig(cluster.url, tmp_path / "kubeconfig")
    health = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWEETBOT_", "KUBERNETES_SERVICE"))}
    # The chart's environment; only the ports move to free ones so that tests can run side by side.
    env |= container_env(deployment) | {"KUBECONFIG": str(kubeconfig), "TWEETBOT_HEALTH_PORT": str(health),
                                        "TWEETBOT_METRICS_PORT": str(free_port())}
    kube = Kube(kopf.ConnectionInfo(server=cluster.url))
    role = await kube.create("/apis/rbac.authorization.k8s.io/v1/clusterroles", role)
    example = yaml.safe_load((MANIFESTS / "examples" / "archive.yaml").read_text())
    example["metadata"]["namespace"] = NS
    await kube.create(f"/api/v1/namespaces/{NS}/secrets", {  # as the example's comment says: created, opted in
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s3-credentials",
                                                           "labels": {"tweetbot.io/usable": "true"}}})
    await kube.create(tweetbot_path(NS), example)
    proc = subprocess.Popen([sys.executable, "-m", "tweetbot_operator"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        [job] = await eventually(lambda: cluster.list_objects("batch/v1/jobs", NS))
        assert await eventually(lambda: healthz(health))
        # No peering object beforehand (the chart cannot template it, test_chart_peering.py): the operator
        # created it under the chart's RBAC, and kopf keeps its record there: peering is really on.
        name = env["TWEETBOT_PEERING"]
        record = await eventually(lambda: (cluster.read("kopf.dev/v1/clusterkopfpeerings", None, name) or {})
                                  .get("status"))
        assert len(record) == 1
        created = cluster.read("kopf.dev/v1/clusterkopfpeerings", None, name)
        assert created["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "tweetbot-operator"}
        # Owned by the release's ClusterRole (read under the chart's RBAC): `helm uninstall` leaves no peering object.
        [owner] = created["metadata"]["ownerReferences"]
        assert (owner["kind"], owner["name"], owner["uid"]) == ("ClusterRole", role["metadata"]["name"],
                                                                role["metadata"]["uid"])
        [container] = job["spec"]["template"]["spec"]["containers"]
        assert container["image"] == env["TWEETBOT_TRAINER_IMAGE"]
        secrets = {e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "valueFrom" in e}
        assert secrets == {"s3-credentials"}
        assert await kube.get(jobs_path(NS, job["metadata"]["name"]))
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
        await kube.close()
    assert proc.returncode in (0, -15), output[-3000:]
