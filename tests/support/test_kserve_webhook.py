"""KServe's validating webhook rule for deploymentMode in the emulator (kserve
pkg/apis/serving/v1beta1/inference_service_validation.go validateDeploymentMode, kserve issue 4798): once KServe
recorded the mode (Standard/Knative, the legacy RawDeployment/Serverless normalised), an update naming another
spelling or mode is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.crds import INFERENCESERVICES, install_kserve
from tests.support.k8s_emulator import EmulatorThread
from tests.support.kubelet_http import ApiError, KubeHttp

ISVCS = "/apis/serving.kserve.io/v1beta1/namespaces/a/inferenceservices"


def isvc(mode: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "m"}
    if mode is not None:
        meta["annotations"] = {"serving.kserve.io/deploymentMode": mode}
    return {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService", "metadata": meta,
            "spec": {"predictor": {"model": {"modelFormat": {"name": "huggingface"}, "storageUri": "s3://b/m/"}}}}


def annotate(http: KubeHttp, mode: str) -> Any:
    return http.merge_patch(ISVCS + "/m", {"metadata": {"annotations": {"serving.kserve.io/deploymentMode": mode}}})


def test_a_recorded_mode_refuses_the_legacy_name(bed: EmulatorThread, http: KubeHttp) -> None:
    bed.call(lambda api: install_kserve(api, controller=True))
    created = http.create(ISVCS, isvc("RawDeployment"))
    assert created["status"]["deploymentMode"] == "Standard"  # what KServe >= 0.16 records
    with pytest.raises(ApiError) as refused:
        annotate(http, "RawDeployment")  # what the operator writes back on every update
    status = json.loads(refused.value.body)
    assert refused.value.status == 403 and status["reason"] == "Forbidden"
    assert "deploymentMode cannot be changed from 'Standard' to 'RawDeployment'" in status["message"]
    assert annotate(http, "Standard")["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "Standard"
    with pytest.raises(ApiError):
        annotate(http, "Knative")
    http.merge_patch(ISVCS + "/m", {"metadata": {"annotations": None}})  # no annotation: allowed


def test_before_kserve_records_a_mode_any_update_passes(bed: EmulatorThread, http: KubeHttp) -> None:
    bed.call(install_kserve)
    http.create(ISVCS, isvc("Serverless"))
    assert annotate(http, "RawDeployment")  # status.deploymentMode empty: not reconciled yet
    http.merge_patch(ISVCS + "/m/status", {"status": {"deploymentMode": "Serverless"}})  # a legacy recording
    with pytest.raises(ApiError) as refused:
        annotate(http, "Serverless")
    assert "from 'Knative' to 'Serverless'" in refused.value.body
    assert bed.read(INFERENCESERVICES, "a", "m")["metadata"]["annotations"][  # type: ignore[index]
        "serving.kserve.io/deploymentMode"] == "RawDeployment"
