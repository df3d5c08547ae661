"""Deletion as a cluster does it: pods bound to a node are deleted gracefully (the kubelet sends SIGTERM, waits
the grace period, sends SIGKILL, then removes the pod), and foreground deletion holds the owner until its
blocking dependents are gone. The emulator's rules on their own, then with the local kubelet."""

from __future__ import annotations

import sys

from tweetbot_operator.k8s.client import jobs_path, pods_path

from tests.support.k8s_fixtures import eventually
from tests.support.local_kubelet import LocalKubelet

NS = "default"
TRAP = ("import signal, sys, time, pathlib\n"
        "def stop(*_):\n    pathlib.Path(sys.argv[1]).write_text('SIGTERM')\n    sys.exit(143)\n"
        "signal.signal(signal.SIGTERM, stop)\npathlib.Path(sys.argv[1]).write_text('ready')\ntime.sleep(60)\n")
IGNORE = ("import signal, sys, time, pathlib\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
          "pathlib.Path(sys.argv[1]).write_text('ready')\ntime.sleep(60)\n")


def bound_pod(name, owner_uid=None):
    meta = {"name": name}
    if owner_uid:
        meta["ownerReferences"] = [{"apiVersion": "batch/v1", "kind": "Job", "name": "j", "uid": owner_uid,
                                    "controller": True, "blockOwnerDeletion": True}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"nodeName": "node-1", "terminationGracePeriodSeconds": 7,
                     "containers": [{"name": "c", "image": "i"}]}}


def job(name, code, *args, grace=30):
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "namespace": NS},
            "spec": {"backoffLimit": 0, "template": {"spec": {
                "restartPolicy": "Never", "terminationGracePeriodSeconds": grace,
                "containers": [{"name": "trainer", "image": "x", "command": [sys.executable, "-c", code, *args]}]}}}}


async def test_a_bound_pod_is_deleted_gracefully(client):
    await client.create(pods_path(NS), bound_pod("p"))
    await client.delete(pods_path(NS, "p"))
    pod = await client.get(pods_path(NS, "p"))
    assert pod["metadata"]["deletionTimestamp"] and pod["metadata"]["deletionGracePeriodSeconds"] == 7
    await client.merge_patch(pods_path(NS, "p") + "/status", {"status": {"phase": "Failed"}})
    assert await client.get(pods_path(NS, "p")) is not None  # a status write does not remove it
    await client.request("DELETE", pods_path(NS, "p"), body={"gracePeriodSeconds": 0})
    assert await client.get(pods_path(NS, "p")) is None


async def test_foreground_deletion_waits_for_blocking_dependents(client):
    owner = await client.create(jobs_path(NS), job("j", "pass"))
    await client.create(pods_path(NS), bound_pod("p", owner["metadata"]["uid"]))
    await client.delete(jobs_path(NS, "j"), propagation="Foreground")
    held = await client.get(jobs_path(NS, "j"))
    assert "foregroundDeletion" in held["metadata"]["finalizers"] and held["metadata"]["deletionTimestamp"]
    assert (await client.get(pods_path(NS, "p")))["metadata"]["deletionTimestamp"]  # terminating
    await client.request("DELETE", pods_path(NS, "p"), body={"gracePeriodSeconds": 0})  # its kubelet is done
    assert await client.get(pods_path(NS, "p")) is None
    assert await client.get(jobs_path(NS, "j")) is None


async def test_the_kubelet_sigterms_pods_of_a_deleted_job(cluster, client, tmp_path):
    marker = tmp_path / "got-sigterm"
    with LocalKubelet(cluster.url, tmp_path / "kubelet", poll_interval=0.05):
        await client.create(jobs_path(NS), job("trap", TRAP, str(marker)))
        await eventually(lambda: marker.exists() and marker.read_text() == "ready")  # its handler is set
        await client.delete(jobs_path(NS, "trap"))  # background: the garbage collector deletes the pod
        await eventually(lambda: marker.read_text() == "SIGTERM", timeout=10)
        await eventually(lambda: not cluster.list_objects("v1/pods", NS), timeout=10)
    assert marker.read_text() == "SIGTERM"


async def test_a_pod_that_ignores_sigterm_is_killed_after_its_grace_period(cluster, client, tmp_path):
    ready = tmp_path / "ready"
    with LocalKubelet(cluster.url, tmp_path / "kubelet", poll_interval=0.05) as kubelet:
        await client.create(jobs_path(NS), job("stubborn", IGNORE, str(ready), grace=1))
        await eventually(ready.exists)  # SIGTERM is ignored from now on
        [pod] = cluster.list_objects("v1/pods", NS)
        await client.delete(jobs_path(NS, "stubborn"))
        assert cluster.read("v1/pods", NS, pod["metadata"]["name"])["metadata"]["deletionGracePeriodSeconds"] == 1
        await eventually(lambda: not cluster.list_objects("v1/pods", NS), timeout=10)
        [run] = [r for r in kubelet._pods.values() if r.name == pod["metadata"]["name"]]
        assert run.process.returncode == -9  # SIGKILL, after the grace period
