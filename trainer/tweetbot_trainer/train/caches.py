"""The trainer's caches on the model cache volume (the operator mounts it at /cache: the chart's
trainer.modelCacheClaim, an emptyDir without one), so that a warm node neither downloads nor compiles again:
the hub's downloads (HF_HOME), s3:// base models (`cached_s3_model`), torch.compile's inductor and Triton caches.

The root is TWEETBOT_CACHE_DIR (the trainer image sets /cache), else the folder above HF_HOME (the operator sets
/cache/huggingface), else none: s3:// models then go to the run's temporary folder, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

CACHE_ROOT_ENV = "TWEETBOT_CACHE_DIR"
COMPLETE = ".tweetbot-complete"  # written last into a cached model's folder: a folder without it is partial
# A cached s3:// model nobody used for this long goes when another is added (a warm-started bot's base model is
# its previous run's, a new one every run: without this the volume would fill).
UNUSED_SECONDS = 7 * 24 * 3600
MODELS_DIR = "tweetbot-models"


def cache_root(environ: Mapping[str, str] = os.environ) -> Path | None:
    if environ.get(CACHE_ROOT_ENV):
        return Path(environ[CACHE_ROOT_ENV])
    if environ.get("HF_HOME"):
        return Path(environ["HF_HOME"]).parent
    return None


def writable_root(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The cache root when its models folder can be written (else s3:// models go to the run's folder)."""
    root = cache_root(environ)
    if root is None:
        return None
    try:
        (root / MODELS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return root if os.access(root / MODELS_DIR, os.W_OK) else None


def compile_cache_defaults(environ: MutableMapping[str, str] = os.environ) -> None:
    """Inductor's and Triton's caches below the cache root where the environment names none (an image other
    than ours, run by the operator: its HF_HOME is on the volume); torch reads them when it first compiles."""
    root = cache_root(environ)
    if root is not None:
        environ.setdefault("TORCHINDUCTOR_CACHE_DIR", str(root / "torchinductor"))
        environ.setdefault("TRITON_CACHE_DIR", str(root / "triton"))


def listing_key(uri: str, objects: list[dict[str, Any]]) -> str:
    """A cached model's folder name: the prefix and every object's key, size and ETag (a model overwritten in
    place, or a warm start's new previous run, is another folder)."""
    listed = sorted((o["Key"], o.get("Size"), o.get("ETag")) for o in objects)
    return hashlib.sha256(json.dumps([uri, listed]).encode()).hexdigest()[:24]


def cached_s3_model(uri: str, objects: list[dict[str, Any]], root: Path,
                    download: Any, *, now: float | None = None) -> tuple[Path, bool]:
    """The folder of the model under `uri` (whose listing is `objects`) in the cache: (folder, True) when it was
    there; else `download(folder)` fills a new one, moved into place whole (concurrent runs on a shared volume
    each download, one keeps its copy). Returns (folder, False) then."""
    models = root / MODELS_DIR
    target = models / listing_key(uri, objects)
    if (target / COMPLETE).is_file():
        os.utime(target)  # used: not pruned
        return target, True
    models.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=models, prefix=".partial-"))
    try:
        download(partial)
        (partial / COMPLETE).write_text(uri + "\n")
        try:
            partial.rename(target)
        except OSError:  # another process's copy is there first
            if not (target / COMPLETE).is_file():
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    prune(models, keep=target, now=now)
    return target, False


def prune(models: Path, *, keep: Path, now: float | None = None) -> list[str]:
    """Removes cached models unused for UNUSED_SECONDS (and partial folders as old); returns their names."""
    now = time.time() if now is None else now
    removed = []
    for entry in models.iterdir():
        try:
            stale = entry != keep and now - entry.stat().st_mtime > UNUSED_SECONDS
        except OSError:
            continue
        if stale:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed
