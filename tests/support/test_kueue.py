"""The Kueue stand-in (tests/support/kueue.py) does what Kueue's Job integration does (kubernetes-sigs/kueue
pkg/controller/jobframework/reconciler.go ReconcileGenericJob, defaults.go ApplyDefaultForSuspend): queued Jobs are
created suspended, admitted up to the queue's quota and unsuspended; a Job suspended by someone else while its
Workload stays admitted is unsuspended again (issue 22, defect 4); deactivating the Workload is what stops it."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from tests.support.k8s_emulator import EmulatorThread
from tests.support.k8s_values import until
from tests.support.kubelet_http import KubeHttp
from tests.support.kueue import QUEUE_LABEL, WORKLOADS, KueueStandIn, install, workload_name
from tests.support.local_kubelet import LocalKubelet

JOBS = "/apis/batch/v1/namespaces/a/jobs"


def queued_job(name: str, queue: str = "gpu") -> dict[str, Any]:
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "labels": {QUEUE_LABEL: queue}},
            "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "i"}]}}}}


def suspended(bed: EmulatorThread, name: str) -> bool:
    job = bed.read("batch/v1/jobs", "a", name)
    assert job is not None
    return bool(job["spec"].get("suspend"))


def workload(bed: EmulatorThread, name: str) -> dict[str, Any]:
    job = bed.read("batch/v1/jobs", "a", name)
    assert job is not None
    found = bed.read(WORKLOADS, "a", workload_name(job))
    assert found is not None
    return found


def test_queued_jobs_are_admitted_up_to_the_quota_and_unsuspended(bed: EmulatorThread, http: KubeHttp) -> None:
    bed.call(install)
    kueue = KueueStandIn(bed.url, quota={"gpu": 1})
    first = http.create(JOBS, queued_job("first"))
    assert first["spec"]["suspend"] is True  # the webhook's defaulting
    http.create(JOBS, queued_job("second"))
    plain = http.create(JOBS, {**queued_job("plain"), "metadata": {"name": "plain"}})
    assert not plain["spec"].get("suspend")  # not queued: not Kueue's
    kueue.sync_once()
    assert not suspended(bed, "first") and suspended(bed, "second")
    wl = workload(bed, "first")
    assert wl["metadata"]["ownerReferences"][0]["uid"] == first["metadata"]["uid"]
    assert wl["spec"]["active"] is True and wl["status"]["admission"] == {"clusterQueue": "gpu"}
    http.merge_patch(JOBS + "/first/status", {"status": {"conditions": [
        {"type": "Complete", "status": "True"}]}})
    kueue.sync_once()  # the first finished: its quota goes to the second
    kueue.sync_once()
    assert not suspended(bed, "second") and kueue.unsuspended == ["first", "second"]


def test_suspending_an_admitted_job_is_undone_and_deactivating_its_workload_stops_it(bed: EmulatorThread,
                                                                                    http: KubeHttp) -> None:
    bed.call(install)
    http.create(JOBS, queued_job("run-g1"))
    with KueueStandIn(bed.url, poll_interval=0.05) as kueue:
        until(lambda: not suspended(bed, "run-g1"))
        # The operator's pattern (issue 22, defect 4): suspend the admitted Job, e.g. while a placement edit waits.
        http.merge_patch(JOBS + "/run-g1", {"spec": {"suspend": True}})
        until(lambda: kueue.unsuspended.count("run-g1") == 2)  # reconciler.go step 7: startJob again
        assert not suspended(bed, "run-g1")
        # What Kueue documents instead: deactivate the Workload; it is evicted and the Job stays suspended.
        name = workload(bed, "run-g1")["metadata"]["name"]
        http.merge_patch(f"/apis/kueue.x-k8s.io/v1beta1/namespaces/a/workloads/{name}", {"spec": {"active": False}})
        until(lambda: suspended(bed, "run-g1"))
        until(lambda: any(c["type"] == "Evicted" and c["reason"] == "Deactivated" and c["status"] == "True"
                          for c in workload(bed, "run-g1")["status"]["conditions"]))
        unsuspends = kueue.unsuspended.count("run-g1")
        kueue.sync_once()
        kueue.sync_once()
        assert suspended(bed, "run-g1") and kueue.unsuspended.count("run-g1") == unsuspends
        assert kueue.errors == []



def test_with_the_kubelet_one_queue_slot_runs_one_jobs_pods(bed: EmulatorThread, http: KubeHttp,
                                                            tmp_path: Path) -> None:
    """An old and a new Job of one run in a queue of quota 1: the new one's pods start only once the old is gone."""
    bed.call(install)
    sleeper = {"name": "trainer", "image": "x", "command": [sys.executable, "-c", "import time; time.sleep(60)"]}
    for name in ("run-g1", "run-g2"):
        body = queued_job(name)
        body["spec"]["template"]["spec"]["containers"] = [sleeper]
        http.create(JOBS, body)
        time.sleep(1.1)  # creationTimestamp has second resolution: g1 is the older
    with LocalKubelet(bed.url, tmp_path, poll_interval=0.05) as kubelet, KueueStandIn(bed.url, poll_interval=0.05):
        until(lambda: [r.job_name for r in kubelet.running_pods()] == ["run-g1"])
        time.sleep(0.5)
        assert [r.job_name for r in kubelet.running_pods()] == ["run-g1"]  # g2 waits for the slot
        http.request("DELETE", JOBS + "/run-g1", {"apiVersion": "v1", "kind": "DeleteOptions",
                                                   "propagationPolicy": "Foreground"})
        until(lambda: [r.job_name for r in kubelet.running_pods()] == ["run-g2"], timeout=15)


def test_a_workload_deleted_mid_pass_is_not_an_error(bed: EmulatorThread, http: KubeHttp) -> None:
    """The garbage collector may delete a Job's Workload between the stand-in's listing and its status write (it
    failed CI once: `workloads "job-...-g1-..." not found` in `errors`); the pass ends and the next one goes on."""
    bed.call(install)
    kueue = KueueStandIn(bed.url, quota={"gpu": 1})
    http.create(JOBS, queued_job("first"))
    real_merge_patch = kueue._api.merge_patch

    def gone_first(path: str, body: Any) -> Any:
        if "/workloads/" in path:
            http.request("DELETE", path.removesuffix("/status"))  # the GC, a moment before the write
        return real_merge_patch(path, body)

    kueue._api.merge_patch = gone_first  # type: ignore[method-assign]
    kueue.sync_once()  # raised `ApiError(404)` before: the poller counted it in `errors`
    kueue._api.merge_patch = real_merge_patch  # type: ignore[method-assign]
    kueue.sync_once()
    assert not suspended(bed, "first")  # with the API as it is again, the Job is admitted and started
