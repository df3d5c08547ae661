"""`python -m tweetbot_operator render` (issue 22's preview): every object the operator would create for one
TweetBot, with the settings of the environment, valid for the API server; what the issue asks a platform team
to see: GPU serving on amd.com/gpu with its toleration and a rollout needing no spare GPU, and with the
OpenShift setting no fixed UIDs in any pod."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from tweetbot_operator.render import main

from tests.deploy.render import REPO, all_errors
from tests.support.crds import kserve_crd

TWEETBOT = {
    "apiVersion": "tweetbot.io/v1alpha1",
    "kind": "TweetBot",
    "metadata": {"name": "spiraltoo", "namespace": "bots"},
    "spec": {
        "users": ["spiraltoo"],
        "source": {"archive": {"uri": "s3://bots/archives/spiraltoo.zip"}},
        "output": {"s3": "s3://bots/spiraltoo/", "credentialsSecret": {"name": "s3-creds"}},
        "deletionPolicy": "Delete",
        "resources": {"gpuResourceName": "amd.com/gpu", "nodes": 2},
        "serving": {"enabled": True, "resources": {"gpus": 1}},
    },
}


def render(tmp_path: Path, tb: dict[str, Any], *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "tweetbot.yaml"
    path.write_text(yaml.safe_dump(tb))
    environ = {**os.environ, "PYTHONPATH": str(REPO / "operator"), **env}
    return subprocess.run([sys.executable, "-m", "tweetbot_operator", "render", "-f", str(path), *args],
                          capture_output=True, text=True, timeout=60, env=environ, check=False)


def render_here(tmp_path: Path, tb: dict[str, Any], capsys: pytest.CaptureFixture[str],
                monkeypatch: pytest.MonkeyPatch, *args: str, **env: str) -> tuple[int, str, str]:
    """The same command in this process (no interpreter start): exit code, stdout, stderr."""
    path = tmp_path / "tweetbot.yaml"
    path.write_text(yaml.safe_dump(tb))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = main(["-f", str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_render_shows_every_object_for_openshift_and_gpu_serving(tmp_path: Path) -> None:
    proc = render(tmp_path, TWEETBOT, "--model-uri", "s3://bots/spiraltoo/run-1/", "--deleting",
                  TWEETBOT_FIXED_POD_IDS="false")
    assert proc.returncode == 0, proc.stderr
    objects = list(yaml.safe_load_all(proc.stdout))
    assert [(o["kind"], o["metadata"]["name"]) for o in objects] == [
        ("Service", "spiraltoo-nodes"), ("Job", "spiraltoo-g1"), ("Deployment", "spiraltoo-serve"),
        ("Service", "spiraltoo-serve"), ("Job", "spiraltoo-delete")]
    assert all_errors(objects) == []
    pods = [o["spec"]["template"]["spec"] for o in objects if o["kind"] in ("Job", "Deployment")]
    for pod in pods:
        assert not {"runAsUser", "runAsGroup", "fsGroup"} & set(pod["securityContext"])
        assert pod["securityContext"]["runAsNonRoot"] is True
    deployment = objects[2]
    serve = deployment["spec"]["template"]["spec"]
    # A GPU makes vLLM the engine: the init container fetches the run, vLLM gets the GPU, the front door none.
    assert [c["name"] for c in serve["containers"]] == ["serve", "vllm"]
    assert serve["containers"][1]["resources"]["limits"]["amd.com/gpu"] == "1"
    assert "amd.com/gpu" not in serve["containers"][0]["resources"]["limits"]
    assert {"key": "amd.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in serve["tolerations"]
    assert deployment["spec"]["strategy"]["rollingUpdate"] == {"maxUnavailable": 1, "maxSurge": 0}
    assert "s3://bots/spiraltoo/run-1/" in serve["initContainers"][0]["args"]
    assert "ownerReferences" not in objects[-1]["metadata"]


def test_render_kserve_and_the_defaults(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    tb = {**TWEETBOT, "spec": {**TWEETBOT["spec"], "resources": {}, "serving": {
        "enabled": True, "runtime": "kserve", "kserve": {"deploymentMode": "RawDeployment"}}}}
    code, out, err = render_here(tmp_path, tb, capsys, monkeypatch)
    assert code == 0, err
    job, isvc = yaml.safe_load_all(out)
    assert job["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == 10001  # the default settings
    assert isvc["kind"] == "InferenceService"
    assert isvc["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "Standard"
    run_id = job["metadata"]["annotations"]["tweetbot.io/run-id"]
    assert isvc["spec"]["predictor"]["model"]["storageUri"] == f"s3://bots/spiraltoo/{run_id}/"


def test_render_refuses_what_the_operator_would_refuse(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    bad = {**TWEETBOT, "spec": {**TWEETBOT["spec"], "source": {"archive": {"uri": "/proc/self/environ"}}}}
    code, out, err = render_here(tmp_path, bad, capsys, monkeypatch)
    assert code == 2 and out == ""
    assert "spec.source.archive.uri must be an s3:// or https:// URI" in err and "environ" not in err
    assert len(err.strip().splitlines()) == 1
    code, out, err = render_here(tmp_path, TWEETBOT, capsys, monkeypatch, TWEETBOT_FIXED_POD_IDS="maybe")
    assert code == 2 and "TWEETBOT_FIXED_POD_IDS" in err


@pytest.mark.parametrize("example", sorted((REPO / "manifests" / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_renders_to_objects_the_api_server_accepts(example: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples users copy (issue 29, item 7): what the operator would create for each is valid."""
    for tb in [doc for doc in yaml.safe_load_all(example.read_text()) if doc and doc.get("kind") == "TweetBot"]:
        tb["metadata"].setdefault("namespace", "default")
        code, out, err = render_here(tmp_path, tb, capsys, monkeypatch, "--model-uri", "s3://bots/x/run/")
        assert code == 0, err
        objects = [doc for doc in yaml.safe_load_all(out) if doc]
        assert any(o["kind"] == "Job" for o in objects)
        assert all_errors([kserve_crd(), *objects]) == []  # KServe's CRD: its InferenceService's schema
