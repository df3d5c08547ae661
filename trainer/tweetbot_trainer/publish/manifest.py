"""manifest.json: every file of a finished run with its size and sha256. Written last: no manifest, no model."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
# Files of a finished run that are not part of the model itself (a run used as a base model skips them).
NOT_MODEL = ("checkpoints/", "data/", MANIFEST, "metrics.json", "predictions.json", "loss.png")


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def build_manifest(root: Path, rel_paths: Iterable[str], run_id: str, created: float) -> dict[str, Any]:
    files = [
        {"path": rel, "size": (root / rel).stat().st_size, "sha256": sha256_of(root / rel)}
        for rel in sorted(set(rel_paths))
        if rel != MANIFEST
    ]
    return {"runId": run_id, "created": created, "files": files}


def write_manifest(root: Path, manifest: dict[str, Any]) -> Path:
    path = root / MANIFEST
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    return path


def verify_manifest(root: Path, manifest: dict[str, Any]) -> list[str]:
    """The paths whose size or sha256 differ from the manifest (missing files included)."""
    bad = []
    for entry in manifest["files"]:
        path = root / entry["path"]
        if not path.is_file() or path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            bad.append(entry["path"])
    return bad
