"""Indexed Jobs in the local kubelet (a mixin of LocalKubelet), as the Job controller runs them:

- `parallelism` pods at once, one per index not yet succeeded, named `<job>-<index>-<random5>`, with the label
  and annotation `batch.kubernetes.io/job-completion-index`, env JOB_COMPLETION_INDEX in every container,
  `hostname: <job>-<index>` and the template's `subdomain`;
- replacement pods wait out the pod failure backoff (the Job's, or each index's with backoffLimitPerIndex);
- a failed index gets a new pod after the podFailurePolicy (rules in order, first match wins: FailJob, Ignore on
  exit codes or the DisruptionTarget condition, else counted against `backoffLimit`); FailJob or the limit ->
  condition FailureTarget, the other pods deleted (SIGTERM, grace, SIGKILL), then Failed;
- `successPolicy` (succeededIndexes / succeededCount) -> SuccessCriteriaMet, the other pods deleted, then
  Complete; without one, Complete once every index succeeded;
- status: active, ready, terminating, failed (counted failures), succeeded, completedIndexes.

The cluster's network, stood in for on one machine: every "pod" shares this machine's network namespace, so
each hostname of an Indexed Job gets its own loopback address (127.0.x.y, distinct per Job and index, kept by
the index's replacement pods, since the names are resolved once, at the container's start, where a client in a
cluster would look them up again). Where a headless Service named like the subdomain selects the pod, the names
`<hostname>.<subdomain>[.<ns>[.svc[.cluster.local]]]` of the Job's pods are replaced by those addresses in the
container's env values and args (after `$(VAR)` expansion). A port is one per machine here, not one per pod
IP: the container port named `rendezvous` becomes a free port per Job, put in place of `--master-port`'s value
and MASTER_PORT (torch's TCPStore listens on every address; gloo's own connections use ephemeral ports).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.support.k8s_values import now_rfc3339
from tests.support.kubelet_http import ApiError, KubeHttp
from tests.support.kubelet_indexed_rules import (
    INDEX_KEY,
    dns_names,
    failure_action,
    intervals,
    is_indexed,
    remap_port,
    rendezvous_port,
    selects,
    substitute_hosts,
    success_rule,
)
from tests.support.kubelet_rules import exit_code, job_status, remaining_backoff


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def indexed_pod(pod: dict[str, Any], job_name: str, index: int) -> dict[str, Any]:
    """The controller's additions to an Indexed Job's pod (name, index label/annotation, env, hostname)."""
    meta, spec = pod["metadata"], pod["spec"]
    meta["labels"][INDEX_KEY] = meta["annotations"][INDEX_KEY] = str(index)
    spec["hostname"] = f"{job_name}-{index}"
    index_env = {"name": "JOB_COMPLETION_INDEX",
                 "valueFrom": {"fieldRef": {"fieldPath": f"metadata.labels['{INDEX_KEY}']"}}}
    spec["containers"] = [{**c, "env": [*c.get("env", []), index_env]} for c in spec["containers"]]
    return pod


@dataclass
class LoopbackNetwork:
    """Loopback addresses per (namespace, Job uid, index) and a port per Job: see the module's docstring."""

    addresses: dict[tuple[str, str, int], str] = field(default_factory=dict)
    ports: dict[tuple[str, str], int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def address(self, ns: str, uid: str, index: int) -> str:
        with self._lock:
            if (ns, uid, index) not in self.addresses:
                n = len(self.addresses) + 1  # 127.0.1.1 on: 127.0.0.1 stays this machine's own
                self.addresses[(ns, uid, index)] = f"127.0.{1 + n // 250}.{1 + n % 250}"
            return self.addresses[(ns, uid, index)]

    def port(self, ns: str, uid: str) -> int:
        with self._lock:
            return self.ports.setdefault((ns, uid), free_port())


class IndexedJobs:
    """The Indexed Job controller and pod network of LocalKubelet (which provides these attributes)."""

    _api: KubeHttp
    _pods: dict[tuple[str, str], Any]
    network: LoopbackNetwork
    backoff_scale: float

    def _start_pod(self, job: dict[str, Any], index: int | None = None) -> bool:
        raise NotImplementedError

    def _patch_job(self, ns: str, name: str, status: dict[str, Any]) -> None:
        raise NotImplementedError

    def _sync_indexed(self, job: dict[str, Any], runs: list[Any]) -> None:
        meta, spec, status = job["metadata"], job["spec"], job.get("status") or {}
        ns, name = meta.get("namespace", "default"), meta["name"]
        # One read of `finished` per pod and pass: a terminating thread may finish a pod meanwhile, and a pod
        # seen neither as failed nor as alive once let a Job complete with an uncounted failure.
        ended = [r for r in runs if r.finished]
        alive = [r for r in runs if r not in ended]
        succeeded = {r.index for r in ended if exit_code(r) == 0}
        failed = [r for r in ended if exit_code(r) != 0]
        actions = [failure_action(spec, exit_code(r), r.disrupted, "trainer") for r in failed]
        counted = [r for r, a in zip(failed, actions, strict=True) if a is None or a[0] == "Count"]
        ending = self._ending(spec, status, succeeded, failed, actions, counted, ns)
        if ending is None:
            for index in self._after_backoff(spec, runs, self._missing(spec, succeeded, alive)):
                self._start_pod(job, index)
            alive += [r for r in self._pods.values() if r.job_name == name and r.namespace == ns and r not in runs]
        else:
            self._delete_pods(ns, alive)
        stopping = [r for r in alive if r.terminating or r.deleting]
        extra = {"ready": sum(r.process is not None for r in alive if r not in stopping),
                 "terminating": len(stopping), "completedIndexes": intervals(succeeded)}
        common = {"active": len(alive) - len(stopping), "succeeded": len(succeeded), "failed": len(counted)}
        if ending is None:
            new = job_status(status, **common, start=status.get("startTime") or now_rfc3339(),
                             drop_condition="Suspended")
        elif alive:  # the interim condition while the other pods stop
            new = job_status(status, **common, condition=(ending[0], "True", ending[2], ending[3]))
        else:
            new = job_status(status, **common, completion=ending[1] == "Complete",
                             extra_conditions=[(ending[0], "True", ending[2], ending[3])],
                             condition=(ending[1], "True", ending[2], ending[3]))
        self._patch_job(ns, name, {**new, **extra, "succeeded": len(succeeded)})

    def _ending(self, spec: dict[str, Any], status: dict[str, Any], succeeded: set[int], failed: list[Any],
                actions: list[tuple[str, int] | None], counted: list[Any],
                ns: str) -> tuple[str, str, str, str] | None:
        """(interim condition, final condition, reason, message) once the Job is decided; None while it runs."""
        for kind, final in (("FailureTarget", "Failed"), ("SuccessCriteriaMet", "Complete")):
            decided = next((c for c in status.get("conditions") or [] if c.get("type") == kind), None)
            if decided is not None:  # decided on an earlier pass: the pods stopped since do not change it
                return kind, final, decided.get("reason", ""), decided.get("message", "")
        for run, action in zip(failed, actions, strict=True):
            if action is not None and action[0] == "FailJob":
                return ("FailureTarget", "Failed", "PodFailurePolicy",
                        f"Container trainer for pod {ns}/{run.name} failed with exit code {exit_code(run)} "
                        f"matching FailJob rule at index {action[1]}")
        if len(counted) > int(spec.get("backoffLimit", 6)):
            return "FailureTarget", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"
        rule = success_rule(spec, succeeded)
        if rule is not None:
            return "SuccessCriteriaMet", "Complete", "SuccessPolicy", f"Matched rules at index {rule}"
        if succeeded >= set(range(int(spec.get("completions", 1)))):
            return ("SuccessCriteriaMet", "Complete", "CompletionsReached",
                    "Reached expected number of succeeded pods")
        return None

    @staticmethod
    def _missing(spec: dict[str, Any], succeeded: set[int], alive: list[Any]) -> list[int]:
        """The indexes to start a pod for now: neither succeeded nor running, lowest first, up to parallelism."""
        running = {r.index for r in alive}
        room = int(spec.get("parallelism", 1)) - len(alive)
        todo = [i for i in range(int(spec.get("completions", 1))) if i not in succeeded and i not in running]
        return todo[:max(0, room)]

    def _after_backoff(self, spec: dict[str, Any], runs: list[Any], todo: list[int]) -> list[int]:
        """The indexes whose pod may be created now: job_controller.go manageJob waits out the Job's pod failure
        backoff before creating any pod (one record per Job: an N-pod preemption counts N failures); with
        backoffLimitPerIndex each index waits out its own (backoff_utils.go getRemainingTimePerIndex)."""
        now = time.monotonic()
        if spec.get("backoffLimitPerIndex") is None:
            return todo if remaining_backoff(runs, now, self.backoff_scale) <= 0 else []
        return [i for i in todo if remaining_backoff([r for r in runs if r.index == i], now, self.backoff_scale) <= 0]

    def _delete_pods(self, ns: str, runs: list[Any]) -> None:
        """As the controller does: DELETE; the kubelet's deletion handling stops them (SIGTERM, grace, SIGKILL)."""
        for run in runs:
            if run.deleting:
                continue
            run.deleting = True
            run.finished = run.finished or run.process is None  # never started (a missing Secret): nothing to stop
            try:
                self._api.request("DELETE", f"/api/v1/namespaces/{ns}/pods/{run.name}")
            except ApiError as err:
                if err.status != 404:
                    raise

    def _pod_network(self, run: Any, env: dict[str, str], argv: list[str]) -> list[str]:
        """Loopback addresses for the Job's pod names and the Job's local rendezvous port (module docstring)."""
        if run.index is None:
            return argv
        ns, uid, spec = run.namespace, run.meta["ownerReferences"][0]["uid"], run.spec
        subdomain = spec.get("subdomain")
        hosts: dict[str, str] = {}
        if subdomain and self._selected_by(ns, subdomain, run.meta.get("labels") or {}):
            job_name = run.job_name
            for index in range(int(run.completions)):
                address = self.network.address(ns, uid, index)
                hosts.update({name: address for name in dns_names(f"{job_name}-{index}", subdomain, ns)})
            self._api.merge_patch(f"/api/v1/namespaces/{ns}/pods/{run.name}/status",
                                  {"status": {"podIP": self.network.address(ns, uid, run.index)}})
        for key, value in env.items():
            env[key] = substitute_hosts(value, hosts)
        argv = [substitute_hosts(arg, hosts) for arg in argv]
        container_port = rendezvous_port(spec)
        return argv if container_port is None else remap_port(argv, env, container_port, self.network.port(ns, uid))

    def _selected_by(self, ns: str, service: str, labels: dict[str, str]) -> bool:
        try:
            return selects(self._api.get(f"/api/v1/namespaces/{ns}/services/{service}"), labels)
        except ApiError as err:
            if err.status == 404:
                return False
            raise


__all__ = ["IndexedJobs", "LoopbackNetwork", "indexed_pod", "is_indexed"]
