"""What platform teams ask of the chart: a PDB with peering, topology spread, NetworkPolicies that let a two-node
run and serving work (checked on the rendered objects against pods the operator itself builds), aggregated
ClusterRoles for edit/view, templated CRDs (crds.enabled, crds.keep), and a described values schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from tweetbot_operator.serving.deployment import build_deployment
from tweetbot_operator.settings import Settings
from tweetbot_operator.training.job import build_training_job

from tests.deploy.netpol import OUTSIDE, Pod, allows
from tests.deploy.render import CHART, CRD_FILE, MANIFESTS, by_kind, container_env, helm_template, load_all, one

PLATFORM = ("--set", "peering.enabled=true", "--set", "networkPolicy.enabled=true", "--set", "watchNamespaces={bots}",
            "--set", "trainer.s3Endpoint=http://minio.minio.svc:9000",
            "--set", "topologySpreadConstraints[0].maxSkew=1",
            "--set", "topologySpreadConstraints[0].topologyKey=kubernetes.io/hostname",
            "--set", "topologySpreadConstraints[0].whenUnsatisfiable=ScheduleAnyway")


@pytest.fixture(scope="module")
def platform() -> list[dict[str, Any]]:
    return helm_template(*PLATFORM)


def pod_of(template: dict[str, Any], namespace: str) -> Pod:
    ports = {p["name"]: p["containerPort"] for c in template["spec"]["containers"] for p in c.get("ports", [])}
    return Pod(namespace=namespace, labels=template["metadata"]["labels"], ports=ports)


@pytest.fixture(scope="module")
def pods(platform: list[dict[str, Any]]) -> dict[str, Pod]:
    """A two-node run's pods and a served bot, as the operator (configured by this render) builds them."""
    settings = Settings.from_env(container_env(one(platform, "Deployment")))
    tb = yaml.safe_load((MANIFESTS / "examples" / "tweetbot-multinode.yaml").read_text())
    tb["metadata"] |= {"namespace": "bots", "uid": "u1", "generation": 1}
    tb["spec"]["serving"] = {"enabled": True}
    job = build_training_job(tb, settings)
    assert job["spec"]["completions"] == 2
    trainer = pod_of(job["spec"]["template"], "bots")
    served = pod_of(build_deployment(tb, "s3://bots/run/", settings)["spec"]["template"], "bots")
    operator = pod_of(one(platform, "Deployment")["spec"]["template"], "tweetbot-system")
    return {"trainer": trainer, "served": served, "operator": operator,
            "other": Pod("bots", {"app": "something-else"}),
            "dns": Pod("kube-system", {"k8s-app": "kube-dns"}),
            "prometheus": Pod("monitoring", {"app": "prometheus"})}


def test_two_node_training_may_rendezvous_and_use_nccl(platform, pods):
    rank0 = rank1 = pods["trainer"]
    assert allows(platform, rank1, rank0, rank0.ports["rendezvous"])  # 29500
    assert allows(platform, rank1, rank0, 41234) and allows(platform, rank0, rank1, 50123)  # NCCL's own ports
    assert allows(platform, rank0, OUTSIDE, 443) and allows(platform, rank0, OUTSIDE, 9000)  # S3, MinIO
    assert allows(platform, rank0, pods["dns"], 53, "UDP")
    assert not allows(platform, pods["other"], rank0, 29500)  # nobody else joins the run
    assert not allows(platform, rank0, OUTSIDE, 22)


def test_serving_takes_requests_on_its_port_only(platform, pods):
    served = pods["served"]
    assert allows(platform, pods["other"], served, served.ports["http"])
    assert not allows(platform, pods["other"], served, 9999)


def test_operator_reaches_the_api_server_and_is_scraped(platform, pods):
    operator = pods["operator"]
    assert allows(platform, operator, OUTSIDE, 443) and allows(platform, operator, OUTSIDE, 6443)
    assert allows(platform, operator, pods["dns"], 53, "UDP")
    assert not allows(platform, operator, OUTSIDE, 80) and not allows(platform, operator, pods["trainer"], 29500)
    assert allows(platform, pods["prometheus"], operator, 9090) and allows(platform, pods["prometheus"], operator, 8080)
    assert not allows(platform, pods["prometheus"], operator, 1234)


def test_no_network_policy_unless_asked():
    assert not by_kind(helm_template("--set", "watchNamespaces={bots}"), "NetworkPolicy")


def test_pdb_and_topology_spread_with_peering(platform):
    pdb = one(platform, "PodDisruptionBudget")
    deployment = one(platform, "Deployment")
    assert pdb["spec"]["maxUnavailable"] == 1
    assert pdb["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    [spread] = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
    assert spread["labelSelector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    assert not by_kind(helm_template(), "PodDisruptionBudget")  # one replica: a PDB would block every drain


def test_edit_and_view_aggregate_tweetbots():
    objects = helm_template()
    roles = {r["metadata"]["name"]: r for r in by_kind(objects, "ClusterRole")}
    edit, view = roles["tb-tweetbot-operator-edit"], roles["tb-tweetbot-operator-view"]
    assert edit["metadata"]["labels"]["rbac.authorization.k8s.io/aggregate-to-edit"] == "true"
    assert view["metadata"]["labels"]["rbac.authorization.k8s.io/aggregate-to-view"] == "true"
    assert {"create", "delete", "patch"} <= set(edit["rules"][0]["verbs"])
    assert all(set(rule["verbs"]) <= {"get", "list", "watch"} for rule in view["rules"])


def test_templated_crds(platform):
    crds = {c["metadata"]["name"]: c for c in by_kind(helm_template(), "CustomResourceDefinition")}
    assert list(crds) == ["tweetbots.tweetbot.io"]  # kopf's peering CRDs only with peering on
    assert crds["tweetbots.tweetbot.io"]["metadata"]["annotations"] == {"helm.sh/resource-policy": "keep"}
    assert crds["tweetbots.tweetbot.io"]["spec"] == load_all(CRD_FILE.read_text())[0]["spec"]  # unchanged by Helm
    assert {c["metadata"]["name"] for c in by_kind(platform, "CustomResourceDefinition")} == {
        "tweetbots.tweetbot.io", "clusterkopfpeerings.kopf.dev", "kopfpeerings.kopf.dev"}
    assert not by_kind(helm_template("--set", "crds.enabled=false"), "CustomResourceDefinition")
    [loose] = by_kind(helm_template("--set", "crds.keep=false"), "CustomResourceDefinition")
    assert "annotations" not in loose["metadata"] or not loose["metadata"]["annotations"]


def test_every_value_is_described():
    schema = json.loads((CHART / "values.schema.json").read_text())
    missing: list[str] = []

    def walk(node: dict[str, Any], path: str) -> None:
        for key, sub in node.get("properties", {}).items():
            if "description" not in sub:
                missing.append(path + key)
            walk(sub, f"{path}{key}.")

    walk(schema, "")
    assert missing == []


def test_chart_metadata_for_artifact_hub():
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert chart["icon"].startswith("https://") and chart["home"] and chart["sources"]
    images = yaml.safe_load(chart["annotations"]["artifacthub.io/images"])
    assert {i["image"].rsplit(":", 1)[1] for i in images} == {chart["appVersion"]}
    assert {i["name"] for i in images} == {"operator", "trainer"}
