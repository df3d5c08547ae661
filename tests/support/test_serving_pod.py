"""A serving pod with an init container and two containers in the local kubelet (tests/support/serving_pod.py):
the init container runs first, again after a failure, and fills a volume both containers read; the second
container's loopback port is this pod's own, and the front container reaches it at 127.0.0.1."""

from __future__ import annotations

import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from tests.support.k8s_emulator import EmulatorThread
from tests.support.k8s_values import until
from tests.support.kubelet_http import KubeHttp
from tests.support.serving_kubelet import ServingKubelet
from tests.support.serving_pod import loopback_ports, on_this_loopback, remapped

# Fails on its first run (a marker in the volume says it ran), then writes the model.
INIT = """
import pathlib, sys
data = pathlib.Path(sys.argv[1]); data.mkdir(exist_ok=True)
tries = data / "tries"; tries.write_text(tries.read_text() + "x" if tries.exists() else "x")
sys.exit(1) if tries.read_text() == "x" else (data / "model").write_text("weights")
"""
# Answers what the volume holds, on --port (the pod's loopback); 503 while a file `sick` is there.
ENGINE = """
import http.server, pathlib, sys
port, data = int(sys.argv[sys.argv.index("--port") + 1]), pathlib.Path(sys.argv[1])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if (data / "sick").exists():
            self.send_response(503); self.end_headers(); return
        body = (data / "model").read_bytes(); self.send_response(200); self.end_headers(); self.wfile.write(body)
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
"""
# The front door: /healthz and / ask the engine at --upstream.
FRONT = """
import http.server, sys, urllib.request
port, upstream = int(sys.argv[sys.argv.index("--port") + 1]), sys.argv[sys.argv.index("--upstream") + 1]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"front:" + urllib.request.urlopen(upstream, timeout=2).read()
        self.send_response(200); self.end_headers(); self.wfile.write(body)
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
"""


def test_ports_are_the_pods_own() -> None:
    containers = [{"args": ["--port", "8000"]}, {"args": ["--host", "127.0.0.1", "--port", "8001"]}]
    ports = loopback_ports(containers)
    assert list(ports) == [8001] and ports[8001] != 8001
    here = ports[8001]
    assert remapped(["--port", "8001", "--upstream", "http://localhost:8001/v1"], ports) == [
        "--port", str(here), "--upstream", f"http://127.0.0.1:{here}/v1"]
    assert on_this_loopback("http://127.0.0.1:80011", ports) == "http://127.0.0.1:80011"  # another port


def _pair(http: KubeHttp, probe: dict[str, Any] | None = None) -> None:
    """A Deployment "pair": an init container filling the models volume, the front door and the engine."""
    data = {"name": "models", "mountPath": "/models"}
    py = [sys.executable, "-c"]
    template = {"metadata": {"labels": {"app": "pair"}}, "spec": {
        "initContainers": [{"name": "fetch", "image": "t", "command": [*py, INIT, "/models/run"],
                            "volumeMounts": [data]}],
        "containers": [
            {"name": "front", "image": "t", "command": [*py, FRONT, "--port", "8000", "--upstream",
                                                         "http://127.0.0.1:8001/"],
             "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, **(probe or {})}},
            {"name": "engine", "image": "e", "command": [*py, ENGINE, "/models/run", "--port", "8001"],
             "volumeMounts": [data]}],
        "volumes": [{"name": "models", "emptyDir": {}}]}}
    http.create("/apis/apps/v1/namespaces/default/deployments", {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "pair"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "pair"}}, "template": template}})


def test_init_container_then_both_containers_on_the_pods_loopback(bed: EmulatorThread, http: KubeHttp,
                                                                  tmp_path: Path) -> None:
    _pair(http)
    with ServingKubelet(bed.url, tmp_path, poll_interval=0.05) as kubelet:
        address = until(lambda: kubelet.address("default", "pair"), timeout=30)
        with urllib.request.urlopen(address + "/", timeout=5) as answer:
            assert answer.read() == b"front:weights"
        status = until(lambda: (bed.read("apps/v1/deployments", "default", "pair") or {}).get("status", {}).get(
            "readyReplicas"))
        assert status == 1
    [pod_dir] = (tmp_path / "default").iterdir()
    assert (pod_dir / "volumes" / "models" / "run" / "tries").read_text() == "xx"  # failed once, ran again


def test_readiness_is_probed_again_once_ready(bed: EmulatorThread, http: KubeHttp, tmp_path: Path) -> None:
    """A ready pod whose engine stops answering becomes unready after failureThreshold failed probes, and ready
    again when it answers (pkg/kubelet/prober/worker.go): status.serving.ready follows readyReplicas."""
    _pair(http, {"periodSeconds": 1, "failureThreshold": 2})

    def ready_replicas() -> int:
        return int(((bed.read("apps/v1/deployments", "default", "pair") or {}).get("status") or {}).get(
            "readyReplicas") or 0)

    with ServingKubelet(bed.url, tmp_path, poll_interval=0.05) as kubelet:
        until(lambda: ready_replicas() == 1, timeout=30)
        [pod_dir] = (tmp_path / "default").iterdir()
        sick = pod_dir / "volumes" / "models" / "run" / "sick"
        sick.touch()
        started = time.monotonic()
        until(lambda: ready_replicas() == 0, timeout=10)
        assert time.monotonic() - started >= 1.0  # two failures a period apart, not the first one
        assert kubelet.address("default", "pair") is None  # the Service has no endpoint
        sick.unlink()
        until(lambda: ready_replicas() == 1, timeout=10)
