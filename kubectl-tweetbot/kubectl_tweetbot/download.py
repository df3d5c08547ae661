"""`kubectl tweetbot download`: a finished run's files from S3, as its manifest.json lists them, each checked
against the manifest's size and sha256 (boto3 only: the plugin does not install the trainer)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import Any

from kubectl_tweetbot.errors import TweetBotInputError

MANIFEST = "manifest.json"


def split_s3(uri: str) -> tuple[str, str]:
    """(bucket, key prefix ending in /) of an s3://bucket/prefix/ run URI."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    if not uri.startswith("s3://") or not bucket:
        raise TweetBotInputError("BadModelURI", f"{uri}: not an s3://bucket/prefix/ URI")
    key = key.strip("/")
    return bucket, key + "/" if key else ""


def _entries(body: bytes, uri: str) -> list[dict[str, Any]]:
    try:
        files = json.loads(body)["files"]
        for entry in files:
            parts = PurePosixPath(str(entry["path"])).parts
            if not parts or parts[0] == "/" or ".." in parts:
                raise ValueError("a file path leaves the run folder")
            int(entry["size"]), str(entry["sha256"])
    except (ValueError, KeyError, TypeError) as exc:
        raise TweetBotInputError("BadManifest", f"{uri}: manifest.json is not a run manifest ({exc})") from exc
    return list(files)


def _matches(path: Path, entry: dict[str, Any]) -> bool:
    if not path.is_file() or path.stat().st_size != int(entry["size"]):
        return False
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest() == entry["sha256"]


def download_run(uri: str, target: Path, s3_endpoint: str | None = None, client: Any = None) -> Path:
    """Downloads the files the manifest names (checkpoints and strays are skipped) into `target`, verified."""
    bucket, prefix = split_s3(uri)
    if client is None:
        import boto3  # lazy: `kubectl tweetbot get` never needs it

        client = boto3.client("s3", endpoint_url=s3_endpoint or None)
    try:
        body = client.get_object(Bucket=bucket, Key=prefix + MANIFEST)["Body"].read()
    except Exception as exc:
        code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
        if code in {"NoSuchKey", "404"}:
            raise TweetBotInputError("RunNotFinished", f"{uri}: no manifest.json (not a finished run)") from exc
        raise
    entries = _entries(body, uri)
    target.mkdir(parents=True, exist_ok=True)
    (target / MANIFEST).write_bytes(body)
    for entry in entries:
        dest = target / entry["path"]
        dest.parent.mkdir(parents=True, exist_ok=True)
        client.download_file(bucket, prefix + entry["path"], str(dest))
    bad = [e["path"] for e in entries if not _matches(target / e["path"], e)]
    if bad:
        raise TweetBotInputError("ManifestMismatch", f"{uri}: size or sha256 differs from manifest.json for "
                                 + ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else ""))
    return target
