"""manifests/: `kubectl kustomize` renders, every object validates offline, least privilege, examples."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec.validation import validate_spec
from tweetbot_operator.training.job import build_training_job

from tests.deploy.render import (
    CRD_FILE,
    MANIFESTS,
    REPO,
    all_errors,
    by_kind,
    container_env,
    custom_resource_errors,
    known_crd_schemas,
    kustomize,
    one,
    pod_security_problems,
    rbac_problems,
    rbac_rules,
)
from tests.support.k8s_schema import admit

EXAMPLES = sorted((MANIFESTS / "examples").glob("*.yaml"))
TWEETBOT = ("tweetbot.io/v1alpha1", "TweetBot")

# What the operator needs, and nothing more (see manifests/rbac.yaml for why each is there).
EXPECTED_RULES = {
    ("tweetbot.io", "tweetbots"): {"get", "list", "watch", "patch"},
    ("tweetbot.io", "tweetbots/status"): {"patch"},
    ("tweetbot.io", "tweetbots/finalizers"): {"update"},  # OwnerReferencesPermissionEnforcement
    ("", "secrets"): {"get"},  # the opt-in label of the Secrets a TweetBot names (metadata only)
    ("kueue.x-k8s.io", "workloads"): {"list", "patch"},  # suspending a Kueue-managed Job
    ("batch", "jobs"): {"get", "list", "watch", "create", "delete", "patch"},
    ("apps", "deployments"): {"get", "list", "watch", "create", "delete", "patch"},  # spec.serving
    ("", "services"): {"get", "create", "delete"},
    ("serving.kserve.io", "inferenceservices"): {"get", "list", "watch", "create", "delete", "patch"},  # kserve
    ("", "pods"): {"list"},
    ("", "pods/log"): {"get"},
    ("", "events"): {"create", "list", "watch"},
    ("apiextensions.k8s.io", "customresourcedefinitions"): {"get", "list", "watch"},
    ("", "configmaps"): {"get"},  # only tweetbot-blocked-handles (resourceNames), in the operator's namespace
}


def rule_map(objects: list[dict[str, Any]]) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for _, _, rule in rbac_rules(objects):
        for group in rule["apiGroups"]:
            for resource in rule["resources"]:
                out.setdefault((group, resource), set()).update(rule["verbs"])
    return out


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    return kustomize(MANIFESTS)


@pytest.fixture(scope="module")
def with_peering(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The peering Component used the documented way: from an overlay of the user's own."""
    overlay = tmp_path_factory.mktemp("overlay")
    base = os.path.relpath(MANIFESTS, overlay)
    (overlay / "kustomization.yaml").write_text(yaml.safe_dump({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": [base],
        "components": [f"{base}/peering"],
    }))
    return kustomize(overlay)


def test_kustomize_renders_the_whole_install(rendered):
    kinds = sorted(o["kind"] for o in rendered)
    assert kinds == sorted([
        "CustomResourceDefinition", "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding",
        "Deployment", "Service", "ConfigMap", "Role", "RoleBinding",  # the blocked handles list, readable
    ])
    crd = one(rendered, "CustomResourceDefinition")
    source = yaml.safe_load(CRD_FILE.read_text())
    assert crd["spec"] == source["spec"], "kustomize must ship the CRD from manifests/crd/ unchanged"
    namespaced = [o for o in rendered if o["kind"] in ("ServiceAccount", "Deployment", "Service")]
    assert {o["metadata"]["namespace"] for o in namespaced} == {"tweetbot-system"}


def test_every_rendered_object_validates(rendered):
    assert all_errors(rendered) == []


def test_validation_is_not_vacuous(rendered):
    deployment = copy.deepcopy(one(rendered, "Deployment"))
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["prot"] = 8080
    deployment["spec"]["replicas"] = "one"
    assert len(all_errors([deployment])) >= 2


def test_rbac_is_least_privilege(rendered):
    assert rbac_problems(rendered) == []
    assert rule_map(rendered) == EXPECTED_RULES
    binding = one(rendered, "ClusterRoleBinding")
    sa = one(rendered, "ServiceAccount")
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": sa["metadata"]["name"], "namespace": "tweetbot-system"}
    ]
    deployment = one(rendered, "Deployment")
    assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == sa["metadata"]["name"]


def test_operator_deployment(rendered):
    deployment = one(rendered, "Deployment")
    assert pod_security_problems(deployment) == []
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}  # never two operators without peering
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert re.fullmatch(r"ghcr\.io/tweetbot/operator:\d+\.\d+\.\d+", container["image"])
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"health": 8080, "metrics": 9090}
    env = container_env(deployment)
    assert env["TWEETBOT_HEALTH_PORT"] == "8080" and env["TWEETBOT_METRICS_PORT"] == "9090"
    assert env["TWEETBOT_WATCH_NAMESPACES"] == ""
    service = one(rendered, "Service")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "metrics"


def test_operator_env_is_the_documented_settings(rendered):
    documented = set(re.findall(r"^\| `(TWEETBOT_[A-Z0-9_]+|POD_ID)`", (REPO / "docs" / "design.md").read_text(), re.M))
    env = container_env(one(rendered, "Deployment"))
    assert documented, "docs/design.md lists the operator settings"
    assert set(env) <= documented
    settings = Settings.from_env(env)  # the operator accepts every value
    assert settings.watch_namespaces == () and settings.default_gpus == 1 and settings.health_port == 8080


def test_peering_component(with_peering):
    assert all_errors(with_peering) == []
    deployment = one(with_peering, "Deployment")
    assert deployment["spec"]["replicas"] == 2
    assert deployment["spec"]["strategy"]["type"] == "RollingUpdate"
    assert not by_kind(with_peering, "ClusterKopfPeering")  # the operator creates it: one `kubectl apply -k`
    assert container_env(deployment)["TWEETBOT_PEERING"] == "tweetbot"
    rules = rule_map(with_peering)
    assert rules.pop(("kopf.dev", "clusterkopfpeerings")) == {"get", "list", "watch", "patch", "create"}
    assert rules.pop(("rbac.authorization.k8s.io", "clusterroles")) == {"get"}  # its owner's uid (resourceNames)
    assert container_env(deployment)["TWEETBOT_PEERING_OWNER"] == "tweetbot-operator-peering"
    assert rules == EXPECTED_RULES
    assert rbac_problems(with_peering) == []
    assert {o["metadata"]["name"] for o in by_kind(with_peering, "CustomResourceDefinition")} >= {
        "clusterkopfpeerings.kopf.dev", "kopfpeerings.kopf.dev"}


# ---------------------------------------------------------------------------------------------- examples


def load_example(path: Path) -> dict[str, Any]:
    [doc] = [d for d in yaml.safe_load_all(path.read_text()) if d]
    return doc


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_validates_against_the_crd(path: Path):
    tweetbot = load_example(path)
    assert (tweetbot["apiVersion"], tweetbot["kind"]) == TWEETBOT
    assert custom_resource_errors(known_crd_schemas()[TWEETBOT], tweetbot) == []
    assert path.read_text().startswith("#"), "each example explains itself in a leading comment"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_becomes_a_valid_training_job(rendered, path: Path):
    """Stored as the API server would (defaults applied), each example passes the operator's own checks and
    becomes a Job that validates, with Secrets passed by reference only."""
    tweetbot = load_example(path)
    tweetbot["metadata"].update(namespace="bots", uid="0000", generation=1)
    stored, errors = admit(known_crd_schemas()[TWEETBOT], tweetbot)
    assert errors == [] and validate_spec(stored["spec"]) == []
    job = build_training_job(stored, Settings.from_env(container_env(one(rendered, "Deployment"))))
    assert all_errors([job]) == []
    env = job["spec"]["template"]["spec"]["containers"][0].get("env", [])
    assert all("value" in e or "secretKeyRef" in e.get("valueFrom", {}) for e in env)


def test_examples_cover_every_source_and_several_users():
    examples = [load_example(p) for p in EXAMPLES]
    sources = {kind for e in examples for kind in e["spec"]["source"]}
    assert sources == {"archive", "xApi", "mastodon", "bluesky", "file"}
    assert any(len(e["spec"]["users"]) > 1 for e in examples)
    names = [e["metadata"]["name"] for e in examples]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda s: s.update(users=["a", "b", "c", "d"]), id="four-users"),
        pytest.param(lambda s: s["source"].update(file={"uri": "s3://b/x.jsonl"}), id="two-sources"),
        pytest.param(lambda s: s["source"]["archive"].update(uri="s3://bots/archives/one.zip"),
                     id="several-users-one-archive"),
        pytest.param(lambda s: s.update(deletionPolicy="Shred"), id="bad-enum"),
        pytest.param(lambda s: s["training"].update(epocs=3), id="typo"),
        pytest.param(lambda s: s["output"].update(s3="https://bots/"), id="not-s3"),
    ],
)
def test_crd_schema_rejects_broken_examples(mutate):
    """The same check that passes the examples fails them when they are wrong."""
    tweetbot = load_example(MANIFESTS / "examples" / "several-users.yaml")
    mutate(tweetbot["spec"])
    assert custom_resource_errors(known_crd_schemas()[TWEETBOT], tweetbot) != []
