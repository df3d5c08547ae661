"""S3 side of the trainer against the real SeaweedFS test server: managed uploads, manifests, delete,
tiny models stored in and loaded back from S3, and S3 errors that no retry fixes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from tweetbot_trainer.cli import main as cli_main
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.publish.manifest import build_manifest, verify_manifest, write_manifest
from tweetbot_trainer.s3 import S3Uri, check_bucket, make_client, upload_dir
from tweetbot_trainer.train.model_loading import fetch_model_dir, load_model_and_tokenizer

from tests.support.s3server import S3Server


def _keys(client: Any, bucket: str, prefix: str = "") -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []))


def test_upload_dir_multipart_and_manifest(
    tmp_path: Path, s3_bucket: str, s3_env: dict[str, str], s3_client: Any
) -> None:
    root = tmp_path / "run"
    (root / "data").mkdir(parents=True)
    (root / "data" / "stats.json").write_text("{}")
    (root / "model.safetensors").write_bytes(os.urandom(20 * 1024 * 1024))  # over the 16 MiB multipart threshold
    uploaded = upload_dir(make_client(), root, S3Uri.parse(f"s3://{s3_bucket}/bots/r-g1/"))
    assert uploaded == ["data/stats.json", "model.safetensors"]
    head = s3_client.head_object(Bucket=s3_bucket, Key="bots/r-g1/model.safetensors")
    assert head["ContentLength"] == 20 * 1024 * 1024
    assert head["ETag"].strip('"').endswith("-2")  # went up as two parts

    manifest = build_manifest(root, uploaded, "r-g1", created=0.0)
    assert [f["path"] for f in manifest["files"]] == uploaded
    write_manifest(root, manifest)
    assert verify_manifest(root, manifest) == []
    (root / "data" / "stats.json").write_text("{ }")
    assert verify_manifest(root, manifest) == ["data/stats.json"]


def test_delete_one_run_or_all(
    tmp_path: Path, s3_bucket: str, s3_env: dict[str, str], s3_client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in (
        "bots/a-g1/model.safetensors",
        "bots/a-g1/checkpoints/step-5/model.pt",
        "bots/a-g2/README.md",
        "other/keep.txt",
    ):
        s3_client.put_object(Bucket=s3_bucket, Key=key, Body=b"x")
    assert cli_main(["delete", "--output", f"s3://{s3_bucket}/bots/", "--run-id", "a-g1"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["objects"] == 2
    assert _keys(s3_client, s3_bucket) == ["bots/a-g2/README.md", "other/keep.txt"]
    assert cli_main(["delete", "--output", f"s3://{s3_bucket}/bots/", "--all"]) == 0
    assert _keys(s3_client, s3_bucket) == ["other/keep.txt"]
    # A whole bucket is never one TweetBot's output.
    assert cli_main(["delete", "--output", f"s3://{s3_bucket}/", "--all"]) == 2
    assert _keys(s3_client, s3_bucket) == ["other/keep.txt"]


def test_tiny_model_round_trips_through_s3(tmp_path: Path, s3_bucket: str, s3_env: dict[str, str]) -> None:
    uri = f"s3://{s3_bucket}/models/tiny/"
    assert cli_main(["make-tiny-model", "--out", uri, "--n-positions", "64"]) == 0
    local = fetch_model_dir(uri, tmp_path)
    model, tokenizer = load_model_and_tokenizer(local)
    assert model.config.n_layer == 2 and model.config.n_positions == 64
    assert model.config._attn_implementation == "sdpa"
    assert tokenizer("My dream is")["input_ids"] == [3666, 4320, 318]  # the real GPT-2 BPE
    with pytest.raises(TweetBotInputError, match=r"no config\.json"):
        fetch_model_dir(f"s3://{s3_bucket}/models/nothing-here/", tmp_path / "x")


def test_s3_errors_that_no_retry_fixes(
    s3_server: S3Server, s3_bucket: str, s3_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(TweetBotInputError) as missing:
        check_bucket(make_client(), S3Uri.parse("s3://no-such-bucket-tweetbot/x/"))
    assert missing.value.reason == "MissingBucket"
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
    with pytest.raises(TweetBotInputError) as bad:
        check_bucket(make_client(), S3Uri.parse(f"s3://{s3_bucket}/x/"))
    assert bad.value.reason in {"BadCredentials", "AccessDenied"}
    assert cli_main(["delete", "--output", f"s3://{s3_bucket}/bots/", "--all"]) == 2
