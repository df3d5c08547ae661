"""spec.serving.runtime: kserve, without the operator running: the InferenceService builder checked against KServe's
own CRD schema (v0.16.0, tests/fixtures/kserve), the rollout patch, status.serving and the Serving condition from an
InferenceService's status, the TweetBot CRD's rules for the new fields, and the emulator refusing what KServe's
schema refuses."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
import yaml
from tweetbot_operator.k8s.client import ApiError
from tweetbot_operator.serving.kserve import (
    ANNOTATION_DEPLOYMENT_MODE,
    ANNOTATION_HASH,
    build_inference_service,
    had_kserve,
    inferenceservices_path,
    is_ready,
    needs_update,
    observed_condition,
    serving_condition,
    serving_status,
    update_patch,
)
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec.validation import serving_errors, validate_spec

from tests.deploy.render import MANIFESTS
from tests.operator.factories import tweetbot
from tests.support.crds import INFERENCESERVICES, install_kserve, kserve_schema
from tests.support.k8s_fixtures import CRD
from tests.support.k8s_schema import admit, version_schema

MODEL = "s3://bots/spiraltoo/spiraltoo-0f1e2d3c-g1/"
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
KSERVE = {"enabled": True, "runtime": "kserve", "replicas": 2, "resources": {"cpu": "2", "memory": "8Gi", "gpus": 1},
          "kserve": {"runtime": "kserve-huggingfaceserver", "protocolVersion": "v2", "maxReplicas": 4,
                     "serviceAccountName": "kserve-s3", "deploymentMode": "RawDeployment",
                     "args": ["--backend=vllm", "--max_model_len=1024"]}}


def kserve_errors(obj: dict) -> list[str]:
    """What the API server does with an InferenceService under KServe's CRD: prune, default, validate; an unknown
    field (pruned away) counts as an error too."""
    body = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
    stored, errors = admit(kserve_schema(), obj)
    kept = {k: v for k, v in stored.items() if k not in ("apiVersion", "kind", "metadata")}
    return errors + ([] if _subset(body, kept) else [f"fields KServe's schema drops: {body} -> {kept}"])


def _subset(small, big) -> bool:
    if isinstance(small, dict):
        return isinstance(big, dict) and all(k in big and _subset(v, big[k]) for k, v in small.items())
    if isinstance(small, list):
        return isinstance(big, list) and len(small) == len(big) and all(map(_subset, small, big))
    return small == big


def test_inference_service_is_valid_under_kserves_schema_and_serves_the_run() -> None:
    tb = tweetbot(serving=KSERVE, resources={"gpuResourceName": "amd.com/gpu"})
    isvc = build_inference_service(tb, MODEL, Settings())
    assert kserve_errors(isvc) == []
    assert (isvc["apiVersion"], isvc["kind"]) == ("serving.kserve.io/v1beta1", "InferenceService")
    meta, predictor = isvc["metadata"], isvc["spec"]["predictor"]
    assert meta["name"] == "spiraltoo-serve" and meta["namespace"] == "default"
    assert meta["ownerReferences"][0]["kind"] == "TweetBot" and meta["ownerReferences"][0]["controller"] is True
    assert meta["labels"]["app.kubernetes.io/component"] == "serve"
    assert meta["annotations"][ANNOTATION_DEPLOYMENT_MODE] == "Standard"  # RawDeployment's current name
    model = predictor["model"]
    assert model["modelFormat"] == {"name": "huggingface"} and model["storageUri"] == MODEL
    assert model["args"] == ["--model_name=spiraltoo", "--backend=vllm", "--max_model_len=1024"]
    assert model["runtime"] == "kserve-huggingfaceserver" and model["protocolVersion"] == "v2"
    assert model["resources"] == {"requests": {"cpu": "2", "memory": "8Gi", "amd.com/gpu": "1"},
                                  "limits": {"memory": "8Gi", "amd.com/gpu": "1"}}
    assert predictor["minReplicas"] == 2 and predictor["maxReplicas"] == 4
    assert predictor["serviceAccountName"] == "kserve-s3"
    assert predictor["tolerations"] == [{"key": "amd.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    assert not any("AWS" in str(e) for e in model.get("env", []))  # KServe reads S3 credentials, not us


def test_pod_settings_reach_the_predictor() -> None:
    template = {"serviceAccountName": "bots", "imagePullSecrets": [{"name": "regcred"}], "runtimeClassName": "nvidia",
                "env": [{"name": "HTTPS_PROXY", "value": "http://proxy:3128"}], "labels": {"team": "ml"},
                "annotations": {"sidecar.istio.io/inject": "false"}, "ephemeralStorage": "20Gi",
                "volumes": [{"name": "extra", "emptyDir": {}}], "volumeMounts": [{"name": "extra", "mountPath": "/x"}]}
    tb = tweetbot(serving={"enabled": True, "runtime": "kserve"}, podTemplate=template)
    isvc = build_inference_service(tb, MODEL, Settings(default_pod_template={"labels": {"cost-center": "42"}}))
    assert kserve_errors(isvc) == []
    predictor = isvc["spec"]["predictor"]
    model = predictor["model"]
    assert predictor["serviceAccountName"] == "bots" and predictor["runtimeClassName"] == "nvidia"
    assert predictor["imagePullSecrets"] == [{"name": "regcred"}] and predictor["volumes"][0]["name"] == "extra"
    assert predictor["labels"] == {"cost-center": "42", "team": "ml"}
    assert predictor["annotations"] == {"sidecar.istio.io/inject": "false"}
    assert model["env"] == [{"name": "HTTPS_PROXY", "value": "http://proxy:3128"}]
    assert model["volumeMounts"] == [{"name": "extra", "mountPath": "/x"}]
    assert model["resources"]["limits"]["ephemeral-storage"] == "20Gi"
    assert "tolerations" not in predictor and "maxReplicas" not in predictor and "runtime" not in model


def test_a_newer_run_is_one_replace_of_the_predictor_and_the_same_run_patches_nothing() -> None:
    tb = tweetbot(serving=KSERVE)
    live = build_inference_service(tb, MODEL, Settings())
    live["spec"]["predictor"]["model"]["resources"]["limits"]["cpu"] = "1"  # KServe's defaulter adds fields
    assert not needs_update(live, build_inference_service(tb, MODEL, Settings()))
    newer = build_inference_service(tb, "s3://bots/spiraltoo/spiraltoo-0f1e2d3c-g2/", Settings())
    assert needs_update(live, newer)
    ops = update_patch(newer)
    assert ops[0] == {"op": "replace", "path": "/spec/predictor", "value": newer["spec"]["predictor"]}
    paths = {op["path"] for op in ops[1:]}
    assert "/metadata/annotations/tweetbot.io~1serving-hash" in paths
    assert newer["metadata"]["annotations"][ANNOTATION_HASH] != live["metadata"]["annotations"][ANNOTATION_HASH]
    less = copy.deepcopy(tb)
    del less["spec"]["serving"]["kserve"]["maxReplicas"]
    assert needs_update(live, build_inference_service(less, MODEL, Settings()))  # a field dropped is a change too


def _with_status(isvc: dict, ready: str, generation: int = 1, observed: int = 1, **extra) -> dict:
    isvc = copy.deepcopy(isvc)
    isvc["metadata"]["generation"] = generation
    isvc["status"] = {"observedGeneration": observed, "conditions": [
        {"type": "Ready", "status": ready, "reason": "" if ready == "True" else "RevisionMissing",
         "message": "" if ready == "True" else "revision spiraltoo-serve-predictor-00001 is not ready"}], **extra}
    return isvc


def test_serving_status_follows_the_inference_service() -> None:
    isvc = build_inference_service(tweetbot(serving=KSERVE), MODEL, Settings())
    assert serving_status(isvc) == {"modelURI": MODEL, "ready": False}  # no url before KServe says one
    url = "http://spiraltoo-serve.default.example.com"
    ready = _with_status(isvc, "True", url=url)
    assert serving_status(ready) == {"url": url, "modelURI": MODEL, "ready": True}
    assert not is_ready(_with_status(isvc, "True", generation=2, observed=1))  # Ready speaks of the old spec
    internal = _with_status(isvc, "False", address={"url": "http://spiraltoo-serve.default.svc.cluster.local"})
    assert serving_status(internal) == {"url": "http://spiraltoo-serve.default.svc.cluster.local",
                                        "modelURI": MODEL, "ready": False}
    assert serving_status(None) is None


def test_serving_condition_mirrors_kserves_ready() -> None:
    isvc = build_inference_service(tweetbot(serving=KSERVE), MODEL, Settings())
    waiting = serving_condition(observed_condition(_with_status(isvc, "False")), 1, NOW, [])
    assert (waiting["type"], waiting["status"], waiting["reason"]) == ("Serving", "False", "RevisionMissing")
    assert "is not ready: revision spiraltoo-serve-predictor-00001 is not ready" in waiting["message"]
    later = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
    ready = serving_condition(observed_condition(_with_status(isvc, "True", url="http://x")), 1, later, [waiting])
    assert (ready["status"], ready["reason"]) == ("True", "InferenceServiceReady")
    assert ready["message"] == f"InferenceService spiraltoo-serve serves {MODEL} at http://x"
    assert ready["lastTransitionTime"] == "2026-11-25T11:00:00Z"
    again = serving_condition(observed_condition(_with_status(isvc, "True", url="http://x")), 1, NOW, [ready])
    assert again["lastTransitionTime"] == "2026-11-25T11:00:00Z"  # unchanged status keeps its time


def test_crd_takes_the_runtime_and_refuses_fields_that_do_not_apply() -> None:
    schema = version_schema(CRD, "v1alpha1")
    stored, errors = admit(schema, tweetbot(serving=KSERVE))
    assert errors == [] and stored["spec"]["serving"]["kserve"]["maxReplicas"] == 4
    stored, errors = admit(schema, tweetbot(serving={"enabled": True}))
    assert errors == [] and stored["spec"]["serving"]["runtime"] == "deployment"  # today's behaviour
    cases = {
        "serving.kserve applies only with serving.runtime: kserve": {"enabled": True, "kserve": {"args": []}},
        "serving.port applies only to serving.runtime: deployment": {"enabled": True, "runtime": "kserve",
                                                                     "port": 8000},
        "maxReplicas must be at least serving.replicas": {"enabled": True, "runtime": "kserve", "replicas": 3,
                                                          "kserve": {"maxReplicas": 2}},
        "Knative": {"enabled": True, "runtime": "knative"},
    }
    for expected, serving in cases.items():
        _, errors = admit(schema, tweetbot(serving=serving))
        assert errors and (expected == "Knative" or expected in errors[0]), (serving, errors)
        assert validate_spec(tweetbot(serving=serving)["spec"]) or expected.startswith("maxReplicas")
    assert serving_errors(KSERVE) == [] and serving_errors(None) == []


@pytest.mark.parametrize("mutate", [
    pytest.param(lambda p: p["model"]["modelFormat"].update(name=3), id="modelFormat-name-not-a-string"),
    pytest.param(lambda p: p["model"].pop("modelFormat") and p["model"].update(modelFormat="huggingface"),
                 id="modelFormat-not-an-object"),
    pytest.param(lambda p: p.update(minReplicas="two"), id="minReplicas-not-an-integer"),
    pytest.param(lambda p: p["model"]["modelFormat"].pop("name"), id="modelFormat-without-name"),
])
async def test_emulator_refuses_what_kserves_schema_refuses(api, client, mutate) -> None:
    install_kserve(api)
    isvc = build_inference_service(tweetbot(serving=KSERVE), MODEL, Settings())
    isvc["metadata"].pop("ownerReferences")
    created = await client.create(inferenceservices_path("default"), isvc)
    assert created["spec"]["predictor"]["model"]["storageUri"] == MODEL
    bad = copy.deepcopy(isvc)
    bad["metadata"]["name"] = "broken"
    mutate(bad["spec"]["predictor"])
    with pytest.raises(ApiError) as refused:
        await client.create(inferenceservices_path("default"), bad)
    assert refused.value.status == 422 and "spec.predictor" in refused.value.message
    assert api.read(INFERENCESERVICES, "default", "broken") is None


async def test_emulator_prunes_unknown_fields_and_404s_without_kserve(api, client) -> None:
    isvc = build_inference_service(tweetbot(serving=KSERVE), MODEL, Settings())
    isvc["metadata"].pop("ownerReferences")
    with pytest.raises(ApiError) as missing:
        await client.create(inferenceservices_path("default"), isvc)  # no CRD yet: the kind is not served
    assert missing.value.status == 404
    install_kserve(api)
    isvc["spec"]["predictor"]["model"]["notAField"] = True
    created = await client.create(inferenceservices_path("default"), isvc)
    assert "notAField" not in created["spec"]["predictor"]["model"]
    # status is x-kubernetes-preserve-unknown-fields in KServe's CRD: what KServe writes there stays.
    path = inferenceservices_path("default", "spiraltoo-serve") + "/status"
    patched = await client.merge_patch(path, {"status": {"url": "http://u", "somethingNew": {"a": 1}}})
    assert patched["status"] == {"url": "http://u", "somethingNew": {"a": 1}}


def test_the_example_becomes_an_inference_service_kserve_accepts() -> None:
    [example] = [d for d in yaml.safe_load_all((MANIFESTS / "examples" / "tweetbot-kserve.yaml").read_text()) if d]
    example["metadata"].update(namespace="bots", uid="0000", generation=1)
    stored, errors = admit(version_schema(CRD, "v1alpha1"), example)
    assert errors == [] and validate_spec(stored["spec"]) == []
    isvc = build_inference_service(stored, MODEL, Settings())
    assert kserve_errors(isvc) == []
    assert isvc["spec"]["predictor"]["serviceAccountName"] == "kserve-s3"


def test_a_held_status_keeps_what_serving_cleanup_reads() -> None:
    """An invalid spec (or a name taken) holds the run; the serving status and KServe's Serving condition stay,
    since they say which serving objects exist: dropped, a later `enabled: false` would never delete them."""
    from tweetbot_operator.training.status import invalid_status

    served = {"phase": "Succeeded", "modelURI": "s3://bots/spiraltoo/spiraltoo-g1/",
              "serving": {"url": "http://spiraltoo-serve.default.example.com", "modelURI": "s3://bots/x/",
                          "ready": True},
              "conditions": [{"type": "Ready", "status": "True", "reason": "Succeeded", "message": "",
                              "lastTransitionTime": "2026-11-25T10:00:00Z"},
                             {"type": "Serving", "status": "True", "reason": "Ready", "message": "KServe",
                              "lastTransitionTime": "2026-11-25T10:00:00Z"}]}
    tb = tweetbot(serving={"enabled": True, "runtime": "kserve"})
    tb["status"] = served
    held = invalid_status(tb, ["spec.users must not be empty"], datetime(2026, 11, 25, 12, tzinfo=UTC))
    assert held["serving"] == served["serving"] and had_kserve(held)
    assert held["phase"] == "Failed"
