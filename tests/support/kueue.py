"""A stand-in for Kueue (kubernetes-sigs/kueue) in front of batch/v1 Jobs, plugged into the emulator the way the
local kubelet is: a thread that talks to the API over HTTP, plus what Kueue installs in the API server (its
Workload CRD and the Job webhook's defaulting).

What it does, after Kueue's sources:
- the Job webhook (pkg/controller/jobframework/defaults.go `ApplyDefaultForSuspend`): a Job created with the label
  `kueue.x-k8s.io/queue-name` is created suspended;
- a Workload (kueue.x-k8s.io/v1beta1) per such Job, owned by it, named as workload_names.go names it
  (`job-<name>-<hash>`), `spec.active` true unless someone deactivates it;
- admission: per queue at most `quota[queue]` (default `default_quota`) admitted Workloads of unfinished Jobs at
  once, oldest first; only active Workloads are admitted;
- pkg/controller/jobframework/reconciler.go `ReconcileGenericJob`: a deactivated Workload (`spec.active: false`) is
  evicted (condition Evicted, reason Deactivated) and its Job stopped (suspended) and its quota released (step 6);
  a suspended Job whose Workload is admitted is started, i.e. unsuspended (step 7, `startJob`) -- so a Job that
  someone else suspends while its Workload stays admitted is unsuspended again; a running Job whose Workload is
  not admitted is suspended (step 8, `stopJob`);
- a finished Job's Workload gets the Finished condition and releases its quota.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import kmock

from tests.support.k8s_values import now_rfc3339
from tests.support.kubelet_http import ApiError, KubeHttp
from tests.support.kubelet_rules import job_finished
from tests.support.poller import Poller

QUEUE_LABEL = "kueue.x-k8s.io/queue-name"  # pkg/controller/constants QueueLabel
WORKLOADS = "kueue.x-k8s.io/v1beta1/workloads"
_OPEN = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
WORKLOAD_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "workloads.kueue.x-k8s.io"},
    "spec": {"group": "kueue.x-k8s.io", "scope": "Namespaced",
             "names": {"kind": "Workload", "plural": "workloads", "singular": "workload"},
             "versions": [{"name": "v1beta1", "served": True, "storage": True, "subresources": {"status": {}},
                           "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                               "spec": _OPEN, "status": _OPEN}}}}]},
}


def suspend_queued_jobs(res: Any, obj: dict[str, Any]) -> None:
    """The Job webhook's defaulting: a queued Job starts suspended (ApplyDefaultForSuspend)."""
    if res == kmock.resource("batch/v1/jobs") and (obj.get("metadata", {}).get("labels") or {}).get(QUEUE_LABEL):
        obj.setdefault("spec", {})["suspend"] = True


def install(api: Any) -> None:
    """What Kueue installs in the API server: the Workload CRD and the Job webhook (call before Jobs are made)."""
    api.register_crd(WORKLOAD_CRD)
    api.mutators.append(suspend_queued_jobs)


def workload_name(job: Mapping[str, Any]) -> str:
    meta = job["metadata"]
    digest = hashlib.sha256(f"{meta['name']}/{meta.get('uid', '')}/batch/v1, Kind=Job".encode()).hexdigest()
    return f"job-{meta['name'][:240]}-{digest[:5]}"


def condition(wl: Mapping[str, Any], kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True"
               for c in (wl.get("status") or {}).get("conditions") or [])


def with_conditions(wl: Mapping[str, Any], **changes: tuple[str, str]) -> list[dict[str, Any]]:
    """The Workload's conditions with `type=(status, reason)` set."""
    kept = [c for c in (wl.get("status") or {}).get("conditions") or [] if c.get("type") not in changes]
    return kept + [{"type": t, "status": s, "reason": r, "message": r, "lastTransitionTime": now_rfc3339()}
                   for t, (s, r) in changes.items()]


@dataclass
class KueueStandIn(Poller):
    thread_name = "kueue-stand-in"
    api_url: str
    quota: dict[str, int] = field(default_factory=dict)  # queue -> concurrent admitted Workloads
    default_quota: int = 1
    poll_interval: float = 0.2
    unsuspended: list[str] = field(default_factory=list, init=False)  # Jobs it unsuspended, in order
    suspended: list[str] = field(default_factory=list, init=False)  # Jobs it suspended (stopJob), in order
    errors: list[str] = field(default_factory=list, init=False)
    _api: KubeHttp = field(init=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._api = KubeHttp(self.api_url)

    def sync_once(self) -> None:
        try:
            self._sync()
        except ApiError as err:
            # A Job deleted between the listing and a write takes its Workload with it (the garbage collector):
            # a controller-runtime reconciler ends such a pass without an error (client.IgnoreNotFound, as Kueue's
            # reconcilers do for objects gone mid-pass) and the next pass sees the new state. Not a Kueue error.
            if err.status != 404:
                raise

    def _sync(self) -> None:
        jobs = [j for j in self._api.get("/apis/batch/v1/jobs").get("items", [])
                if (j["metadata"].get("labels") or {}).get(QUEUE_LABEL) and not j["metadata"].get("deletionTimestamp")]
        workloads = {(w["metadata"].get("namespace"), w["metadata"]["name"]): w
                     for w in self._api.get(f"/apis/{WORKLOADS}").get("items", [])}
        pairs = [(job, workloads.get((job["metadata"].get("namespace"), workload_name(job))) or self._create(job))
                 for job in jobs]
        for i, (job, wl) in enumerate(pairs):
            if job_finished(job.get("status") or {}) and not condition(wl, "Finished"):
                pairs[i] = (job, self._status(wl, None, Finished=("True", "JobFinished"),
                                              Admitted=("False", "JobFinished")))
            elif wl.get("spec", {}).get("active", True) is False and condition(wl, "Admitted"):
                off = ("False", "Deactivated")  # reconciler.go step 6: evicted, stopped, its quota released
                pairs[i] = (job, self._status(wl, None, Evicted=("True", "Deactivated"), Admitted=off,
                                              QuotaReserved=off))
        for i in sorted(range(len(pairs)), key=lambda k: pairs[k][1]["metadata"].get("creationTimestamp", "")):
            pairs[i] = (pairs[i][0], self._admit_or_stop(*pairs[i], pairs))

    def _admit_or_stop(self, job: dict[str, Any], wl: dict[str, Any], pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
        """Admits the Workload if its queue has room, then starts or stops the Job to match; the Workload."""
        queue = job["metadata"]["labels"][QUEUE_LABEL]
        if job_finished(job.get("status") or {}):
            return wl
        if not condition(wl, "Admitted") and wl.get("spec", {}).get("active", True) is not False:
            admitted = [w for j, w in pairs if j["metadata"]["labels"][QUEUE_LABEL] == queue and condition(
                w, "Admitted")]
            if len(admitted) < self.quota.get(queue, self.default_quota):
                wl = self._status(wl, {"clusterQueue": queue}, QuotaReserved=("True", "QuotaReserved"),
                                  Admitted=("True", "Admitted"), Evicted=("False", "Admitted"))
        suspended = bool(job.get("spec", {}).get("suspend"))
        if suspended and condition(wl, "Admitted"):  # step 7: startJob
            self._suspend(job, False)
        elif not suspended and not condition(wl, "Admitted"):  # steps 6 and 8: stopJob
            self._suspend(job, True)
        return wl

    def _create(self, job: dict[str, Any]) -> dict[str, Any]:
        meta = job["metadata"]
        ns = meta.get("namespace", "default")
        body: dict[str, Any] = {"apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "Workload", "metadata": {
            "name": workload_name(job), "namespace": ns, "labels": {"kueue.x-k8s.io/job-uid": meta.get("uid", "")},
            "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": meta["name"], "uid": meta["uid"],
                                 "controller": True, "blockOwnerDeletion": True}]},
            "spec": {"active": True, "queueName": meta["labels"][QUEUE_LABEL], "podSets": [
                {"name": "main", "count": int(job.get("spec", {}).get("parallelism", 1))}]}}
        try:
            return dict(self._api.create(f"/apis/kueue.x-k8s.io/v1beta1/namespaces/{ns}/workloads", body))
        except ApiError as err:
            if err.status != 409:
                raise
            return dict(self._api.get(f"/apis/{WORKLOADS.replace('/workloads', '')}/namespaces/{ns}/workloads/"
                                      f"{body['metadata']['name']}"))

    def _status(self, wl: dict[str, Any], admission: dict[str, Any] | None = None,
                **changes: tuple[str, str]) -> dict[str, Any]:
        """Writes the Workload's conditions; `admission` set when admitted, removed otherwise."""
        status = {**(wl.get("status") or {}), "conditions": with_conditions(wl, **changes), "admission": admission}
        meta = wl["metadata"]
        path = f"/apis/kueue.x-k8s.io/v1beta1/namespaces/{meta['namespace']}/workloads/{meta['name']}/status"
        self._api.merge_patch(path, {"status": status})
        return {**wl, "status": {k: v for k, v in status.items() if v is not None}}

    def _suspend(self, job: dict[str, Any], suspend: bool) -> None:
        meta = job["metadata"]
        self._api.merge_patch(f"/apis/batch/v1/namespaces/{meta.get('namespace', 'default')}/jobs/{meta['name']}",
                              {"spec": {"suspend": suspend}})
        (self.suspended if suspend else self.unsuspended).append(meta["name"])
