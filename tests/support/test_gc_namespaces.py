"""Garbage collection and namespace deletion as the real controllers do them (kubernetes
pkg/controller/garbagecollector/garbagecollector.go attemptToDeleteItem, pkg/registry/generic/registry/store.go's
deletion finalizers, plugin/pkg/admission/namespace/lifecycle/admission.go)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.k8s_emulator import EmulatorThread
from tests.support.k8s_values import until
from tests.support.kubelet_http import ApiError, KubeHttp

TB = {"apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot",
      "metadata": {"name": "bot", "finalizers": ["tweetbot.io/cleanup"]},
      "spec": {"users": ["a"], "source": {"archive": {"uri": "s3://b/a.zip"}}, "output": {"s3": "s3://bots/a/"}}}
TBS = "/apis/tweetbot.io/v1alpha1/namespaces/{ns}/tweetbots"
JOBS = "/apis/batch/v1/namespaces/{ns}/jobs"


def job(name: str, owner: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name}, "spec": {
        "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "i"}]}}}}
    if owner is not None:
        body["metadata"]["ownerReferences"] = [{
            "apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
    return body


def delete(http: KubeHttp, path: str, propagation: str = "Background") -> Any:
    return http.request("DELETE", path, {"apiVersion": "v1", "kind": "DeleteOptions",
                                         "propagationPolicy": propagation})


def test_foreground_deletion_sets_its_finalizer_without_dependents(bed: EmulatorThread, http: KubeHttp) -> None:
    http.create(TBS.format(ns="a"), TB)
    answered = delete(http, TBS.format(ns="a") + "/bot", "Foreground")
    assert answered["metadata"]["deletionTimestamp"]
    assert "foregroundDeletion" in answered["metadata"]["finalizers"]
    # The garbage collector then takes it off (no dependents); the object's own finalizer still holds it.
    held = until(lambda: (o := bed.read("tweetbot.io/v1alpha1/tweetbots", "a", "bot")) and
                 o["metadata"]["finalizers"] == ["tweetbot.io/cleanup"] and o)
    assert held["metadata"]["deletionTimestamp"]


def test_a_dependent_created_under_an_owner_in_foreground_deletion_is_deleted(bed: EmulatorThread,
                                                                              http: KubeHttp) -> None:
    owner = http.create(TBS.format(ns="a"), TB)
    http.create(JOBS.format(ns="a"), job("running", owner))
    # A dependent that blocks: the owner waits in foreground deletion while it goes.
    bed.call(lambda api: api.gate)  # the emulator is up
    http.create("/api/v1/namespaces/a/pods", {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "ownerReferences": [{
            "apiVersion": "batch/v1", "kind": "Job", "name": "running",
            "uid": bed.read("batch/v1/jobs", "a", "running")["metadata"]["uid"], "blockOwnerDeletion": True}]},
        "spec": {"nodeName": "n", "containers": [{"name": "c", "image": "i"}]}})
    delete(http, TBS.format(ns="a") + "/bot", "Foreground")
    waiting = bed.read("tweetbot.io/v1alpha1/tweetbots", "a", "bot")
    assert waiting is not None and "foregroundDeletion" in waiting["metadata"]["finalizers"]
    made = http.create(JOBS.format(ns="a"), job("cleanup", owner))  # e.g. a finalizer's cleanup Job
    assert made["metadata"]["uid"]
    assert bed.read("batch/v1/jobs", "a", "cleanup") is None  # the garbage collector deleted it at once
    unowned = http.create(JOBS.format(ns="a"), job("unowned"))
    assert bed.read("batch/v1/jobs", "a", unowned["metadata"]["name"]) is not None


def test_an_owner_in_background_deletion_keeps_new_dependents(bed: EmulatorThread, http: KubeHttp) -> None:
    owner = http.create(TBS.format(ns="a"), TB)
    delete(http, TBS.format(ns="a") + "/bot")  # its finalizer holds it; no foregroundDeletion
    http.create(JOBS.format(ns="a"), job("cleanup", owner))
    assert bed.read("batch/v1/jobs", "a", "cleanup") is not None


def test_a_terminating_namespace_refuses_new_content_and_goes_once_empty(bed: EmulatorThread,
                                                                       http: KubeHttp) -> None:
    http.create("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "doomed"}})
    http.create(TBS.format(ns="doomed"), TB)
    http.create(JOBS.format(ns="doomed"), job("j"))
    deleting = delete(http, "/api/v1/namespaces/doomed")
    assert deleting["status"]["phase"] == "Terminating" and deleting["metadata"]["deletionTimestamp"]
    with pytest.raises(ApiError) as refused:
        http.create(JOBS.format(ns="doomed"), job("late"))
    status = json.loads(refused.value.body)
    assert refused.value.status == 403 and status["reason"] == "Forbidden"
    assert status["message"] == ('jobs.batch "late" is forbidden: unable to create new content in namespace doomed '
                                 "because it is being terminated")
    assert status["details"]["causes"][0]["reason"] == "NamespaceTerminating"
    until(lambda: bed.read("batch/v1/jobs", "doomed", "j") is None)  # the namespace controller deletes content
    bot = bed.read("tweetbot.io/v1alpha1/tweetbots", "doomed", "bot")
    assert bot is not None and bot["metadata"]["deletionTimestamp"]  # its finalizer holds it, and the namespace
    assert bed.read("v1/namespaces", None, "doomed") is not None
    http.merge_patch(TBS.format(ns="doomed") + "/bot", {"metadata": {"finalizers": None}})
    until(lambda: bed.read("v1/namespaces", None, "doomed") is None)
    http.create(JOBS.format(ns="other"), job("fine"))  # other namespaces are not affected


def test_a_namespace_known_only_by_its_objects_can_be_deleted(bed: EmulatorThread, http: KubeHttp) -> None:
    http.create(JOBS.format(ns="implicit"), job("j"))  # the test bed's namespaces exist by their objects
    assert http.get("/api/v1/namespaces/implicit")["metadata"]["name"] == "implicit"
    assert delete(http, "/api/v1/namespaces/implicit")["status"]["phase"] == "Terminating"
    until(lambda: bed.read("v1/namespaces", None, "implicit") is None and not bed.list_objects(
        "batch/v1/jobs", "implicit"))
