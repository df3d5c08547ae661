"""A stand-in for the Job controller and the kubelet: runs batch/v1 Jobs' pods as local processes.

The operator only ever talks to the Kubernetes API; this class plays the cluster side behind that API, so that
a TweetBot can be trained end to end (demo, reliability tests) with the real trainer CLI and no cluster. It
follows the documented Job semantics that the operator relies on:

- one pod at a time (parallelism 1, completions 1), a new pod after each failure until `backoffLimit`;
- `completionMode: Indexed`: a pod per index, hostnames, loopback DNS and ports (kubelet_indexed.py);
- `suspend: true` runs no pod (and stops a running one); the Job gets a `Suspended` condition;
- replacement pods wait out the Job controller's pod failure backoff (10 s doubling to 10 min, scaled by
  `backoff_scale`; kubelet_rules.remaining_backoff), ignored failures counted too;
- `podFailurePolicy`: `FailJob` on a matching exit code, `Ignore` on a `DisruptionTarget` pod condition
  (the failure does not count towards the backoff limit);
- `activeDeadlineSeconds` -> `Failed` with reason `DeadlineExceeded`;
- container env from `value`, `fieldRef` and `secretKeyRef` (read from the API: a missing Secret leaves the pod
  Pending with `CreateContainerConfigError`, as a kubelet does), `$(VAR)` expanded in env values and args;
- `terminationMessagePath` -> `state.terminated.message` (`FallbackToLogsOnError`: the log tail when empty);
- pod logs are written to a file whose path is put in the pod's `kubelet.local/log-file` annotation, which the
  test API server serves as `pods/log`;
- a pod whose ServiceAccount or PriorityClass is missing is not created: a FailedCreate event on the Job;
- pods are bound (`nodeName`), so deleting one (or its Job) is graceful: SIGTERM, the grace period, SIGKILL.

Paths the pod spec mounts (`volumeMounts`) are mapped to folders under `workdir`, and the container's
`tweetbot-train` command is resolved to the one installed beside this Python.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.k8s_values import now_rfc3339
from tests.support.kubelet_env import container_env, expand
from tests.support.kubelet_http import ApiError, KubeHttp
from tests.support.kubelet_indexed import IndexedJobs, LoopbackNetwork, indexed_pod, is_indexed
from tests.support.kubelet_rules import (
    BACKOFF_SCALE_ENV,
    age_seconds,
    container_argv,
    exit_code,
    job_finished,
    job_status,
    matching_fail_rule,
    remaining_backoff,
    tail,
)
from tests.support.pod_admission import failed_create_event, pod_creation_error
from tests.support.poller import Poller

LOG_FILE_ANNOTATION = "kubelet.local/log-file"
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"


@dataclass
class PodRun:
    """One pod of a Job, running (or finished) as a local process."""

    namespace: str
    name: str
    job_name: str
    process: subprocess.Popen[bytes] | None
    log_path: Path
    termination_path: Path
    started: float
    disrupted: bool = False
    finished: bool = False
    terminating: bool = False  # deleted: SIGTERM sent, the grace period running
    spec: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)  # the pod's metadata (fieldRef, ownerReferences)
    index: int | None = None  # an Indexed Job's completion index
    completions: int = 1
    deleting: bool = False  # its Job controller asked for its deletion
    ended: float | None = None  # when it finished (monotonic): the pod failure backoff counts from there
    stopped: bool = False  # stopped by its Job's suspension: not a failure


@dataclass
class LocalKubelet(Poller, IndexedJobs):
    thread_name = "local-kubelet"
    api_url: str
    workdir: Path
    poll_interval: float = 0.2
    extra_env: dict[str, str] = field(default_factory=dict)
    grace_seconds: float = 10.0
    # The Job controller's pod failure backoff (kubelet_rules.pod_failure_backoff) times this: 1 is the real 10 s to
    # 10 min; tests run it a hundred times faster unless TWEETBOT_TESTBED_BACKOFF_SCALE says otherwise.
    backoff_scale: float = field(default_factory=lambda: float(os.environ.get(BACKOFF_SCALE_ENV, "0.01")))
    _api: KubeHttp = field(init=False)
    _pods: dict[tuple[str, str], PodRun] = field(default_factory=dict, init=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)
    errors: list[str] = field(default_factory=list, init=False)
    _last_job_status: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, init=False)
    _refused: dict[tuple[str, str], str] = field(default_factory=dict, init=False)  # Job -> FailedCreate told
    network: LoopbackNetwork = field(default_factory=LoopbackNetwork, init=False)

    def __post_init__(self) -> None:
        self._api = KubeHttp(self.api_url)
        self.workdir.mkdir(parents=True, exist_ok=True)

    # -- lifecycle -------------------------------------------------------------------------------------

    def stop(self) -> None:
        super().stop()
        for run in self._pods.values():
            if run.process is not None and run.process.poll() is None:
                os.killpg(run.process.pid, signal.SIGKILL)
                run.process.wait()

    # -- fault injection -------------------------------------------------------------------------------

    def running_pods(self) -> list[PodRun]:
        return [run for run in self._pods.values() if not run.finished and run.process is not None]

    def kill_pod(self, name: str, *, grace: float | None = None, disruption: bool = False) -> None:
        """SIGTERM the pod's process, then SIGKILL after `grace` seconds, as a kubelet does on deletion;
        `grace=0` is a SIGKILL with no SIGTERM at all (the OOM killer, a node that dies).

        `disruption=True` marks the pod with a `DisruptionTarget` condition (preemption/eviction).
        """
        run = next(r for r in self._pods.values() if r.name == name)
        run.disrupted = disruption
        proc = run.process
        if proc is None or proc.poll() is not None:
            return
        if grace == 0:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=self.grace_seconds if grace is None else grace)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def logs(self, job_name: str) -> list[tuple[str, str]]:
        """(pod name, log text) of every pod this kubelet ran for the Job, oldest first, also of pods since
        deleted (the API forgets those)."""
        runs = sorted((r for r in self._pods.values() if r.job_name == job_name), key=lambda r: r.started)
        return [(r.name, r.log_path.read_text(errors="replace")) for r in runs]

    def stopped(self, job_name: str) -> bool:
        """Every process this kubelet started for the Job has exited."""
        runs = [r for r in self._pods.values() if r.job_name == job_name]
        return bool(runs) and all(r.process is None or r.process.poll() is not None for r in runs)

    # -- reconcile -------------------------------------------------------------------------------------

    def sync_once(self) -> None:
        jobs = self._api.get("/apis/batch/v1/jobs").get("items", [])
        for job in jobs:
            self._sync_job(job)
        self._stop_deleted_pods()

    def _stop_deleted_pods(self) -> None:
        """Pods being deleted (their Job was deleted, or the pod itself): SIGTERM, the grace period, SIGKILL, as a
        kubelet does; then the pod object goes (a DELETE with gracePeriodSeconds 0)."""
        for run in list(self._pods.values()):
            if run.finished or run.terminating or run.process is None:
                continue
            path = f"/api/v1/namespaces/{run.namespace}/pods/{run.name}"
            try:
                pod = self._api.get(path)
            except ApiError as err:
                if err.status != 404:
                    raise
                pod = None  # gone without a grace period (force-deleted)
            meta = (pod or {}).get("metadata") or {}
            if pod is not None and not meta.get("deletionTimestamp"):
                continue
            grace = float(meta.get("deletionGracePeriodSeconds") or run.spec.get("terminationGracePeriodSeconds", 30))
            run.terminating = True
            threading.Thread(target=self._terminate, args=(run, grace, path if pod else None), daemon=True,
                             name=f"terminate-{run.name}").start()

    def _terminate(self, run: PodRun, grace: float, path: str | None) -> None:
        try:
            self.kill_pod(run.name, grace=grace)
            if path is not None:
                self._finish_pod(run)
                self._api.request("DELETE", path, {"apiVersion": "v1", "kind": "DeleteOptions",
                                                   "gracePeriodSeconds": 0})
            else:
                run.finished, run.ended = True, time.monotonic()
        except Exception as exc:  # the API may be down on purpose (fault tests)
            self.errors.append(repr(exc))

    def _sync_job(self, job: dict[str, Any]) -> None:
        meta, spec = job["metadata"], job.get("spec", {})
        status = job.get("status") or {}
        if job_finished(status) or meta.get("deletionTimestamp"):
            return
        ns, name = meta.get("namespace", "default"), meta["name"]
        runs = [r for r in self._pods.values() if r.namespace == ns and r.job_name == name]
        active = [r for r in runs if not r.finished]

        if spec.get("suspend"):
            for run in active:
                self.kill_pod(run.name, grace=2.0)
                run.stopped = True
                self._finish_pod(run, disrupted=True)
            self._patch_job(ns, name, job_status(status, active=0, condition=("Suspended", "True", "JobSuspended",
                                                                                 "Job suspended")))
            return

        deadline = spec.get("activeDeadlineSeconds")
        start = status.get("startTime")
        if deadline and start and age_seconds(start) > float(deadline):
            for run in active:
                self.kill_pod(run.name, grace=2.0)
                self._finish_pod(run)
            self._fail_job(ns, name, status, "DeadlineExceeded", "Job was active longer than specified deadline")
            return

        for run in active:
            if run.terminating:
                continue  # its own thread finishes it
            if run.process is None:
                self._launch(run)
            elif run.process.poll() is not None:
                self._finish_pod(run)
        if is_indexed(spec):
            self._sync_indexed(job, runs)
            return
        finished = [r for r in runs if r.finished]  # one read per pod: see kubelet_indexed._sync_indexed
        active = [r for r in runs if r not in finished]
        failed = [r for r in finished if exit_code(r) != 0 and not r.disrupted]
        succeeded = [r for r in finished if exit_code(r) == 0]

        if succeeded:
            self._patch_job(ns, name, job_status(
                status, active=0, succeeded=1, failed=len(failed), completion=True,
                condition=("Complete", "True", "", ""), extra_conditions=[("SuccessCriteriaMet", "True", "", "")]))
            return
        rule = matching_fail_rule(spec, [exit_code(r) for r in failed])
        if rule is not None:
            self._fail_job(ns, name, status, "PodFailurePolicy",
                           f"Container trainer for pod {ns}/{failed[-1].name} failed with exit code "
                           f"{exit_code(failed[-1])} matching FailJob rule at index {rule}")
            return
        if len(failed) > int(spec.get("backoffLimit", 6)):
            self._fail_job(ns, name, status, "BackoffLimitExceeded", "Job has reached the specified backoff limit")
            return
        if not active and remaining_backoff(runs, time.monotonic(), self.backoff_scale) > 0:
            self._patch_job(ns, name, job_status(status, active=0, failed=len(failed), start=status.get(
                "startTime") or now_rfc3339(), drop_condition="Suspended"))
            return  # the Job controller's pod failure backoff: the replacement waits
        if not active and not self._start_pod(job):
            return  # no pod could be created: the Job's status stays as it is
        self._patch_job(ns, name, job_status(
            status, active=1, failed=len(failed), start=status.get("startTime") or now_rfc3339(),
            drop_condition="Suspended"))

    def _fail_job(self, ns: str, name: str, status: dict[str, Any], reason: str, message: str) -> None:
        failed = int(status.get("failed", 0)) + 1
        self._patch_job(ns, name, job_status(status, active=0, failed=failed,
                                              condition=("Failed", "True", reason, message),
                                              extra_conditions=[("FailureTarget", "True", reason, message)]))

    def _patch_job(self, ns: str, name: str, status: dict[str, Any]) -> None:
        key = (ns, name)
        if self._last_job_status.get(key) == status:
            return
        self._last_job_status[key] = status
        self._api.merge_patch(f"/apis/batch/v1/namespaces/{ns}/jobs/{name}/status", {"status": status})

    # -- pods ------------------------------------------------------------------------------------------

    def _exists(self, path: str) -> bool:
        try:
            self._api.get(path)
        except ApiError as err:
            if err.status == 404:
                return False
            raise
        return True

    def _start_pod(self, job: dict[str, Any], index: int | None = None) -> bool:
        """Creates and launches the Job's next pod (of `index`); False when the API server would refuse it."""
        meta = job["metadata"]
        ns, job_name = meta.get("namespace", "default"), meta["name"]
        template = job["spec"]["template"]
        refusal = pod_creation_error(ns, job_name, template["spec"], self._exists)
        if refusal is not None:  # no pod; the Job controller tells it in an event (once here) and retries
            self._tell_refusal(job, refusal)
            return False
        pod_name = f"{job_name[:52]}-{'' if index is None else f'{index}-'}{uuid.uuid4().hex[:5]}"
        pod_dir = self.workdir / ns / pod_name
        pod_dir.mkdir(parents=True)
        log_path = pod_dir / "log"
        log_path.touch()
        labels = dict(template.get("metadata", {}).get("labels", {}))
        labels.update({JOB_NAME_LABEL: job_name, "job-name": job_name})
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": pod_name,
                "namespace": ns,
                "labels": labels,
                "annotations": {LOG_FILE_ANNOTATION: str(log_path)},
                "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": job_name,
                                     "uid": meta.get("uid", ""), "controller": True,
                                     "blockOwnerDeletion": True}],
            },
            "spec": {**template["spec"], "nodeName": "local"},  # bound: deleting it is graceful
            "status": {"phase": "Pending"},
        }
        if index is not None:
            pod = indexed_pod(pod, job_name, index)
        try:
            self._api.create(f"/api/v1/namespaces/{ns}/pods", pod)
        except ApiError as err:  # refused by admission (e.g. an SCC): FailedCreate, as the Job controller says
            if err.status != 403:
                raise
            self._tell_refusal(job, f"Error creating: {json.loads(err.body).get('message', err.body)}")
            return False
        run = PodRun(ns, pod_name, job_name, None, log_path, pod_dir / "termination-log",
                     time.monotonic(), spec=pod["spec"], meta=pod["metadata"], index=index,
                     completions=int(job["spec"].get("completions", 1)))
        self._pods[(ns, pod_name)] = run
        self._launch(run)
        return True

    def _tell_refusal(self, job: dict[str, Any], refusal: str) -> None:
        ns, name = job["metadata"].get("namespace", "default"), job["metadata"]["name"]
        if self._refused.get((ns, name)) != refusal:
            self._refused[(ns, name)] = refusal
            self._api.create(f"/api/v1/namespaces/{ns}/events", failed_create_event(job, refusal))

    def _launch(self, run: PodRun) -> None:
        """Starts the container's process, or leaves the pod waiting while a referenced Secret is missing."""
        container = run.spec["containers"][0]
        pod_dir = run.log_path.parent
        try:
            env = self._container_env(run.namespace, container, pod_dir, run)
        except ApiError as err:
            if err.status != 404:
                raise
            self._patch_pod(run.namespace, run.name, {"phase": "Pending", "containerStatuses": [{
                "name": container["name"], "ready": False, "restartCount": 0,
                "state": {"waiting": {"reason": "CreateContainerConfigError", "message": str(err.body)}}}]})
            return
        log = run.log_path.open("ab")
        declared = {item["name"]: env[item["name"]] for item in container.get("env", []) if item["name"] in env}
        argv = self._pod_network(run, env, [expand(a, declared) for a in container_argv(container, pod_dir, run)])
        run.process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=pod_dir,
                                       start_new_session=True)
        self._patch_pod(run.namespace, run.name, {"phase": "Running", "startTime": now_rfc3339(),
                                                  "containerStatuses": [{
                                                      "name": container["name"], "ready": True, "restartCount": 0,
                                                      "state": {"running": {"startedAt": now_rfc3339()}}}]})

    def _container_env(self, ns: str, container: dict[str, Any], pod_dir: Path, run: PodRun) -> dict[str, str]:
        return container_env(self._api, ns, container, pod_dir, run.meta or {"name": run.name, "namespace": ns},
                             self.extra_env)

    def _finish_pod(self, run: PodRun, disrupted: bool = False) -> None:
        run.finished = True
        run.ended = run.ended or time.monotonic()
        run.disrupted = run.disrupted or disrupted
        code = exit_code(run)
        message = run.termination_path.read_text(errors="replace")[:4096] if run.termination_path.exists() else ""
        if not message and code != 0:
            message = tail(run.log_path, 80, 2048)
        terminated = {"exitCode": code, "reason": "Completed" if code == 0 else "Error",
                      "startedAt": now_rfc3339(), "finishedAt": now_rfc3339()}
        if message:
            terminated["message"] = message
        conditions = []
        if run.disrupted:
            conditions.append({"type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler",
                               "lastTransitionTime": now_rfc3339()})
        self._patch_pod(run.namespace, run.name, {
            "phase": "Succeeded" if code == 0 else "Failed",
            "conditions": conditions,
            "containerStatuses": [{"name": "trainer", "ready": False, "restartCount": 0,
                                   "state": {"terminated": terminated}}]})

    def _patch_pod(self, ns: str, name: str, status: dict[str, Any]) -> None:
        self._api.merge_patch(f"/api/v1/namespaces/{ns}/pods/{name}/status", {"status": status})
