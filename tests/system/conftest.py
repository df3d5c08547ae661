"""The whole system on loopback: the Kubernetes API (emulated), the real operator, a local kubelet running the
real trainer CLI for the operator's Jobs, and a real S3 server."""

from __future__ import annotations

import base64
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The operator tests' fixtures: emulator thread, kubeconfig login, API client, the real operator.
from tests.operator.conftest import client, cluster, kubeconfig, operator, server_url  # noqa: F401
from tests.support.local_kubelet import LocalKubelet
from tests.support.s3server import S3Server

NS = "default"
SAMPLE_ARCHIVE = Path(__file__).resolve().parents[2] / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"


@pytest.fixture(scope="session")
def tiny_model_uri(s3_server: S3Server) -> str:
    """A small GPT-2 (real GPT-2 tokenizer) built offline once and stored in S3, as a user's base model."""
    bucket = s3_server.new_bucket("models")
    uri = f"s3://{bucket}/tiny-gpt2/"
    subprocess.run([sys.executable, "-m", "tweetbot_trainer.cli", "make-tiny-model", "--out", uri,
                    "--n-layer", "2", "--n-embd", "64", "--n-head", "2", "--n-positions", "256"],
                   env={**_base_env(), **s3_server.env()}, check=True, capture_output=True)
    return uri


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}


@pytest.fixture
def kubelet(cluster: Any, tmp_path: Path) -> Iterator[LocalKubelet]:  # noqa: F811 - the imported fixture
    node = LocalKubelet(cluster.url, tmp_path / "kubelet", grace_seconds=20.0)
    node.extra_env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    with node:
        yield node


def secret(name: str, data: dict[str, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": NS},
            "type": "Opaque", "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}}


def s3_secret(server: S3Server, name: str = "s3-creds") -> dict[str, Any]:
    return secret(name, {"AWS_ACCESS_KEY_ID": server.access_key, "AWS_SECRET_ACCESS_KEY": server.secret_key})


def tweetbot(name: str, *, archive_uri: str, base_model: str, output: str, endpoint: str,
             **training: Any) -> dict[str, Any]:
    """A TweetBot as a user writes it, sized to train in seconds on a CPU."""
    return {
        "apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "users": ["sample"],
            "source": {"archive": {"uri": archive_uri}},
            "baseModel": base_model,
            "output": {"s3": output, "endpoint": endpoint, "credentialsSecret": {"name": "s3-creds"}},
            "training": {"epochs": 1, "blockSize": 64, "batchSize": 8, "learningRate": 2e-3,
                         "precision": "fp32", "maxSteps": 12, **training},
            "resources": {"gpus": 0},
            "backoffLimit": 2,
        },
    }
