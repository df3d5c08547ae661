"""A checkout under /tmp (git clone ... /tmp/x && bash scripts/demo.sh): the local kubelet maps the pod's own
/tmp volume to a folder of the pod, but must leave the checkout's host paths (the demo's base model, the venv)
alone, or the trainer is handed a rewritten path ("Repo id must be in the form ...")."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from tweetbot_operator.k8s.client import jobs_path

from tests.support import kubelet_rules
from tests.support.k8s_fixtures import eventually
from tests.support.kubelet_rules import map_path
from tests.support.local_kubelet import LocalKubelet

NS = "default"


def test_host_paths_of_a_checkout_under_tmp_are_kept(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(kubelet_rules, "HOST_ROOTS", [Path("/tmp/x")])
    mounts = {"/tmp": Path("/work/kubelet/pods/p1/volumes/tmp")}
    assert map_path("/tmp/x/.demo/base-models/smollm2", mounts) == "/tmp/x/.demo/base-models/smollm2"
    assert map_path("/tmp/x", mounts) == "/tmp/x"
    assert map_path("/tmp", mounts) == "/work/kubelet/pods/p1/volumes/tmp"  # the pod's own /tmp still maps
    assert map_path("/tmp/work/out", mounts) == "/work/kubelet/pods/p1/volumes/tmp/work/out"
    assert map_path("/tmp/xy/file", mounts) == "/work/kubelet/pods/p1/volumes/tmp/xy/file"  # not inside /tmp/x
    assert map_path("/tmpfile", mounts) == "/tmpfile"


def test_the_checkout_itself_is_a_host_root():
    assert Path(__file__).resolve().parents[2] in kubelet_rules.HOST_ROOTS


async def test_a_pod_started_from_a_checkout_under_tmp(cluster, client, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """One pod through the kubelet: its /tmp emptyDir is mapped, the checkout's path passes through unchanged."""
    checkout = tmp_path / "checkout"  # pytest's tmp_path is under /tmp, like the user's clone
    (checkout / "model").mkdir(parents=True)
    monkeypatch.setattr(kubelet_rules, "HOST_ROOTS", [*kubelet_rules.HOST_ROOTS, checkout])
    code = "import json, os, sys; print(json.dumps({'argv': sys.argv[1:], 'exists': os.path.isdir(sys.argv[1])}))"
    container = {"name": "trainer", "image": "x", "command": [sys.executable, "-c", code, str(checkout / "model"),
                                                              "/tmp/scratch"],
                 "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]}
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "tmpco", "namespace": NS},
           "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never", "containers": [container],
                                                             "volumes": [{"name": "tmp", "emptyDir": {}}]}}}}
    with LocalKubelet(cluster.url, tmp_path / "kubelet", poll_interval=0.05) as kubelet:
        await client.create(jobs_path(NS), job)
        await eventually(lambda: kubelet.logs("tmpco") and kubelet.logs("tmpco")[0][1].strip(), timeout=30)
        [(_, log)] = kubelet.logs("tmpco")
    out = json.loads(log.splitlines()[0])
    assert out["argv"][0] == str(checkout / "model") and out["exists"]
    assert out["argv"][1].startswith(str(tmp_path / "kubelet")) and out["argv"][1].endswith("/volumes/tmp/scratch")
