"""Checks of a run folder in S3 as the trainer leaves it: what the tests that break things assert at the end."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def keys(client: Any, bucket: str, prefix: str) -> set[str]:
    paginator = client.get_paginator("list_objects_v2")
    return {o["Key"][len(prefix):] for page in paginator.paginate(Bucket=bucket, Prefix=prefix)
            for o in page.get("Contents", [])}


def assert_complete_run(client: Any, bucket: str, prefix: str) -> dict[str, Any]:
    """manifest.json exists and every file it lists is in S3 with its size and sha256; nothing is left out."""
    manifest = json.loads(client.get_object(Bucket=bucket, Key=prefix + "manifest.json")["Body"].read())
    listed = {entry["path"] for entry in manifest["files"]}
    assert {"model.safetensors", "config.json", "README.md", "metrics.json", "data/stats.json"} <= listed
    for entry in manifest["files"]:
        data = client.get_object(Bucket=bucket, Key=prefix + entry["path"])["Body"].read()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"]), entry["path"]
    stored = {k for k in keys(client, bucket, prefix) if not k.startswith("checkpoints/")}
    assert stored == listed | {"manifest.json"}
    assert not any(k.startswith("checkpoints/") for k in keys(client, bucket, prefix))  # removed when finished
    return manifest
