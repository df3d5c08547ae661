"""`resources.gpus: 2` through the whole system: the operator's Job starts the trainer's launcher, which runs two
training processes (gloo on this CPU-only machine, as NCCL would on two GPUs) that train one model."""

from __future__ import annotations

import json

import pytest
from tweetbot_operator.k8s.client import tweetbot_path

from tests.operator.factories import status_of
from tests.support.k8s_fixtures import eventually
from tests.support.s3server import S3Server
from tests.system.conftest import NS, SAMPLE_ARCHIVE, s3_secret, tweetbot

pytestmark = pytest.mark.slow


async def test_two_gpus_train_one_model_with_two_processes(s3_server: S3Server, tiny_model_uri: str, cluster,
                                                           client, operator, kubelet) -> None:
    s3 = s3_server.client()
    bucket = s3_server.new_bucket("bots")
    s3.upload_file(str(SAMPLE_ARCHIVE), bucket, "archives/sample.js")
    await client.create(f"/api/v1/namespaces/{NS}/secrets", s3_secret(s3_server))
    body = tweetbot("duo", archive_uri=f"s3://{bucket}/archives/{{user}}.js", base_model=tiny_model_uri,
                    output=f"s3://{bucket}/bots/duo/", endpoint=s3_server.endpoint_url, maxSteps=6)
    body["spec"]["resources"] = {"gpus": 2}
    await client.create(tweetbot_path(NS), body)

    final = await eventually(lambda: status_of(cluster, "duo").get("phase") in {"Succeeded", "Failed"}
                             and status_of(cluster, "duo"), timeout=300, interval=0.5)
    assert final["phase"] == "Succeeded", (final, kubelet.errors)
    [job] = cluster.list_objects("batch/v1/jobs", NS)
    args = job["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args[args.index("--nproc-per-node") + 1] == "2"
    run_key = final["modelURI"].removeprefix(f"s3://{bucket}/")
    metrics = json.loads(s3.get_object(Bucket=bucket, Key=run_key + "metrics.json")["Body"].read())
    assert metrics["processes"] == 2 and metrics["steps"] == 6
