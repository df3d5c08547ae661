"""A takedown through every real part (issue 28, items 7 and 8): `kubectl tweetbot takedown sample` (the plugin's
entry point, as a cluster admin, against the emulated API server and the real S3 server) puts the handle on the
chart's blocked list, deletes the default namespace's TweetBot with its runs (model, checkpoints, cleaned posts)
though its deletionPolicy is Retain, and prints what it removed; the operator then stops the same handle's
running TweetBot in another namespace (HandleBlocked, its trainer SIGTERMed) and refuses a new one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from kubectl_tweetbot.cli import main as kubectl_tweetbot
from tweetbot_operator.k8s.client import tweetbot_path
from tweetbot_operator.training import blocked

from tests.operator.factories import condition_of, events_of, status_of
from tests.support.k8s_fixtures import eventually
from tests.support.local_kubelet import LocalKubelet
from tests.system.conftest import NS
from tests.system.test_run_lifecycle import TWEETBOTS, Bots, bots, ended, progressed  # noqa: F401 - bots

pytestmark = pytest.mark.slow
LIST = ("tweetbot-system", "tweetbot-blocked-handles")  # where the chart puts it (templates/blocked-handles.yaml)


def admin_kubeconfig(server: str, path: Path) -> Path:
    """A kubeconfig without the operator's token: the emulator's cluster admin (the person running takedown)."""
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "admin",
        "clusters": [{"name": "c", "cluster": {"server": server}}], "users": [{"name": "admin", "user": {}}],
        "contexts": [{"name": "admin", "context": {"cluster": "c", "user": "admin", "namespace": NS}}],
    }))
    return path


async def test_takedown_removes_a_handles_runs_and_the_operator_stops_and_refuses_its_bots(
    bots: Bots, cluster: Any, client: Any, operator: Any, kubelet: LocalKubelet, tmp_path: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(blocked.ENV, "/".join(LIST))  # the chart's TWEETBOT_BLOCKED_HANDLES
    await client.create("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": LIST[0]}})
    await client.create(f"/api/v1/namespaces/{LIST[0]}/configmaps", {
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": LIST[1], "namespace": LIST[0]},
        "data": {"handles": ""}})
    await bots.create("sample", maxSteps=4)  # deletionPolicy Retain (the default)
    # 50 epochs (maxSteps caps them): one pass is 151 steps (~20 s) and could end before the takedown
    await bots.create("longer", namespace="other", maxSteps=5000, epochs=50, batchSize=2, blockSize=32)
    done = await eventually(ended(cluster, "sample"), timeout=240, interval=0.5)
    assert done["phase"] == "Succeeded", (done, kubelet.errors)
    await eventually(progressed(kubelet, "longer-g1", 2), timeout=120, interval=0.3)
    run = done["runId"]
    assert {f"bots/{run}/model.safetensors", f"bots/{run}/data/posts.jsonl.gz"} <= bots.objects()

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", bots.server.access_key)  # the S3 credentials of the admin's shell
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", bots.server.secret_key)
    config = admin_kubeconfig(cluster.url, tmp_path / "admin-kubeconfig")
    code = kubectl_tweetbot(["takedown", "@Sample", "--kubeconfig", str(config),
                             "--blocked-configmap", "/".join(LIST)])
    report = capsys.readouterr().out
    assert code == 0, report
    assert "removed: @sample is on the blocked list" in report
    assert f"removed: {NS}/sample: run s3://{bots.bucket}/bots/{run}/" in report
    assert f"removed: TweetBot {NS}/sample" in report and "left:" not in report
    assert not any(key.startswith(f"bots/{run}/") for key in bots.objects())  # checkpoints and posts too
    await eventually(lambda: cluster.read(TWEETBOTS, NS, "sample") is None, timeout=30)
    assert cluster.read("v1/configmaps", *LIST)["data"]["handles"] == "sample\n"

    # The other namespace's TweetBot of the handle (not in the takedown's namespace) is stopped by the operator.
    stopped = await eventually(lambda: (s := status_of_in(cluster, "other")).get("phase") == "Failed" and s,
                               timeout=60, interval=0.3)
    assert condition_of(stopped, "Ready")["reason"] == "HandleBlocked"
    await eventually(lambda: cluster.read("batch/v1/jobs", "other", "longer-g1") is None, timeout=60)
    assert kubelet.stopped("longer-g1")
    assert "RunStopped" in [reason for _, reason, _ in events_in(cluster, "other")]

    # A new TweetBot of the handle is refused before any Job.
    await bots.create("again")
    refused = await eventually(lambda: status_of(cluster, "again").get("phase") == "Failed"
                               and status_of(cluster, "again"), timeout=30, interval=0.2)
    assert condition_of(refused, "Ready")["reason"] == "HandleBlocked"
    assert cluster.read("batch/v1/jobs", NS, "again-g1") is None
    assert "HandleBlocked" in [reason for _, reason, _ in events_of(cluster, "again")]
    await client.delete(tweetbot_path(NS, "again"))


def status_of_in(cluster: Any, namespace: str) -> dict[str, Any]:
    return (cluster.read(TWEETBOTS, namespace, "longer") or {}).get("status") or {}


def events_in(cluster: Any, namespace: str) -> list[tuple[str, str, str]]:
    return [(e["type"], e["reason"], e["message"]) for e in cluster.list_objects("v1/events", namespace)
            if e.get("involvedObject", {}).get("name") == "longer"]
