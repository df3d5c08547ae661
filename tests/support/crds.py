"""CRDs the tests install into the emulator beside the TweetBot's: loading (plain or gzipped YAML, checked against
a pinned sha256) and installed with the emulator's `register_crd`, as `kubectl apply -f crd.yaml` would."""

from __future__ import annotations

import gzip
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import kmock
import yaml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# KServe v0.16.0's InferenceService CRD (tests/fixtures/kserve/PROVENANCE.md).
KSERVE_CRD_FILE = FIXTURES / "kserve" / "serving.kserve.io_inferenceservices.yaml.gz"
KSERVE_CRD_SHA256 = "7b57068f8bb0baa394c14bef83421a53a7be8e13335c31a4e55e32d9f549adb0"
INFERENCESERVICES = "serving.kserve.io/v1beta1/inferenceservices"


def load_crd_file(path: Path, sha256: str | None = None) -> dict[str, Any]:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    if sha256 is not None and hashlib.sha256(raw).hexdigest() != sha256:
        raise AssertionError(f"{path} is not the vendored file (sha256 differs; see its PROVENANCE.md)")
    crd = yaml.safe_load(raw)
    assert crd.get("kind") == "CustomResourceDefinition", path
    return dict(crd)


@cache
def kserve_crd() -> dict[str, Any]:
    return load_crd_file(KSERVE_CRD_FILE, KSERVE_CRD_SHA256)


def kserve_schema() -> dict[str, Any]:
    [version] = [v for v in kserve_crd()["spec"]["versions"] if v["name"] == "v1beta1"]
    return dict(version["schema"]["openAPIV3Schema"])


def install_kserve(api: Any, controller: bool = False) -> Any:
    """KServe's CRD in the emulator (KubernetesApi.register_crd: schema admission, the status subresource) and its
    validating webhook's deploymentMode rule. `controller=True`: a new InferenceService gets the
    `status.deploymentMode` KServe's controller records on its first reconcile (ParseDeploymentMode of the
    annotation, Standard without one); off by default, as tests that play KServe write its status themselves."""
    res = api.register_crd(kserve_crd())
    api.validators.append(lambda r, old, new: r == res and kserve_validate_update(old, new))
    if controller:
        api.validators.append(lambda r, old, new: r == res and old is None and record_deployment_mode(new))
    return res


# kserve pkg/constants/constants.go: the legacy deployment modes and what ParseDeploymentMode makes of them.
LEGACY_MODES = {"RawDeployment": "Standard", "Serverless": "Knative"}
DEPLOYMENT_MODE = "serving.kserve.io/deploymentMode"
KSERVE_WEBHOOK = "inferenceservice.kserve-webhook-server.validator"


def parse_deployment_mode(mode: str) -> str:
    return LEGACY_MODES.get(mode, mode) if mode else "Standard"


def record_deployment_mode(isvc: dict[str, Any]) -> None:
    annotations = isvc.get("metadata", {}).get("annotations") or {}
    isvc.setdefault("status", {})["deploymentMode"] = parse_deployment_mode(annotations.get(DEPLOYMENT_MODE, ""))


def kserve_validate_update(old: dict[str, Any] | None, new: dict[str, Any]) -> None:
    """kserve pkg/apis/serving/v1beta1/inference_service_validation.go ValidateUpdate -> validateDeploymentMode
    (kserve >= 0.16, kserve issue 4798): once the controller recorded status.deploymentMode, the annotation may only
    name that mode, in its current spelling (a recorded Standard refuses `RawDeployment`). The webhook's denial
    reaches the client as 403 Forbidden (controller-runtime admission.Denied)."""
    if old is None or new.get("metadata", {}).get("deletionTimestamp"):
        return
    recorded = (old.get("status") or {}).get("deploymentMode")
    if not recorded:
        return  # not reconciled yet: nothing to protect
    mode = parse_deployment_mode(recorded)
    annotation = (new.get("metadata", {}).get("annotations") or {}).get(DEPLOYMENT_MODE)
    if annotation is not None and annotation != mode:
        raise kmock.KubernetesError(status=403, reason="Forbidden", message=(
            f'admission webhook "{KSERVE_WEBHOOK}" denied the request: update rejected: deploymentMode cannot be '
            f"changed from '{mode}' to '{annotation}'"))
