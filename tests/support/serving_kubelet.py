"""The local kubelet, also standing in for the Deployment controller: one pod per apps/v1 Deployment (the first
replica's; its init containers and containers as serving_pod.py runs them), restarted on a new pod template (a
rollout), its readiness from the front container's HTTP readiness probe (probed again every periodSeconds once
ready: failureThreshold failures in a row make it unready, as the kubelet's prober does) written to the
Deployment's status as the controller writes it; a pod the SCC-like admission refuses (scc_admission.py) is not
started and the Deployment gets ReplicaFailure/FailedCreate.

A pod's container port becomes a free loopback port (many "pods" share this machine); `address(ns, name)` says
where a Deployment's pod answers, which stands in for the Service."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.kubelet_http import ApiError
from tests.support.kubelet_indexed import free_port
from tests.support.kubelet_rules import container_argv
from tests.support.local_kubelet import LocalKubelet, PodRun
from tests.support.scc_admission import scc_refusal
from tests.support.serving_pod import PodContainers, engine_argv, on_this_loopback, remapped

# Console scripts the image has; run as modules when this Python's bin/ lacks them (an older editable install).
CONSOLE_MODULES = {"tweetbot-serve": "tweetbot_trainer.serve", "tweetbot-train": "tweetbot_trainer.cli"}


def local_argv(argv: list[str], port: int) -> list[str]:
    """The container's command line for this machine: its own port on loopback."""
    out = list(argv)
    for flag, value in (("--port", str(port)), ("--host", "127.0.0.1")):
        if flag in out:
            out[out.index(flag) + 1] = value
    if not Path(out[0]).is_file() and out[0] in CONSOLE_MODULES:
        out[:1] = [sys.executable, "-m", CONSOLE_MODULES[out[0]]]
    return out


@dataclass
class ServedPod:
    run: PodRun  # the pod's folder and log
    template: str  # the pod template it runs, as JSON
    labels: dict[str, str]
    port: int
    probe: Probe
    containers: PodContainers
    ready: bool = False


@dataclass
class Probe:
    """The front container's readiness probe, as the kubelet's prober runs it (pkg/kubelet/prober/worker.go,
    doProbe: a result changes readiness only after FailureThreshold (default 3) failures or SuccessThreshold (1)
    successes in a row; one probe every periodSeconds (default 10), answered within timeoutSeconds (default 1)).
    Until the first success it probes on every pass instead of every period: the same readiness, reached sooner."""

    url: str
    period: float = 10.0
    failure_threshold: int = 3
    timeout: float = 1.0
    next_at: float = 0.0
    failures: int = 0

    @classmethod
    def of(cls, container: Mapping[str, Any], port: int) -> Probe:
        spec = container.get("readinessProbe") or {}
        path = (spec.get("httpGet") or {}).get("path", "/")
        return cls(f"http://127.0.0.1:{port}{path}", float(spec.get("periodSeconds") or 10),
                   int(spec.get("failureThreshold") or 3), float(spec.get("timeoutSeconds") or 1))

    def ready(self, was_ready: bool, now: float) -> bool:
        """Readiness after this pass."""
        if was_ready and now < self.next_at:
            return True
        self.next_at = now + self.period
        if _answers(self.url, self.timeout):
            self.failures = 0
            return True
        self.failures += 1
        return was_ready and self.failures < self.failure_threshold


@dataclass
class ServingKubelet(LocalKubelet):
    _served: dict[tuple[str, str], ServedPod] = field(default_factory=dict, init=False)
    _last_deployment_status: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, init=False)

    def address(self, namespace: str, name: str) -> str | None:
        pod = self._served.get((namespace, name))
        return f"http://127.0.0.1:{pod.port}" if pod and pod.ready else None

    def endpoint(self, namespace: str, selector: Mapping[str, str]) -> str | None:
        """A ready pod matching a Service's selector (the emulator's service proxy asks)."""
        for (ns, _), pod in list(self._served.items()):
            if ns == namespace and pod.ready and selector.items() <= pod.labels.items():
                return f"http://127.0.0.1:{pod.port}"
        return None

    def sync_once(self) -> None:
        super().sync_once()
        deployments = self._api.get("/apis/apps/v1/deployments").get("items", [])
        wanted = {(d["metadata"].get("namespace", "default"), d["metadata"]["name"]): d for d in deployments
                  if not d["metadata"].get("deletionTimestamp")}
        for key in [k for k in self._served if k not in wanted]:
            self._stop_pod(key)
        for key, deployment in wanted.items():
            self._sync_deployment(key, deployment)

    def stop(self) -> None:
        super().stop()
        for key in list(self._served):
            self._stop_pod(key)

    def _sync_deployment(self, key: tuple[str, str], deployment: dict[str, Any]) -> None:
        spec = deployment.get("spec") or {}
        template = json.dumps(spec.get("template"), sort_keys=True)
        pod = self._served.get(key)
        if pod is not None and (pod.template != template or int(spec.get("replicas", 1)) == 0):
            self._stop_pod(key)  # a rollout: the old pod goes, one with the new template comes
            pod = None
        if pod is None and int(spec.get("replicas", 1)) > 0:
            refusal = self._pod_refusal(key[0], spec["template"])
            if refusal is not None:  # the ReplicaSet's pod create is refused: ReplicaFailure, as its controllers say
                self._patch_deployment(key, {
                    "observedGeneration": deployment["metadata"].get("generation", 1), "replicas": 0,
                    "conditions": [{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                                    "message": refusal}]})
                return
            pod = self._start_served(key, spec["template"], template)
        if pod is not None:
            pod.containers.step(lambda container, ports: self._launch_container(pod, container, ports))
        if pod is not None and pod.containers.front is not None:
            pod.ready = pod.probe.ready(pod.ready, time.monotonic())
        ready = int(pod is not None and pod.ready)
        self._patch_deployment(key, {
            "observedGeneration": deployment["metadata"].get("generation", 1), "replicas": int(pod is not None),
            "updatedReplicas": int(pod is not None), "readyReplicas": ready, "availableReplicas": ready})

    def _pod_refusal(self, ns: str, template: dict[str, Any]) -> str | None:
        """The SCC-like admission's refusal of the template's pod in this namespace (scc_admission.py)."""
        try:
            namespace = self._api.get(f"/api/v1/namespaces/{ns}")
        except ApiError as err:
            if err.status != 404:
                raise
            namespace = None
        return scc_refusal(namespace, {"metadata": {"generateName": "serving-"}, **template})

    def _start_served(self, key: tuple[str, str], template: dict[str, Any], text: str) -> ServedPod:
        """The pod: its folder and ports now, its containers by PodContainers.step (init containers first)."""
        ns, name = key
        pod_spec = template["spec"]
        pod_name = f"{name[:52]}-{uuid.uuid4().hex[:5]}"
        pod_dir = self.workdir / ns / pod_name
        pod_dir.mkdir(parents=True)
        run = PodRun(ns, pod_name, name, None, pod_dir / "log", pod_dir / "termination-log", time.monotonic(),
                     spec=pod_spec)
        port = free_port()
        labels = dict((template.get("metadata") or {}).get("labels") or {})
        containers = PodContainers(list(pod_spec.get("initContainers") or []), list(pod_spec["containers"]))
        served = ServedPod(run, text, labels, port, Probe.of(pod_spec["containers"][0], port), containers)
        self._served[key] = served
        return served

    def _launch_container(self, pod: ServedPod, container: dict[str, Any],
                          ports: dict[int, int]) -> subprocess.Popen[bytes]:
        """One container's process; the front one (the first) on the pod's port, every log in the pod's log."""
        run, pod_dir = pod.run, pod.run.log_path.parent
        env = {k: on_this_loopback(v, ports) for k, v in self._container_env(run.namespace, container, pod_dir,
                                                                             run).items()}
        argv = container_argv(container, pod_dir, run)
        if container is pod.containers.containers[0]:
            argv = local_argv(argv, pod.port)
        argv, engine_env = engine_argv(remapped(argv, ports))
        return subprocess.Popen(argv, env={**env, **engine_env}, stdout=run.log_path.open("ab"),
                                stderr=subprocess.STDOUT, cwd=pod_dir, start_new_session=True)

    def _stop_pod(self, key: tuple[str, str]) -> None:
        pod = self._served.pop(key, None)
        if pod is not None:
            pod.containers.stop(self.grace_seconds)

    def _patch_deployment(self, key: tuple[str, str], status: dict[str, Any]) -> None:
        if self._last_deployment_status.get(key) == status:
            return
        self._last_deployment_status[key] = status
        ns, name = key
        self._api.merge_patch(f"/apis/apps/v1/namespaces/{ns}/deployments/{name}/status", {"status": status})


def _answers(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False
