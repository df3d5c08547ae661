"""The served bot in the cluster (issue 23, item 3): an API key from a Secret the operator never reads, and the
Service's DNS names as the only Hosts tweetbot-serve answers besides IP addresses (DNS rebinding)."""

from __future__ import annotations

from tweetbot_operator.serving.deployment import API_KEY_ENV, build_deployment
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec.validation import validate_spec

from tests.operator.factories import SCHEMA, tweetbot
from tests.support.k8s_schema import admit

MODEL = "s3://bots/spiraltoo/spiraltoo-g1/"


def _container(tb):
    [container] = build_deployment(tb, MODEL, Settings())["spec"]["template"]["spec"]["containers"]
    return container


def test_the_key_reaches_the_server_by_reference_only():
    tb = tweetbot(serving={"enabled": True, "apiKeySecret": {"name": "bot-key", "key": "token"}})
    container = _container(tb)
    args = container["args"]
    assert args[args.index("--api-key-env") + 1] == API_KEY_ENV
    [env] = [e for e in container["env"] if e["name"] == API_KEY_ENV]
    assert env == {"name": API_KEY_ENV, "valueFrom": {"secretKeyRef": {"name": "bot-key", "key": "token",
                                                                       "optional": False}}}
    assert "--api-key-env" not in _container(tweetbot(serving={"enabled": True}))["args"]


def test_the_server_answers_the_services_names():
    args = _container(tweetbot(serving={"enabled": True}))["args"]
    hosts = args[args.index("--allowed-host") + 1:args.index("--allowed-host") + 5]
    assert hosts == ["spiraltoo-serve", "spiraltoo-serve.default", "spiraltoo-serve.default.svc",
                     "spiraltoo-serve.default.svc.cluster.local"]


def test_the_key_is_a_deployment_runtime_field():
    spec = tweetbot(serving={"enabled": True, "runtime": "kserve", "apiKeySecret": {"name": "k"}})["spec"]
    assert any("apiKeySecret applies only to serving.runtime: deployment" in e for e in validate_spec(spec))
    stored, errors = admit(SCHEMA, tweetbot(serving={"enabled": True, "apiKeySecret": {"name": "k"}}))
    assert errors == [] and stored["spec"]["serving"]["apiKeySecret"] == {"name": "k"}
