"""The krew archive of kubectl-tweetbot and its manifest's sha256 (run at release, after sync_version.py).

    python scripts/krew_archive.py            # dist/kubectl-tweetbot-v<version>.tar.gz, sha256 into krew/tweetbot.yaml

The archive is reproducible (sorted entries, mtime 0, root-owned): the package, LICENSE, and a `kubectl-tweetbot`
launcher that runs it with the user's python3 (which needs `pip install kubernetes boto3`, the manifest's caveats).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import re
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "krew" / "tweetbot.yaml"
LAUNCHER = b"""#!/bin/sh
# kubectl-tweetbot from krew: the package beside this file, run by the user's python3.
here=$(dirname "$(readlink -f "$0")")
PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" exec python3 -m kubectl_tweetbot "$@"
"""


def _add(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), mode, 0
    tar.addfile(info, io.BytesIO(data))


def build(out_dir: Path) -> Path:
    version = (REPO / "VERSION").read_text().strip()
    package = REPO / "kubectl-tweetbot" / "kubectl_tweetbot"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        _add(tar, "kubectl-tweetbot", LAUNCHER, 0o755)
        _add(tar, "LICENSE", (REPO / "LICENSE").read_bytes())
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                _add(tar, f"kubectl_tweetbot/{path.relative_to(package).as_posix()}", path.read_bytes())
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"kubectl-tweetbot-v{version}.tar.gz"
    archive.write_bytes(gzip.compress(raw.getvalue(), mtime=0))
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="folder for the archive (default: dist/)")
    args = parser.parse_args(argv)
    archive = build(args.out)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    MANIFEST.write_text(re.sub(r"sha256: [0-9a-f]{64}", f"sha256: {digest}", MANIFEST.read_text()))
    print(f"{archive}: sha256 {digest} (written into {MANIFEST.relative_to(REPO)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
