"""Where the model-building subcommands write: a local directory, or s3:// (built in a temporary one, uploaded)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def write_model_to(out: str, s3_endpoint: str | None, build: Callable[[Path], Any]) -> str:
    """Runs `build(directory)` for `out` and returns where the model now is."""
    from tweetbot_trainer.s3 import S3Uri, check_bucket, input_error_from, is_s3, make_client, upload_dir

    if not is_s3(out):
        build(Path(out))
        return out
    dest = S3Uri.parse(out).as_dir()
    client = make_client(s3_endpoint)
    check_bucket(client, dest)
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp))
        try:
            upload_dir(client, Path(tmp), dest)
        except Exception as exc:
            raise input_error_from(exc, str(dest)) from exc
    return str(dest)
