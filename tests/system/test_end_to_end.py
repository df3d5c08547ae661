"""kubectl apply -> a trained model in S3, with every real part: operator, trainer, S3 (the API and kubelet
are the emulated ones in tests/support)."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.operator.factories import event_reasons_become, status_of
from tests.support.k8s_fixtures import eventually
from tests.support.s3server import S3Server
from tests.system.conftest import NS, apply_sample

pytestmark = pytest.mark.slow


async def test_tweetbot_trains_end_to_end(s3_server: S3Server, tiny_model_uri: str, cluster, client, operator,
                                          kubelet) -> None:
    s3 = s3_server.client()
    bucket = await apply_sample(s3_server, client, tiny_model_uri)

    await eventually(lambda: status_of(cluster, "sample").get("phase") == "Running", timeout=60)
    final = await eventually(lambda: status_of(cluster, "sample").get("phase") in {"Succeeded", "Failed"}
                             and status_of(cluster, "sample"), timeout=300, interval=0.5)
    assert final["phase"] == "Succeeded", (final, kubelet.errors)

    uid = cluster.read("tweetbot.io/v1alpha1/tweetbots", NS, "sample")["metadata"]["uid"]
    run_prefix = f"bots/sample/sample-{uid.replace('-', '')[:8]}-g1/"  # docs/design.md: <name>-<uid8>-g<gen>
    assert final["runId"] == run_prefix.split("/")[-2]
    assert final["modelURI"] == f"s3://{bucket}/{run_prefix}"
    assert final["stats"]["sample"]["kept"] > 0
    assert final["evalLoss"] < final.get("evalLossBefore", float("inf"))
    assert final["observedGeneration"] == 1
    assert {c["type"]: c["status"] for c in final["conditions"]}["Succeeded"] == "True"

    # The manifest is there, written last, and every file it lists is whole.
    manifest = json.loads(s3.get_object(Bucket=bucket, Key=run_prefix + "manifest.json")["Body"].read())
    for entry in manifest["files"]:
        data = s3.get_object(Bucket=bucket, Key=run_prefix + entry["path"])["Body"].read()
        assert len(data) == entry["size"] and hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert manifest["owner"] == {"namespace": NS, "name": "sample", "uid": uid}
    marker = json.loads(s3.get_object(Bucket=bucket, Key=run_prefix + "tweetbot-run.json")["Body"].read())
    assert marker == manifest["owner"]
    card = s3.get_object(Bucket=bucket, Key=run_prefix + "README.md")["Body"].read().decode()
    assert "@sample" in card

    await event_reasons_become(cluster, ["Starting", "Training", "TrainingSucceeded"], "sample")
    assert len(cluster.list_objects("batch/v1/jobs", NS)) == 1
