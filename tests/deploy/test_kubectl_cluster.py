"""kubectl-tweetbot with the real kubernetes client against the API emulator: --kubeconfig and --context pick the
cluster and namespace, `get -o json` prints the stored object, `logs -f` streams rank 0's log of a two-pod run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.deploy.render import REPO
from tests.support.k8s_fixtures import cluster  # noqa: F401 - fixtures
from tests.support.local_kubelet import KubeHttp

NS = "default"
INDEX = "batch.kubernetes.io/job-completion-index"


def plugin(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST")}
    env["PYTHONPATH"] = str(REPO / "kubectl-tweetbot")
    return subprocess.run([sys.executable, "-m", "kubectl_tweetbot", *args], capture_output=True, text=True,
                          timeout=60, check=False, env=env)


def test_logs_follow_rank_0_and_get_json(cluster, tmp_path: Path):  # noqa: F811
    config = tmp_path / "config"
    config.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "elsewhere",
        "clusters": [{"name": "emu", "cluster": {"server": cluster.url}},
                     {"name": "none", "cluster": {"server": "https://127.0.0.1:1"}}],
        "users": [{"name": "u", "user": {"token": "a-users-token"}}],
        "contexts": [{"name": "elsewhere", "context": {"cluster": "none", "user": "u"}},
                     {"name": "emu", "context": {"cluster": "emu", "user": "u", "namespace": NS}}]}))
    api = KubeHttp(cluster.url)
    tweetbots = f"/apis/tweetbot.io/v1alpha1/namespaces/{NS}/tweetbots"
    api.create(tweetbots, {"apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot", "metadata": {"name": "duo"},
                           "spec": {"users": ["a"], "source": {"archive": {"uri": "s3://bots/a.zip"}},
                                    "output": {"s3": "s3://bots/duo/"}}})
    api.merge_patch(f"{tweetbots}/duo/status", {"status": {"phase": "Running", "jobName": "duo-g1"}})
    for rank in ("1", "0"):
        labels = {"batch.kubernetes.io/job-name": "duo-g1", INDEX: rank}
        pod = api.create(f"/api/v1/namespaces/{NS}/pods", {
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"duo-g1-{rank}-abcde", "labels": labels},
            "spec": {"containers": [{"name": "trainer", "image": "x"}]}})
        cluster.set_log(NS, pod["metadata"]["name"], f'{{"event": "progress", "rank": {rank}}}\n')

    follow = plugin("logs", "-f", "duo", "--kubeconfig", str(config), "--context", "emu")
    assert follow.returncode == 0, follow.stderr
    assert follow.stdout == '{"event": "progress", "rank": 0}\n'
    assert plugin("--kubeconfig", str(config), "--context", "emu", "logs", "--rank", "1", "duo").stdout.endswith(
        '"rank": 1}\n')
    got = plugin("get", "duo", "-o", "json", "--kubeconfig", str(config), "--context", "emu")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["status"]["jobName"] == "duo-g1"
    wrong = plugin("get", "--kubeconfig", str(tmp_path / "missing"))
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1 and "kubeconfig" in wrong.stderr
