"""Issue 22 (first contact with a real cluster, round 2) and issue 24 items 1 and 8, operator side: OpenShift's
arbitrary UIDs, a cleanup Job that is not a dependent of the TweetBot being deleted, serving errors that never
freeze the training status, GPU serving pods, serving drift, KServe's current names and backend flags, and the
Job's source and time bounds."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import kopf
import pytest
from tweetbot_operator.context import Context
from tweetbot_operator.deletion.cleanup_job import build_cleanup_job
from tweetbot_operator.deletion.finalizer import release_artifacts
from tweetbot_operator.k8s.client import ApiError, tweetbot_path
from tweetbot_operator.k8s.events import Event
from tweetbot_operator.serving.deployment import build_deployment, needs_update, serving_status, update_patch
from tweetbot_operator.serving.deployment_sync import deployments_path
from tweetbot_operator.serving.dispatcher import serving_retry, sync_serving
from tweetbot_operator.serving.kserve import ANNOTATION_DEPLOYMENT_MODE, build_inference_service
from tweetbot_operator.settings import Settings, SettingsError
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.validation import validate_spec
from tweetbot_operator.training.job import build_training_job

from tests.deploy.render import all_errors
from tests.operator.factories import COMPLETE, NS, TWEETBOTS, events_of, set_job_status, tweetbot, with_policy
from tests.support.k8s_fixtures import CRD, eventually
from tests.support.k8s_schema import admit, version_schema

MODEL = "s3://bots/spiraltoo/spiraltoo-g1/"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
SERVING = {"enabled": True, "replicas": 2, "resources": {"gpus": 1}}
IDS = ("runAsUser", "runAsGroup", "fsGroup")


def pod_specs(settings: Settings) -> dict[str, dict[str, Any]]:
    tb = tweetbot(deletionPolicy="Delete", serving=SERVING)
    multi = tweetbot(resources={"nodes": 2})
    return {
        "training": build_training_job(tb, settings)["spec"]["template"]["spec"],
        "multinode": build_training_job(multi, settings)["spec"]["template"]["spec"],
        "cleanup": build_cleanup_job(tb, settings)["spec"]["template"]["spec"],
        "serving": build_deployment(tb, MODEL, settings)["spec"]["template"]["spec"],
    }


# ---------------------------------------------------------------- 2. OpenShift: no fixed UIDs


def test_openshift_setting_leaves_fixed_ids_out_of_every_pod() -> None:
    settings = Settings.from_env({"TWEETBOT_FIXED_POD_IDS": "false"})
    assert settings.fixed_pod_ids is False
    for kind, pod in pod_specs(settings).items():
        security = pod["securityContext"]
        assert not set(IDS) & set(security), kind  # restricted-v2 assigns the UID from the namespace's range
        assert security["runAsNonRoot"] is True and security["seccompProfile"] == {"type": "RuntimeDefault"}, kind
    for kind, pod in pod_specs(Settings.from_env({})).items():  # the default: the images' own user
        assert {k: pod["securityContext"][k] for k in IDS} == dict.fromkeys(IDS, 10001), kind
    with pytest.raises(SettingsError, match="TWEETBOT_FIXED_POD_IDS"):
        Settings.from_env({"TWEETBOT_FIXED_POD_IDS": "no"})


# ---------------------------------------------------------------- 3. the cleanup Job and a terminating namespace


class FakeKube:
    """The few calls the finalizer makes, recorded; `refuse_create` answers every create with that error."""

    def __init__(self, refuse_create: ApiError | None = None) -> None:
        self.objects: dict[str, dict[str, Any]] = {}
        self.deleted: list[tuple[str, str]] = []
        self.refuse_create = refuse_create

    async def list(self, path: str, labels: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        return []

    async def get(self, path: str) -> dict[str, Any] | None:
        return self.objects.get(path)

    async def create(self, collection: str, body: Mapping[str, Any]) -> dict[str, Any]:
        if self.refuse_create is not None:
            raise self.refuse_create
        if collection.endswith("/events"):
            return dict(body)
        self.objects[f"{collection}/{body['metadata']['name']}"] = dict(body)
        return dict(body)

    async def delete(self, path: str, propagation: str = "Background") -> bool:
        self.deleted.append((path, propagation))
        return self.objects.pop(path, None) is not None


def context(kube: FakeKube, events: list[Event]) -> Context:
    ctx = Context(settings=Settings(poll_interval=0.1), kube=kube, clock=lambda: NOW)  # type: ignore[arg-type]

    async def post(tb: Mapping[str, Any], event: Event) -> None:
        events.append(event)

    ctx.post = post  # type: ignore[method-assign]
    return ctx


def test_cleanup_job_is_not_a_dependent_of_the_tweetbot() -> None:
    """Under foreground deletion the garbage collector deletes an owned cleanup Job at once, and the finalizer
    recreated it, forever: it carries the TweetBot's uid as a label instead."""
    tb = tweetbot(deletionPolicy="Delete")
    job = build_cleanup_job(tb, Settings())
    assert "ownerReferences" not in job["metadata"]
    assert job["metadata"]["labels"][c.LABEL_OWNER_UID] == tb["metadata"]["uid"]
    assert job["metadata"]["labels"][c.LABEL_COMPONENT] == c.COMPONENT_CLEANUP
    assert all_errors([job]) == []


async def test_finalizer_deletes_its_cleanup_job_when_done() -> None:
    tb, kube, events = tweetbot(deletionPolicy="Delete"), FakeKube(), []
    ctx = context(kube, events)
    with pytest.raises(kopf.TemporaryError):
        await release_artifacts(ctx, tb)
    [(path, job)] = [(p, o) for p, o in kube.objects.items() if "/jobs/" in p]
    job["status"] = {"conditions": [{"type": "Complete", "status": "True"}]}
    await release_artifacts(ctx, tb)  # returns: the finalizer is released
    assert kube.deleted == [(path, "Background")] and path not in kube.objects
    assert [e.reason for e in events] == ["CleanupStarted", "ArtifactsDeleted"]


async def test_an_earlier_tweetbots_cleanup_job_goes_first() -> None:
    tb, kube, events = tweetbot(deletionPolicy="Delete"), FakeKube(), []
    old = build_cleanup_job(tweetbot(deletionPolicy="Delete", namespace="default"), Settings())
    old["metadata"]["labels"][c.LABEL_OWNER_UID] = "an-earlier-uid"
    old["status"] = {"conditions": [{"type": "Complete", "status": "True"}]}
    path = f"/apis/batch/v1/namespaces/default/jobs/{old['metadata']['name']}"
    kube.objects[path] = old
    with pytest.raises(kopf.TemporaryError, match="earlier cleanup Job"):
        await release_artifacts(context(kube, events), tb)
    assert kube.deleted == [(path, "Background")] and not events  # never taken for this TweetBot's


@pytest.mark.parametrize("message", [
    'jobs.batch "spiraltoo-delete" is forbidden: unable to create new content in namespace default because it is '
    "being terminated",
])
async def test_terminating_namespace_releases_with_a_warning_naming_what_was_left(message: str) -> None:
    """kopf retried the 403 forever, so the namespace never went."""
    tb, events = tweetbot(deletionPolicy="Delete"), []
    kube = FakeKube(refuse_create=ApiError(403, "Forbidden", message))
    await release_artifacts(context(kube, events), tb)  # returns: released
    [event] = events
    assert event.type == "Warning" and event.reason == "CleanupSkipped"
    assert "s3://bots/spiraltoo/" in event.message and "being deleted" in event.message


async def test_other_refusals_of_the_cleanup_job_are_retried() -> None:
    kube = FakeKube(refuse_create=ApiError(403, "Forbidden", "exceeded quota: jobs"))
    with pytest.raises(ApiError):
        await release_artifacts(context(kube, []), tweetbot(deletionPolicy="Delete"))


# ---------------------------------------------------------------- 5. a serving error never freezes the status


class RefusingKube:
    """Every read finds nothing; every write of a serving object is refused with `error`."""

    def __init__(self, error: ApiError) -> None:
        self.error = error

    async def get(self, path: str) -> None:
        return None

    async def create(self, collection: str, body: Mapping[str, Any]) -> dict[str, Any]:
        raise self.error


@pytest.mark.parametrize(("status", "reason", "retried"), [
    (403, "ServingRefused", False),  # a policy denial or a quota
    (422, "ServingRefused", False),  # a field the API server refuses
    (503, "ServingError", True),  # the API server's trouble: the poller tries again
])
async def test_a_serving_refusal_becomes_a_condition_and_the_training_status_stays(status: int, reason: str,
                                                                                   retried: bool) -> None:
    tb = tweetbot(serving={"enabled": True})
    new = {"phase": "Succeeded", "modelURI": MODEL, "conditions": [{"type": "Ready", "status": "True"}]}
    events: list[Event] = []

    async def post(event: Event) -> None:
        events.append(event)

    kube = RefusingKube(ApiError(status, "Forbidden", 'deployments.apps "spiraltoo-serve" is forbidden: policy'))
    got = await sync_serving(kube, Settings(), tb, {}, dict(new), post=post, now=NOW)  # type: ignore[arg-type]
    assert got["phase"] == "Succeeded" and got["modelURI"] == MODEL  # what training says is written
    serving = {cnd["type"]: cnd for cnd in got["conditions"]}["Serving"]
    assert serving["status"] == "False" and serving["reason"] == reason and "forbidden: policy" in serving["message"]
    assert got["serving"] == {"runtime": "deployment", "ready": False}  # the runtime to stop later is known
    assert [(e.type, e.reason) for e in events] == [("Warning", reason)]
    assert serving_retry(got) is retried
    again = await sync_serving(kube, Settings(), tb, got, dict(new), post=post, now=NOW)  # type: ignore[arg-type]
    assert len(events) == 1 and again["conditions"] == got["conditions"]  # one event, one unchanged status


# ---------------------------------------------------------------- 6. GPU serving pods


def test_serving_pods_ask_for_gpus_as_the_training_pods_do() -> None:
    tb = tweetbot(serving=SERVING, resources={"gpuResourceName": "amd.com/gpu"})
    deployment = build_deployment(tb, MODEL, Settings())
    pod = deployment["spec"]["template"]["spec"]
    # GPUs make vLLM the default engine: its container has them, the front door none.
    [container] = [c for c in pod["containers"] if "amd.com/gpu" in c["resources"]["limits"]]
    assert container["name"] == "vllm" and container["resources"]["limits"]["amd.com/gpu"] == "1"
    assert "nvidia.com/gpu" not in str(pod["containers"])
    assert pod["tolerations"] == [{"key": "amd.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    # A surge pod would wait for a spare GPU a full pool never has: replace one at a time.
    assert deployment["spec"]["strategy"]["rollingUpdate"] == {"maxUnavailable": 1, "maxSurge": 0}
    assert all_errors([deployment]) == []
    default = build_deployment(tweetbot(serving=SERVING), MODEL, Settings(default_gpu_resource="gpu.intel.com/i915"))
    assert "gpu.intel.com/i915" in default["spec"]["template"]["spec"]["containers"][1]["resources"]["limits"]
    cpu = build_deployment(tweetbot(serving={"enabled": True}), MODEL, Settings())
    assert "tolerations" not in cpu["spec"]["template"]["spec"]
    assert cpu["spec"]["strategy"]["rollingUpdate"] == {"maxUnavailable": 0, "maxSurge": 1}


# ---------------------------------------------------------------- 7. serving drift and readiness


async def test_a_dropped_pod_setting_leaves_the_live_deployment(cluster, client) -> None:
    """A merge patch kept keys the spec no longer sets; the JSON patch replaces the template."""
    template = {"runtimeClassName": "gvisor", "serviceAccountName": "bots", "labels": {"team": "ml"}}
    before = build_deployment(tweetbot(serving={"enabled": True}, podTemplate=template), MODEL, Settings())
    after = build_deployment(tweetbot(serving={"enabled": True}), MODEL, Settings())
    assert needs_update(before, after) and not needs_update(after, after)
    await client.create(deployments_path("default"), before)
    live = await client.json_patch(deployments_path("default", "spiraltoo-serve"), update_patch(after))
    pod = live["spec"]["template"]
    assert "runtimeClassName" not in pod["spec"] and "serviceAccountName" not in pod["spec"]
    assert "team" not in pod["metadata"]["labels"]
    assert not needs_update(live, after)


def test_serving_is_ready_only_when_the_rollout_is_done() -> None:
    tb = tweetbot(serving={"enabled": True, "replicas": 2})
    live = build_deployment(tb, MODEL, Settings())
    live["metadata"]["generation"] = 3
    done = {"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2,
            "availableReplicas": 2}
    for status, ready in [
        (done, True),
        ({**done, "observedGeneration": 2}, False),  # the controller has not seen the new template yet
        ({**done, "replicas": 3}, False),  # an old-model replica still serves
        ({**done, "updatedReplicas": 1, "replicas": 2}, False),
        ({**done, "availableReplicas": 1}, False),
    ]:
        live["status"] = status
        assert serving_status(tb, live)["ready"] is ready, status


# ---------------------------------------------------------------- 8. KServe's current names and the backend


@pytest.mark.parametrize(("given", "written"), [("RawDeployment", "Standard"), ("Serverless", "Knative"),
                                                ("Standard", "Standard"), ("Knative", "Knative")])
def test_kserve_deployment_mode_is_written_with_its_current_name(given: str, written: str) -> None:
    """KServe >= 0.16 records Standard/Knative; its webhook refuses changing the recorded mode (kserve #4798)."""
    tb = tweetbot(serving={"enabled": True, "runtime": "kserve", "kserve": {"deploymentMode": given}})
    isvc = build_inference_service(tb, MODEL, Settings())
    assert isvc["metadata"]["annotations"][ANNOTATION_DEPLOYMENT_MODE] == written


@pytest.mark.parametrize(("kserve", "args"), [
    ({}, ["--backend=huggingface", "--task=text_generation"]),
    ({"backend": "huggingface"}, ["--backend=huggingface", "--task=text_generation"]),
    ({"backend": "vllm"}, ["--backend=vllm"]),
    ({"args": ["--backend=vllm", "--dtype=float16"]}, ["--backend=vllm", "--dtype=float16"]),
])
def test_kserve_task_only_for_the_huggingface_backend(kserve: dict[str, Any], args: list[str]) -> None:
    """kserve python/huggingfaceserver/huggingfaceserver/__main__.py (commit aaac4e29): `--backend` defaults to
    auto (vLLM where installed); `--task` is added to the parser only when the vLLM backend is not enabled,
    and vLLM's own --task takes other values: text_generation crashed every vLLM predictor."""
    tb = tweetbot(serving={"enabled": True, "runtime": "kserve", "kserve": kserve})
    model = build_inference_service(tb, MODEL, Settings())["spec"]["predictor"]["model"]
    assert model["args"] == ["--model_name=spiraltoo", *args]


def test_crd_accepts_the_current_mode_names_and_the_backend() -> None:
    schema = version_schema(CRD, "v1alpha1")
    for mode in ("Standard", "Knative", "RawDeployment"):
        tb = tweetbot(serving={"enabled": True, "runtime": "kserve",
                               "kserve": {"deploymentMode": mode, "backend": "vllm"}})
        assert admit(schema, tb)[1] == [], mode
    bad = tweetbot(serving={"enabled": True, "runtime": "kserve", "kserve": {"backend": "onnx"}})
    assert admit(schema, bad)[1]


# ---------------------------------------------------------------- issue 24: sources and time bounds of a Job


def test_the_job_refuses_local_sources_and_has_a_deadline() -> None:
    job = build_training_job(tweetbot(), Settings())
    assert "--no-local-sources" in job["spec"]["template"]["spec"]["containers"][0]["args"]
    assert job["spec"]["activeDeadlineSeconds"] == 7 * 86400  # the operator's default: nothing runs forever
    own = build_training_job(tweetbot(activeDeadlineSeconds=3600), Settings())
    assert own["spec"]["activeDeadlineSeconds"] == 3600
    none = build_training_job(tweetbot(), Settings.from_env({"TWEETBOT_TRAINING_DEADLINE_SECONDS": "0"}))
    assert "activeDeadlineSeconds" not in none["spec"]
    multi = build_training_job(tweetbot(resources={"nodes": 2}), Settings())
    assert multi["spec"]["activeDeadlineSeconds"] == 7 * 86400
    assert "--no-local-sources" in multi["spec"]["template"]["spec"]["containers"][0]["args"]


@pytest.mark.parametrize("uri", ["/var/run/secrets/kubernetes.io/serviceaccount/token", "/proc/self/environ",
                                 "file:///etc/passwd", "http://archives/spiraltoo.zip", "ftp://x/y.zip"])
def test_spec_validation_refuses_local_and_plain_http_sources(uri: str) -> None:
    for kind in ("archive", "file"):
        errors = validate_spec(tweetbot(source={kind: {"uri": uri}})["spec"])
        assert errors == [f"spec.source.{kind}.uri must be an s3:// or https:// URI (local paths are for the CLI "
                          "run by hand)"]
        assert uri not in errors[0]
    assert validate_spec(tweetbot(source={"archive": {"uri": "https://example.org/a.zip"}})["spec"]) == []


async def test_foreground_deletion_of_a_tweetbot_completes(cluster, client, operator) -> None:
    """`kubectl delete --cascade=foreground` (Argo CD's prune): the cleanup Job is no dependent the garbage
    collector deletes under the TweetBot, so it runs, and the finalizer deletes it and releases."""
    await client.create(tweetbot_path(NS), with_policy("Delete"))
    await eventually(lambda: (cluster.read(TWEETBOTS, NS, "spiraltoo") or {}).get("metadata", {}).get("finalizers"))
    await client.delete(tweetbot_path(NS, "spiraltoo"), propagation="Foreground")
    cleanup = await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-delete"))
    assert "ownerReferences" not in cleanup["metadata"]
    await set_job_status(client, "spiraltoo-delete", COMPLETE)
    await eventually(lambda: cluster.read(TWEETBOTS, NS, "spiraltoo") is None)
    await eventually(lambda: cluster.read("batch/v1/jobs", NS, "spiraltoo-delete") is None)
    assert "ArtifactsDeleted" in {reason for _, reason, _ in events_of(cluster)}


def test_crd_refuses_local_source_uris() -> None:
    schema = version_schema(CRD, "v1alpha1")
    for kind in ("archive", "file"):
        assert admit(schema, tweetbot(source={kind: {"uri": "/proc/self/environ"}}))[1], kind
        assert admit(schema, tweetbot(source={kind: {"uri": "s3://bots/{user}.zip"}}))[1] == [], kind


async def test_deleting_the_namespace_of_a_tweetbot_completes(cluster, client, operator) -> None:
    """The namespace goes Terminating with a deletionPolicy Delete TweetBot in it (NamespaceLifecycle as upstream:
    creates there are refused with 403 NamespaceTerminating): the finalizer cannot start its cleanup Job, releases
    the TweetBot with a warning naming what was left, and the namespace goes once empty."""
    ns = "doomed"
    await client.create("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    body = with_policy("Delete")
    body["metadata"]["namespace"] = ns
    await client.create(tweetbot_path(ns), body)
    await eventually(lambda: (cluster.read(TWEETBOTS, ns, "spiraltoo") or {}).get("metadata", {}).get("finalizers"))
    await client.delete(f"/api/v1/namespaces/{ns}")
    await eventually(lambda: cluster.read(TWEETBOTS, ns, "spiraltoo") is None, timeout=30)
    await eventually(lambda: cluster.read("v1/namespaces", None, ns) is None, timeout=30)
    assert cluster.read("batch/v1/jobs", ns, "spiraltoo-delete") is None
