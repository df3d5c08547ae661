"""Session-wide fixtures shared by every test package."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.s3server import S3Server

REPO_ROOT = Path(__file__).resolve().parent.parent
# A checkout beside the shared fixtures has them at ../shared; a worktree elsewhere can name them in the env.
SHARED_FIXTURES = Path(os.environ.get("TWEETBOT_SHARED_FIXTURES") or REPO_ROOT.parent / "shared" / "fixtures")
LOCAL_FIXTURES = REPO_ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """One real SeaweedFS S3 server on loopback for the whole session."""
    server = S3Server(data_dir=tmp_path_factory.mktemp("seaweedfs"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory, s3_server: S3Server) -> Iterator[str]:
    """One real `mlflow server` (SQLite backend, artifacts proxied to a bucket of the test S3 server) on 127.0.0.1
    for the session (its start is the slow part): tests/trainer/test_tracking.py and tests/system. Each test
    module logs to experiments of its own."""
    from tests.fixtures.mlflow_server import MlflowServer

    bucket = s3_server.new_bucket("mlflow")
    env = {**s3_server.env(), "MLFLOW_S3_ENDPOINT_URL": s3_server.endpoint_url}
    with MlflowServer(tmp_path_factory.mktemp("mlflow"), f"s3://{bucket}/mlflow", env) as server:
        yield server.uri


@pytest.fixture
def s3_bucket(s3_server: S3Server) -> str:
    """A fresh, empty bucket on the session's S3 server."""
    return s3_server.new_bucket()


@pytest.fixture
def s3_client(s3_server: S3Server) -> Any:
    return s3_server.client()


@pytest.fixture
def s3_env(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Points boto3 in this process (and subprocesses that inherit os.environ) at the test server."""
    env = s3_server.env()
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    """../shared/fixtures when this checkout has it; tests that need it skip otherwise."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures is not present in this checkout")
    return SHARED_FIXTURES


@pytest.fixture(scope="session")
def local_fixtures() -> Path:
    """The small fixtures committed with the project."""
    return LOCAL_FIXTURES


@pytest.fixture(scope="session")
def tiny_model_uri(s3_server: S3Server) -> str:
    """A small GPT-2 (real GPT-2 tokenizer) built offline once and stored in S3, as a user's base model."""
    bucket = s3_server.new_bucket("models")
    uri = f"s3://{bucket}/tiny-gpt2/"
    subprocess.run([sys.executable, "-m", "tweetbot_trainer.cli", "make-tiny-model", "--out", uri,
                    "--n-layer", "2", "--n-embd", "64", "--n-head", "2", "--n-positions", "256"],
                   env={**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")}, **s3_server.env()},
                   check=True, capture_output=True)
    return uri
