"""Where the served files come from: a local run folder, or an s3:// run downloaded file by file from its
manifest.json and checked against the manifest's sha256s before anything is loaded."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.publish.manifest import MANIFEST, verify_manifest
from tweetbot_trainer.s3 import S3Uri, input_error_from, is_s3, make_client, transfer_config
from tweetbot_trainer.train.lora import ADAPTER_DIR


def _safe_relative(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not PurePosixPath(path).is_absolute() and ".." not in parts


def read_manifest(text: str, where: str) -> dict[str, Any]:
    try:
        manifest = json.loads(text)
        files = manifest["files"]
        if not all(isinstance(f, dict) and _safe_relative(str(f["path"])) for f in files):
            raise ValueError("a file path leaves the run folder")
    except (ValueError, KeyError, TypeError) as exc:
        raise TweetBotInputError("BadManifest", f"{where}: manifest.json is not a run manifest ({exc})") from exc
    return dict(manifest)


def _check(root: Path, manifest: dict[str, Any], where: str) -> None:
    bad = verify_manifest(root, manifest)
    if bad:
        raise TweetBotInputError("ManifestMismatch", f"{where}: size or sha256 differs from manifest.json for "
                                 + ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else ""))


def is_adapter_run(folder: Path) -> bool:
    """A LoRA run published without its merged model (`merge: false`): only adapter/, served on its base."""
    return not (folder / "config.json").is_file() and (folder / ADAPTER_DIR / "adapter_config.json").is_file()


def local_run(folder: Path, adapter_ok: bool = False) -> Path:
    """A run folder on disk; checked against its manifest when it has one (a bare model folder has none).
    An adapter-only run is accepted where its base model is served elsewhere (`adapter_ok`: vLLM upstream)."""
    if is_adapter_run(folder) and not adapter_ok:
        raise TweetBotInputError("AdapterOnlyRun", f"{folder}: the run has only a LoRA adapter (adapter/), no "
                                 "merged model: serve it with vLLM (serving.engine: vllm) or train with merge on")
    if not (folder / "config.json").is_file() and not is_adapter_run(folder):
        raise TweetBotInputError("ModelNotFound", f"{folder}: no config.json (not a model folder)")
    if (folder / MANIFEST).is_file():
        _check(folder, read_manifest((folder / MANIFEST).read_text(), str(folder)), str(folder))
    return folder


def download_run(uri: str, target: Path, s3_endpoint: str | None = None, client: Any = None) -> Path:
    """Downloads the files the run's manifest names (checkpoints and strays are skipped) and verifies them."""
    run = S3Uri.parse(uri).as_dir()
    client = client or make_client(s3_endpoint)
    try:
        body = client.get_object(Bucket=run.bucket, Key=run.child(MANIFEST).key)["Body"].read()
    except Exception as exc:
        mapped = input_error_from(exc, uri)
        if mapped is not exc:
            raise mapped from exc
        code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
        if code in {"NoSuchKey", "404"}:
            raise TweetBotInputError("RunNotFinished", f"{uri}: no manifest.json (not a finished run)") from exc
        raise
    manifest = read_manifest(body.decode("utf-8", "replace"), uri)
    target.mkdir(parents=True, exist_ok=True)
    (target / MANIFEST).write_bytes(body)
    config = transfer_config()
    for entry in manifest["files"]:
        dest = target / entry["path"]
        dest.parent.mkdir(parents=True, exist_ok=True)
        client.download_file(run.bucket, run.child(entry["path"]).key, str(dest), Config=config)
    _check(target, manifest, uri)
    return target


def resolve(spec: str, cache_dir: Path, s3_endpoint: str | None = None, adapter_ok: bool = False) -> Path:
    """The local, verified folder to load for `--model`."""
    if is_s3(spec):
        name = S3Uri.parse(spec).as_dir().key.rstrip("/").rsplit("/", 1)[-1] or "run"
        return local_run(download_run(spec, cache_dir / name, s3_endpoint), adapter_ok)
    folder = Path(spec)
    if not folder.is_dir():
        raise TweetBotInputError("ModelNotFound", f"{spec}: no such folder (give a run folder or s3://bucket/run/)")
    return local_run(folder, adapter_ok)
