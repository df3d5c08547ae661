"""The whole system on loopback: the Kubernetes API (emulated), the real operator, a local kubelet running the
real trainer CLI for the operator's Jobs, and a real S3 server."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The operator tests' fixtures: emulator thread, kubeconfig login, API client, the real operator.
from tests.support.k8s_fixtures import client, cluster, kubeconfig, operator, server_url  # noqa: F401
from tests.support.local_kubelet import LocalKubelet
from tests.support.s3server import S3Server
from tests.support.serving_kubelet import ServingKubelet

NS = "default"
SAMPLE_ARCHIVE = Path(__file__).resolve().parents[2] / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"


def offline(node: LocalKubelet) -> Any:
    """The pods' environment: no hub, one thread each (many pods share the machine)."""
    node.extra_env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    return node


@pytest.fixture
def kubelet(cluster: Any, tmp_path: Path) -> Iterator[LocalKubelet]:  # noqa: F811 - the imported fixture
    node = offline(LocalKubelet(cluster.url, tmp_path / "kubelet", grace_seconds=20.0))
    with node:
        yield node


@pytest.fixture
def serving_kubelet(cluster: Any, tmp_path: Path) -> Iterator[ServingKubelet]:  # noqa: F811 - the imported fixture
    """The local kubelet that also runs Deployments (serving) as processes."""
    node = offline(ServingKubelet(cluster.url, tmp_path / "kubelet", grace_seconds=20.0))
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


async def apply_sample(s3_server: S3Server, kube: Any, base_model: str, **spec: Any) -> str:
    """The sample archive in a fresh bucket, the S3 Secret, and TweetBot "sample" (plus `spec`) applied;
    returns the bucket."""
    from tweetbot_operator.k8s.client import tweetbot_path

    bucket = s3_server.new_bucket("bots")
    s3_server.client().upload_file(str(SAMPLE_ARCHIVE), bucket, "archives/sample.js")
    await kube.create(f"/api/v1/namespaces/{NS}/secrets", s3_secret(s3_server))
    body = tweetbot("sample", archive_uri=f"s3://{bucket}/archives/{{user}}.js", base_model=base_model,
                    output=f"s3://{bucket}/bots/sample/", endpoint=s3_server.endpoint_url)
    body["spec"].update(spec)
    await kube.create(tweetbot_path(NS), body)
    return bucket
