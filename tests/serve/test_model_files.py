"""--model s3://run/: the manifest's files are downloaded and checked before loading; a changed file, a run
without a manifest or a missing folder stop the server with a one-line error (exit code 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.s3 import S3Uri, upload_dir
from tweetbot_trainer.serve.model_files import resolve

from tests.serve.conftest import XSS
from tests.serve.http import call
from tests.serve.server import ServeProcess


def upload_run(client: Any, folder: Path, bucket: str, run_id: str) -> str:
    uri = S3Uri(bucket, f"bots/{run_id}/")
    upload_dir(client, folder, uri)
    client.put_object(Bucket=bucket, Key=f"bots/{run_id}/checkpoints/step-1/junk.bin", Body=b"not served")
    return str(uri)


def test_serves_a_run_from_s3(chain_folder: Path, s3_client: Any, s3_bucket: str, s3_env: dict[str, str],
                              tmp_path: Path) -> None:
    uri = upload_run(s3_client, chain_folder, s3_bucket, "chain-g1")
    server = ServeProcess(uri, "--cache-dir", str(tmp_path / "cache"), log=tmp_path / "serve.log").start()
    try:
        status, _, answer = call(server.url + "/v1/completions", {"prompt": "My dream is", "max_tokens": 40})
        assert status == 200 and answer["choices"][0]["text"] == XSS
    finally:
        server.stop()
    downloaded = {p.relative_to(tmp_path / "cache" / "chain-g1").as_posix()
                  for p in (tmp_path / "cache" / "chain-g1").rglob("*") if p.is_file()}
    assert "model.safetensors" in downloaded and not any(p.startswith("checkpoints/") for p in downloaded)


def test_changed_file_is_refused(chain_folder: Path, s3_client: Any, s3_bucket: str, s3_env: dict[str, str],
                                 tmp_path: Path) -> None:
    uri = upload_run(s3_client, chain_folder, s3_bucket, "tampered")
    s3_client.put_object(Bucket=s3_bucket, Key="bots/tampered/config.json", Body=b"{}")
    with pytest.raises(TweetBotInputError) as caught:
        resolve(uri, tmp_path)
    assert caught.value.reason == "ManifestMismatch" and "config.json" in caught.value.message
    done = subprocess.run([sys.executable, "-m", "tweetbot_trainer.serve", "--model", uri, "--cache-dir",
                           str(tmp_path / "cli")], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith(f"tweetbot-serve: error: {uri}: size or sha256 differs")


def test_unfinished_run_and_missing_folder(s3_client: Any, s3_bucket: str, s3_env: dict[str, str],
                                           tmp_path: Path) -> None:
    s3_client.put_object(Bucket=s3_bucket, Key="bots/half-g1/config.json", Body=b"{}")
    with pytest.raises(TweetBotInputError) as caught:
        resolve(f"s3://{s3_bucket}/bots/half-g1/", tmp_path)
    assert caught.value.reason == "RunNotFinished"
    with pytest.raises(TweetBotInputError) as caught:
        resolve(str(tmp_path / "nothing"), tmp_path)
    assert caught.value.reason == "ModelNotFound"


def test_local_folder_is_checked_too(chain_folder: Path, tmp_path: Path) -> None:
    import shutil

    copy = Path(shutil.copytree(chain_folder, tmp_path / "copy"))
    assert resolve(str(copy), tmp_path) == copy
    (copy / "generation_config.json").write_text("{}")
    with pytest.raises(TweetBotInputError) as caught:
        resolve(str(copy), tmp_path)
    assert caught.value.reason == "ManifestMismatch"
