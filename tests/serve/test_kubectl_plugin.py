"""`kubectl-tweetbot` (the official kubernetes client, the user's kubeconfig) against the Kubernetes API
emulator: get prints the table, logs the current run's trainer log, download the model checked against its
manifest, generate asks the served bot through the API server's service proxy (forwarded to a real
tweetbot-serve)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from tests.serve.conftest import API_KEY, XSS
from tests.serve.http import call
from tests.serve.server import ServeProcess
from tests.serve.test_model_files import upload_run
from tests.support.k8s_fixtures import cluster  # noqa: F401 - fixtures
from tests.support.local_kubelet import KubeHttp

NS = "default"
PLUGIN = Path(__file__).resolve().parents[2] / "kubectl-tweetbot"  # the package, from this checkout
TWEETBOTS = f"/apis/tweetbot.io/v1alpha1/namespaces/{NS}/tweetbots"


def plugin(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([str(PLUGIN), os.environ.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "kubectl_tweetbot.cli", *args], capture_output=True,
                          text=True, timeout=120, check=False, env={**os.environ, "PYTHONPATH": path, **(env or {})})


def tweetbot(name: str, status: dict[str, Any], endpoint: str = "") -> dict[str, Any]:
    return {"apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot", "metadata": {"name": name, "namespace": NS},
            "spec": {"users": ["chainbot"], "source": {"archive": {"uri": "s3://bots/a.zip"}},
                     "output": {"s3": "s3://bots/chain/", **({"endpoint": endpoint} if endpoint else {})}},
            "status": status}


@pytest.fixture
def user_kubeconfig(cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    """A user's kubeconfig (the operator's token is bound to the operator's RBAC, which has no service proxy)."""
    path = tmp_path / "user-kubeconfig"
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "user",
        "clusters": [{"name": "emulator", "cluster": {"server": cluster.url}}],
        "users": [{"name": "user", "user": {"token": "a-platform-engineers-token"}}],
        "contexts": [{"name": "user", "context": {"cluster": "emulator", "user": "user", "namespace": NS}}],
    }))
    monkeypatch.setenv("KUBECONFIG", str(path))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    return path


@pytest.fixture
def seeded(cluster, user_kubeconfig, chain_folder: Path, s3_client: Any, s3_bucket: str, s3_server: Any,  # noqa: F811
           served_chain: ServeProcess) -> dict[str, Any]:
    """Two TweetBots as the operator leaves them: one trained and served, one still training."""
    api = KubeHttp(cluster.url)
    model = upload_run(s3_client, chain_folder, s3_bucket, "chain-g1")
    served = {"phase": "Succeeded", "jobName": "chain-g1", "modelURI": model, "keptPosts": 10, "evalLoss": 3.25,
              "serving": {"url": "http://chain-serve.default.svc:8000", "modelURI": model, "ready": True}}
    for body, status in ((tweetbot("chain", {}, s3_server.endpoint_url), served),
                         (tweetbot("other", {}), {"phase": "Running", "jobName": "other-g1",
                                                  "progress": {"percent": 40.0}})):
        api.create(TWEETBOTS, {k: v for k, v in body.items() if k != "status"})
        api.merge_patch(f"{TWEETBOTS}/{body['metadata']['name']}/status", {"status": status})
    pod = api.create(f"/api/v1/namespaces/{NS}/pods", {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "chain-g1-abcde", "labels": {"batch.kubernetes.io/job-name": "chain-g1"}},
        "spec": {"containers": [{"name": "trainer", "image": "x"}]}})
    cluster.set_log(NS, pod["metadata"]["name"], '{"event": "phase", "phase": "train", "ts": 1}\n')
    labels = {"app.kubernetes.io/name": "tweetbot", "tweetbot.io/name": "chain"}
    api.create(f"/api/v1/namespaces/{NS}/services", {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "chain-serve"},
        "spec": {"selector": labels, "ports": [{"name": "http", "port": 8000, "targetPort": "http"}]}})
    assert cluster.api is not None
    cluster.api.service_backends = lambda ns, selector: served_chain.url if selector == labels else None
    return {"model": model}


def test_get_logs_download_generate(seeded: dict[str, Any], s3_env: dict[str, str], tmp_path: Path) -> None:
    table = plugin("get")
    assert table.returncode == 0, table.stderr
    header, first, second = table.stdout.splitlines()
    assert header.split() == ["NAME", "PHASE", "USERS", "KEPT", "LOSS", "QUALITY", "PROGRESS", "SERVING", "MODEL"]
    assert first.split() == ["chain", "Succeeded", "chainbot", "10", "3.250", "ready", seeded["model"]]
    assert second.split() == ["other", "Running", "chainbot", "40%"]

    logs = plugin("logs", "chain")
    assert logs.returncode == 0 and '"phase": "train"' in logs.stdout

    done = plugin("download", "chain", str(tmp_path / "model"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "model" / "model.safetensors").is_file()
    assert not (tmp_path / "model" / "checkpoints").exists()

    answer = plugin("generate", "chain", "My dream is")
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "My dream is" + XSS


def test_errors_are_one_line(seeded: dict[str, Any]) -> None:
    missing = plugin("logs", "nobody")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "kubectl tweetbot logs: error: nobody: the API server answered 404 Not Found"
    unserved = plugin("generate", "other", "hi")
    assert unserved.returncode == 2 and unserved.stderr.strip().startswith(
        "kubectl tweetbot generate: error: other is not served yet")
    nothing = plugin("download", "other", "/tmp/never")
    assert nothing.returncode == 2 and "no finished model yet" in nothing.stderr


def test_generate_points_at_kserve_for_a_bot_kserve_serves() -> None:
    """runtime kserve has no Service of the operator's to proxy to: the error names KServe's endpoint."""
    from kubectl_tweetbot.cli import build_parser, run
    from kubectl_tweetbot.errors import TweetBotInputError

    class Cluster:
        default_namespace = NS

        def tweetbot(self, namespace: str, name: str) -> dict[str, Any]:
            body = tweetbot(name, {"serving": {"url": "http://kb-serve.default.example.com", "ready": True}})
            body["spec"]["serving"] = {"enabled": True, "runtime": "kserve"}
            return body

    with pytest.raises(TweetBotInputError) as err:
        run(build_parser().parse_args(["generate", "kb", "My dream is"]), Cluster())
    assert err.value.message == ("kb is served by KServe: POST to "
                                 "http://kb-serve.default.example.com/openai/v1/completions (model kb)")


def test_generate_asks_the_service_that_status_serving_names() -> None:
    """The operator's Service name is derived (a DNS-1035 label: "1bot" and "a.b" are not): the plugin takes it
    from status.serving.url, never rebuilds it from the TweetBot's name."""
    from kubectl_tweetbot.cli import build_parser, run

    asked: list[tuple[str, str, str]] = []

    class Cluster:
        default_namespace = NS

        def tweetbot(self, namespace: str, name: str) -> dict[str, Any]:
            url = "http://n1bot-serve-0123abcd.default.svc:8000"
            return tweetbot(name, {"serving": {"url": url, "ready": True}})

        def post_to_service(self, namespace: str, service: str, path: str, body: dict[str, Any],
                            headers: dict[str, str]) -> Any:
            assert headers == {}  # no apiKeySecret: no key sent
            asked.append((namespace, service, path))
            return {"choices": [{"text": " to fly"}]}

    assert run(build_parser().parse_args(["generate", "1bot", "My dream is"]), Cluster()) == 0
    assert asked == [(NS, "n1bot-serve-0123abcd", "v1/completions")]


def test_generate_sends_the_key_of_spec_serving_api_key_secret(served_with_key: ServeProcess) -> None:
    """A bot served with a key: the plugin reads spec.serving.apiKeySecret's Secret with the user's credentials
    and sends the key as X-Api-Key, which the API server's proxy passes on (it keeps Authorization)."""
    from kubectl_tweetbot.cli import build_parser, run
    from kubectl_tweetbot.errors import TweetBotInputError

    read: list[tuple[str, str, str]] = []

    class Cluster:
        default_namespace = NS
        secret: ClassVar[dict[str, str]] = {"bot-key": API_KEY}

        def tweetbot(self, namespace: str, name: str) -> dict[str, Any]:
            body = tweetbot(name, {"serving": {"url": "http://chain-serve.default.svc:8000", "ready": True}})
            body["spec"]["serving"] = {"enabled": True, "apiKeySecret": {"name": "chain-serving", "key": "bot-key"}}
            return body

        def secret_value(self, namespace: str, name: str, key: str) -> str | None:
            read.append((namespace, name, key))
            return self.secret.get(key)

        def post_to_service(self, namespace: str, service: str, path: str, body: dict[str, Any],
                            headers: dict[str, str]) -> Any:
            status, _, answer = call(f"{served_with_key.url}/{path}", body, headers=headers)
            assert status == 200, answer
            return answer

    args = build_parser().parse_args(["generate", "chain", "My dream is"])
    assert run(args, Cluster()) == 0
    assert read == [(NS, "chain-serving", "bot-key")]
    Cluster.secret = {}
    with pytest.raises(TweetBotInputError) as err:
        run(args, Cluster())
    assert err.value.message == "spec.serving.apiKeySecret: Secret chain-serving has no key bot-key (or it is empty)"


def test_the_key_is_read_from_the_secret_with_the_users_credentials(cluster, user_kubeconfig: Path,  # noqa: F811
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    from kubectl_tweetbot.cluster import Cluster
    from kubectl_tweetbot.errors import TweetBotInputError
    from kubernetes.config import kube_config

    KubeHttp(cluster.url).create(f"/api/v1/namespaces/{NS}/secrets", {
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "chain-serving"},
        "data": {"bot-key": base64.b64encode(API_KEY.encode() + b"\n").decode()}})
    monkeypatch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(user_kubeconfig))  # read at import
    client = Cluster()
    assert client.secret_value(NS, "chain-serving", "bot-key") == API_KEY
    assert client.secret_value(NS, "chain-serving", "other") is None
    with pytest.raises(TweetBotInputError) as err:
        client.secret_value(NS, "missing", "bot-key")
    assert err.value.message == ("spec.serving.apiKeySecret: cannot read Secret missing: the API server answered "
                                 "404 Not Found")
