"""CRDs the tests install into the emulator beside the TweetBot's: loading (plain or gzipped YAML, checked against
a pinned sha256) and installed with the emulator's `register_crd`, as `kubectl apply -f crd.yaml` would."""

from __future__ import annotations

import gzip
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

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


def install_kserve(api: Any) -> Any:
    """KServe's CRD in the emulator (KubernetesApi.register_crd: schema admission, the status subresource)."""
    return api.register_crd(kserve_crd())
