"""spec.serving: the pure builders (a valid Deployment and Service, rolled to a new model, status.serving), the
CRD accepting the fields, and the real operator creating, rolling and removing the objects on the emulator."""

from __future__ import annotations

import copy

from tweetbot_operator.k8s.client import jobs_path, tweetbot_path
from tweetbot_operator.serving.deployment import build_deployment, build_service, needs_update, serving_status
from tweetbot_operator.serving.deployment_sync import deployments_path
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec.fields import run_spec_hash

from tests.deploy.render import all_errors
from tests.operator.factories import TB, events_of, status_of, succeed_job, tweetbot
from tests.support.k8s_fixtures import CRD, eventually
from tests.support.k8s_schema import admit, version_schema

SERVING = {"enabled": True, "replicas": 2, "port": 8080, "resources": {"cpu": "1", "memory": "3Gi"}}
MODEL = "s3://bots/spiraltoo/spiraltoo-g1/"


def test_deployment_and_service_are_valid_and_serve_the_model() -> None:
    tb = tweetbot(serving=SERVING, output={"s3": "s3://bots/spiraltoo/", "endpoint": "http://minio:9000",
                                           "credentialsSecret": {"name": "s3-creds"}})
    deployment, service = build_deployment(tb, MODEL, Settings()), build_service(tb)
    assert all_errors([deployment, service]) == []
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["tweetbot-serve"]
    assert container["args"][:2] == ["--model", MODEL] and "--s3-endpoint" in container["args"]
    assert {e["name"] for e in container["env"]} >= {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["resources"]["requests"] == {"cpu": "1", "memory": "3Gi"}
    assert deployment["spec"]["replicas"] == 2
    assert deployment["metadata"]["ownerReferences"][0]["kind"] == "TweetBot"
    assert service["spec"]["type"] == "ClusterIP" and service["spec"]["ports"][0]["port"] == 8080
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]


def test_pod_settings_and_the_ca_bundle_reach_the_serving_pods() -> None:
    """Issue 14: spec.podTemplate (over the chart's defaults) and output.caBundle apply to serving pods too."""
    template = {"serviceAccountName": "bots", "imagePullSecrets": [{"name": "regcred"}],
                "env": [{"name": "HTTPS_PROXY", "value": "http://proxy:3128"}], "labels": {"team": "ml"},
                "annotations": {"sidecar.istio.io/inject": "false"}, "runtimeClassName": "gvisor"}
    tb = tweetbot(serving=SERVING, podTemplate=template,
                  output={"s3": "s3://bots/spiraltoo/", "caBundle": {"name": "corp-ca", "key": "ca.crt"}})
    defaults = Settings(default_pod_template={"env": [{"name": "NO_PROXY", "value": ".svc"}],
                                              "labels": {"cost-center": "42"}})
    deployment = build_deployment(tb, MODEL, defaults)
    assert all_errors([deployment]) == []
    pod = deployment["spec"]["template"]
    spec, [container] = pod["spec"], pod["spec"]["containers"]
    assert spec["serviceAccountName"] == "bots" and spec["runtimeClassName"] == "gvisor"
    assert spec["imagePullSecrets"] == [{"name": "regcred"}]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["HTTPS_PROXY"] == "http://proxy:3128" and env["NO_PROXY"] == ".svc"
    assert env["AWS_CA_BUNDLE"].startswith("/") and any(v.get("configMap", {}).get("name") == "corp-ca"
                                                        for v in spec["volumes"])
    assert pod["metadata"]["labels"]["team"] == "ml" and pod["metadata"]["labels"]["cost-center"] == "42"
    assert pod["metadata"]["annotations"]["sidecar.istio.io/inject"] == "false"
    # The selector stays the operator's own labels: template labels never change which pods the Service finds.
    assert "team" not in deployment["spec"]["selector"]["matchLabels"]


def test_a_new_model_rolls_and_serving_does_not_start_a_new_run() -> None:
    tb = tweetbot(serving=SERVING)
    live = build_deployment(tb, MODEL, Settings())
    assert not needs_update(live, build_deployment(tb, MODEL, Settings()))
    assert needs_update(live, build_deployment(tb, "s3://bots/spiraltoo/spiraltoo-g2/", Settings()))
    assert run_spec_hash(tb["spec"]) == run_spec_hash({k: v for k, v in tb["spec"].items() if k != "serving"})


def test_serving_status_is_ready_only_with_a_ready_replica_of_the_model() -> None:
    tb = tweetbot(serving=SERVING)
    live = build_deployment(tb, MODEL, Settings())
    assert serving_status(tb, live) == {"url": "http://spiraltoo-serve.default.svc:8080", "modelURI": MODEL,
                                        "ready": False, "engine": "tweetbot"}
    live["status"] = {"updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2, "replicas": 2}
    assert serving_status(tb, live)["ready"] is True
    assert serving_status(tb, None) is None


def test_crd_accepts_serving_and_defaults_it() -> None:
    schema = version_schema(CRD, "v1alpha1")
    stored, errors = admit(schema, tweetbot(serving={"enabled": True}))
    assert errors == []
    # port's default (8000) is the operator's: a CRD default would refuse runtime kserve, where port does not apply
    assert stored["spec"]["serving"] == {"enabled": True, "runtime": "deployment", "replicas": 1}
    _, errors = admit(schema, tweetbot(serving={"enabled": True, "port": 80}))
    assert errors


def _deployment(cluster):
    return cluster.read("apps/v1/deployments", "default", "spiraltoo-serve")


async def test_operator_serves_rolls_and_stops(cluster, client, operator) -> None:
    body = copy.deepcopy(TB)
    body["spec"]["serving"] = {"enabled": True}
    await client.create(tweetbot_path("default"), body)
    await eventually(lambda: cluster.read("batch/v1/jobs", "default", "spiraltoo-g1"))
    assert _deployment(cluster) is None  # nothing to serve before a run succeeds
    await succeed_job(client, "spiraltoo-g1", MODEL)
    deployment = await eventually(lambda: _deployment(cluster))
    assert deployment["spec"]["template"]["spec"]["containers"][0]["args"][1] == MODEL
    service = await eventually(lambda: cluster.read("v1/services", "default", "spiraltoo-serve"))  # just after
    assert service["spec"]["ports"][0]["port"] == 8000
    serving = await eventually(lambda: status_of(cluster).get("serving"))
    assert serving == {"url": "http://spiraltoo-serve.default.svc:8000", "modelURI": MODEL, "ready": False,
                       "runtime": "deployment", "engine": "tweetbot"}

    # The Deployment becomes ready (its status, as the controller writes it): status.serving follows.
    await client.merge_patch(deployments_path("default", "spiraltoo-serve") + "/status", {"status": {
        "observedGeneration": deployment["metadata"].get("generation", 1), "updatedReplicas": 1,
        "readyReplicas": 1, "availableReplicas": 1, "replicas": 1}})
    await eventually(lambda: status_of(cluster).get("serving", {}).get("ready") is True)

    # A new run (a spec change) that succeeds: the Deployment rolls to its model.
    await client.merge_patch(tweetbot_path("default", "spiraltoo"), {"spec": {"training": {"epochs": 2}}})
    await eventually(lambda: cluster.read("batch/v1/jobs", "default", "spiraltoo-g2"))
    assert _deployment(cluster)["spec"]["template"]["spec"]["containers"][0]["args"][1] == MODEL  # still g1
    await succeed_job(client, "spiraltoo-g2", "s3://bots/spiraltoo/spiraltoo-g2/")
    await eventually(lambda: _deployment(cluster)["spec"]["template"]["spec"]["containers"][0]["args"][1]
                     == "s3://bots/spiraltoo/spiraltoo-g2/")
    await eventually(lambda: status_of(cluster).get("serving", {}).get("modelURI")
                     == "s3://bots/spiraltoo/spiraltoo-g2/")

    # Serving turned off: Deployment and Service go, status.serving too.
    await client.merge_patch(tweetbot_path("default", "spiraltoo"), {"spec": {"serving": {"enabled": False}}})
    await eventually(lambda: _deployment(cluster) is None and "serving" not in status_of(cluster))
    assert cluster.read("v1/services", "default", "spiraltoo-serve") is None
    reasons = [r for _, r, _ in events_of(cluster)]
    for reason in ("ServingStarted", "ServingReady", "ServingRolled", "ServingStopped"):
        assert reason in reasons, reasons
    assert await client.get(jobs_path("default", "spiraltoo-g2")) is not None  # serving never touched the runs


def test_serving_objects_get_service_names_for_any_tweetbot_name() -> None:
    """TweetBot names are DNS subdomains (dots, a leading digit); Service names (and KServe's) are DNS-1035 labels."""
    from tweetbot_operator.serving.deployment import serving_name
    from tweetbot_operator.serving.kserve import build_inference_service

    from tests.support.k8s_builtin import builtin_errors

    names = {}
    for name in ("1bot", "a.b", "a-b", "spiraltoo", "x" * 63):
        tb = tweetbot(name=name, serving=SERVING)
        service = build_service(tb)
        assert builtin_errors(service) == [], name
        assert serving_name(name) == service["metadata"]["name"] == build_deployment(tb, MODEL, Settings())[
            "metadata"]["name"] == build_inference_service(tb, MODEL, Settings())["metadata"]["name"]
        assert service["metadata"]["name"] in serving_url_of(tb)
        names[name] = service["metadata"]["name"]
    assert names["spiraltoo"] == "spiraltoo-serve" and names["a-b"] == "a-b-serve"  # valid names stay as they were
    assert len(set(names.values())) == len(names)


def serving_url_of(tb: dict) -> str:
    from tweetbot_operator.serving.deployment import serving_url

    return serving_url(tb)


async def test_serving_never_touches_a_deployment_or_service_it_does_not_own(cluster, client) -> None:
    """A Deployment and Service of the serving name that someone else made stay as they are: not patched to the
    bot's model, not deleted when serving is turned off."""
    import kopf
    from tweetbot_operator.k8s.client import Kube
    from tweetbot_operator.serving.dispatcher import sync_serving

    theirs = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "spiraltoo-serve"},
              "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "theirs"}}, "template": {
                  "metadata": {"labels": {"app": "theirs"}},
                  "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}
    await client.create(deployments_path("default"), theirs)
    await client.create("/api/v1/namespaces/default/services", {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "spiraltoo-serve"},
        "spec": {"selector": {"app": "theirs"}, "ports": [{"port": 80}]}})
    before = _deployment(cluster)
    tb = tweetbot(serving={"enabled": True})
    served = {"phase": "Succeeded", "modelURI": MODEL}
    kube = Kube(kopf.ConnectionInfo(server=cluster.url))
    events: list = []

    async def post(event) -> None:
        events.append(event)

    try:
        new = await sync_serving(kube, Settings(), tb, served, dict(served), post=post)
        assert "serving" not in new and [e.reason for e in events] == ["ServingConflict"]
        assert _deployment(cluster) == before
        tb["spec"]["serving"]["enabled"] = False
        await sync_serving(kube, Settings(), tb, {**served, "serving": {"modelURI": MODEL}}, dict(served), post=post)
    finally:
        await kube.close()
    assert _deployment(cluster) == before and cluster.read("v1/services", "default", "spiraltoo-serve") is not None
