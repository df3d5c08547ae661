"""charts/tweetbot-operator, rendered and linted by real Helm 4 and Helm 3 binaries (scripts/install-k8s-tools.py)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import yaml
from tweetbot_operator.settings import Settings

from tests.deploy.render import (
    CHART,
    CRD_FILE,
    HELMS,
    MANIFESTS,
    PEERING_CRDS_FILE,
    all_errors,
    by_kind,
    container_env,
    helm,
    helm_template,
    kustomize,
    one,
    pod_security_problems,
    rbac_problems,
    rbac_rules,
)
from tests.deploy.test_manifests import EXPECTED_RULES, rule_map

SCENARIOS: dict[str, tuple[str, ...]] = {
    "defaults": (),
    "watch-namespaces": ("--set", "watchNamespaces={bots,research}"),
    "peering": ("--set", "peering.enabled=true"),
    "peering-namespaced": ("--set", "peering.enabled=true", "--set", "watchNamespaces={bots}"),
    "service-monitor": ("--set", "serviceMonitor.enabled=true", "--set", "serviceMonitor.labels.release=prom"),
    "platform": ("--set", "peering.enabled=true", "--set", "networkPolicy.enabled=true",
                 "--set", "watchNamespaces={bots}",
                 "--set", "trainer.s3Endpoint=http://minio.minio.svc:9000",
                 "--set", "topologySpreadConstraints[0].maxSkew=1",
                 "--set", "topologySpreadConstraints[0].topologyKey=kubernetes.io/hostname",
                 "--set", "topologySpreadConstraints[0].whenUnsatisfiable=ScheduleAnyway"),
    "monitoring": ("--set", "serviceMonitor.enabled=true", "--set", "prometheusRule.enabled=true",
                   "--set", "grafanaDashboard.enabled=true", "--set", "logLevel=debug"),
    "crds-off": ("--set", "crds.enabled=false", "--set", "rbac.aggregateToDefaultRoles=false"),
    "crds-not-kept": ("--set", "crds.keep=false", "--set", "peering.enabled=true"),
    "everything-set": (
        "--set", "namespace.create=true",
        "--set", "image.digest=sha256:" + "a" * 64,
        "--set", "trainer.image.tag=0.2.0",
        "--set", "trainer.s3Endpoint=http://minio.minio.svc:9000",
        "--set", "trainer.credentialsSecret=s3-credentials",
        "--set", "trainer.gpus=2",
        "--set", "trainer.gpuResourceName=amd.com/gpu",
        "--set-string", "trainer.nodeSelector.nvidia\\.com/gpu\\.present=true",
        "--set", "trainer.serviceAccountName=trainer",
        "--set", "trainer.modelCacheClaim=hf-cache",
        "--set", "imagePullSecrets[0].name=ghcr",
        "--set", "logFormat=plain",
        "--set", "priorityClassName=platform-high",
        "--set", "serving.vllmImage.repository=registry.internal/vllm-openai",
        "--set", "serving.vllmImage.digest=sha256:" + "b" * 64,
    ),
}


def operator_roles(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The objects without the ClusterRoles aggregated into users' edit/view (test_chart_platform.py)."""
    return [o for o in objects if not any(k.startswith("rbac.authorization.k8s.io/aggregate-to")
                                          for k in o.get("metadata", {}).get("labels", {}))]


@pytest.fixture(scope="module")
def renders() -> dict[str, list[dict[str, Any]]]:
    """Helm 4's renders; Helm 3 must render the same objects (test_helm3_renders_the_same)."""
    return {name: helm_template(*args) for name, args in SCENARIOS.items()}


def test_chart_crds_are_identical_copies():
    """manifests/ holds the single sources; scripts/sync-copies.sh re-copies them (templates/crds.yaml renders them)."""
    fix = "run scripts/sync-copies.sh"
    assert (CHART / "files" / "crds" / CRD_FILE.name).read_bytes() == CRD_FILE.read_bytes(), fix
    assert (CHART / "files" / "crds" / "kopf.dev_peerings.yaml").read_bytes() == PEERING_CRDS_FILE.read_bytes(), fix
    assert sorted(p.name for p in (CHART / "files" / "crds").iterdir()) == ["kopf.dev_peerings.yaml", CRD_FILE.name]
    assert not (CHART / "crds").exists()  # Helm would install those unconditionally, and never upgrade them


@pytest.mark.parametrize("binary", HELMS)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_helm_lint(scenario: str, binary: str):
    proc = helm("lint", "--strict", str(CHART), *SCENARIOS[scenario], binary=binary)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_helm3_renders_the_same(renders, scenario: str):
    assert helm_template(*SCENARIOS[scenario], binary="helm3") == renders[scenario]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_rendered_objects_validate(renders, scenario: str):
    objects = renders[scenario]
    assert all_errors(objects) == []
    assert rbac_problems(objects) == []
    assert pod_security_problems(one(objects, "Deployment")) == []
    assert Settings.from_env(container_env(one(objects, "Deployment")))  # the operator accepts its settings


def test_defaults_match_the_kustomize_install(renders):
    """Both install paths configure the operator the same way."""
    chart = renders["defaults"]
    plain = kustomize(MANIFESTS)
    assert rule_map(operator_roles(chart)) == EXPECTED_RULES
    chart_env, plain_env = container_env(one(chart, "Deployment")), container_env(one(plain, "Deployment"))
    assert {k: v for k, v in chart_env.items() if k in plain_env} == plain_env
    assert chart_env["TWEETBOT_PEERING"] == ""
    deployment = one(chart, "Deployment")
    assert deployment["spec"]["replicas"] == 1 and deployment["spec"]["strategy"] == {"type": "Recreate"}
    assert one(chart, "ClusterRoleBinding")["roleRef"]["kind"] == "ClusterRole"
    assert {o["metadata"]["name"] for o in by_kind(chart, "CustomResourceDefinition")} == {"tweetbots.tweetbot.io"}
    assert not by_kind(chart, "ServiceMonitor") and not by_kind(chart, "Namespace")


def watched(objects, kind):
    """The Roles (RoleBindings) of the watched namespaces: not the one reading the blocked handles list."""
    return [o for o in by_kind(objects, kind) if not o["metadata"]["name"].endswith("-blocked-handles")]


def test_watch_namespaces_gives_a_role_per_namespace(renders):
    objects = renders["watch-namespaces"]
    roles = watched(objects, "Role")
    assert sorted(r["metadata"]["namespace"] for r in roles) == ["bots", "research"]
    assert sorted(b["metadata"]["namespace"] for b in watched(objects, "RoleBinding")) == ["bots", "research"]
    sa = one(objects, "ServiceAccount")
    for binding in by_kind(objects, "RoleBinding"):
        assert binding["subjects"][0]["name"] == sa["metadata"]["name"]
        assert binding["subjects"][0]["namespace"] == "tweetbot-system"
    # Cluster-wide, only reading CRDs and namespaces (kopf lists namespaces when it serves a list of them):
    # nothing about TweetBots, Jobs or pods outside the watched namespaces.
    cluster_rules = [rule for kind, _, rule in rbac_rules(operator_roles(objects)) if kind == "ClusterRole"]
    assert cluster_rules == [{"apiGroups": ["apiextensions.k8s.io"], "resources": ["customresourcedefinitions"],
                              "verbs": ["get", "list", "watch"]},
                             {"apiGroups": [""], "resources": ["namespaces"], "verbs": ["list", "watch"]}]
    assert container_env(one(objects, "Deployment"))["TWEETBOT_WATCH_NAMESPACES"] == "bots,research"
    assert Settings.from_env(container_env(one(objects, "Deployment"))).watch_namespaces == ("bots", "research")


def test_peering(renders):
    objects = renders["peering"]
    deployment = one(objects, "Deployment")
    assert deployment["spec"]["replicas"] == 2
    assert deployment["spec"]["strategy"]["type"] == "RollingUpdate"
    assert not by_kind(objects, "ClusterKopfPeering")  # the operator creates it (tests/deploy/test_chart_peering.py)
    assert container_env(deployment)["TWEETBOT_PEERING"] == "tb-tweetbot-operator"
    assert rule_map(objects)[("kopf.dev", "clusterkopfpeerings")] == {"get", "list", "watch", "patch", "create"}
    # The release's ClusterRole owns the peering object (garbage-collected on `helm uninstall`); only its uid is read.
    owner = container_env(deployment)["TWEETBOT_PEERING_OWNER"]
    assert owner in {r["metadata"]["name"] for r in by_kind(objects, "ClusterRole")}
    assert [r for _, _, r in rbac_rules(objects) if "clusterroles" in r["resources"]] == [
        {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "resourceNames": [owner],
         "verbs": ["get"]}]
    # Without peering, no kopf.dev access at all.
    assert not any("kopf.dev" in r["apiGroups"] for _, _, r in rbac_rules(renders["defaults"]))


def test_peering_with_watched_namespaces_uses_namespaced_peerings(renders):
    objects = renders["peering-namespaced"]
    assert not by_kind(objects, "KopfPeering")  # the operator creates one in each watched namespace
    [role] = watched(objects, "Role")
    assert {"apiGroups": ["kopf.dev"], "resources": ["kopfpeerings"],
            "verbs": ["get", "list", "watch", "patch", "create"]} in role["rules"]


def test_service_monitor_scrapes_the_metrics_service(renders):
    objects = renders["service-monitor"]
    monitor, service = one(objects, "ServiceMonitor"), one(objects, "Service")
    assert monitor["metadata"]["labels"]["release"] == "prom"
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert monitor["spec"]["endpoints"][0]["port"] in {p["name"] for p in service["spec"]["ports"]}
    assert monitor["spec"]["namespaceSelector"]["matchNames"] == [service["metadata"]["namespace"]]


def test_values_reach_the_operator(renders):
    objects = renders["everything-set"]
    deployment = one(objects, "Deployment")
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "ghcr.io/tweetbot/operator@sha256:" + "a" * 64
    settings = Settings.from_env(container_env(deployment))
    assert settings.trainer_image == "ghcr.io/tweetbot/trainer:0.2.0"
    assert settings.vllm_image == "registry.internal/vllm-openai@sha256:" + "b" * 64
    assert Settings.from_env(container_env(one(renders["defaults"], "Deployment"))).vllm_image == (
        "docker.io/vllm/vllm-openai:v0.32.0")  # pinned: the release the test bed runs
    assert settings.default_s3_endpoint == "http://minio.minio.svc:9000"
    assert settings.default_credentials_secret == "s3-credentials"
    assert settings.default_gpus == 2
    assert settings.default_node_selector == {"nvidia.com/gpu.present": "true"}
    assert settings.trainer_service_account == "trainer"
    assert settings.model_cache_claim == "hf-cache"
    assert settings.log_format == "plain"
    assert one(objects, "Namespace")["metadata"]["name"] == "tweetbot-system"
    assert deployment["spec"]["template"]["spec"]["imagePullSecrets"] == [{"name": "ghcr"}]


@pytest.mark.parametrize(
    "bad",
    [
        ("--set", "trainer.gpus=-1"),
        ("--set", "logFormat=xml"),
        ("--set", "watchNamespaces={Not_A_Namespace}"),
        ("--set", "trainer.s3Endpoint=minio:9000"),
        ("--set", "image.digest=latest"),
        ("--set", "metricsPort=70000"),
        ("--set", "peering.replicas=0"),
        ("--set", "serviceMonitor.interval=soon"),
        ("--set", "trainerImage=ghcr.io/x/y:1"),  # a typo'd key
        ("--set", "serving.vllmImage.tag="),  # the engine's release is pinned, never "the chart's"
    ],
    ids=lambda a: a[-1],
)
@pytest.mark.parametrize("binary", HELMS)
def test_values_schema_rejects_bad_values(bad: tuple[str, ...], binary: str):
    proc = helm("template", "tb", str(CHART), *bad, binary=binary)
    assert proc.returncode != 0
    assert "values don't meet the specifications of the schema" in proc.stderr
    key = bad[-1].split("=")[0]
    # Helm 4 says /trainer/gpus or 'trainerImage' not allowed; Helm 3 says trainer.gpus or trainerImage.
    assert any(form in proc.stderr for form in ("/" + key.replace(".", "/"), f"'{key}'", f"- {key}", f" {key} "))


def test_values_yaml_meets_its_schema():
    schema = json.loads((CHART / "values.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator(schema).validate(yaml.safe_load((CHART / "values.yaml").read_text()))


@pytest.mark.parametrize("binary", HELMS)
def test_kube_version_floor(binary: str):
    assert helm("template", "tb", str(CHART), "--kube-version", "1.29.0", binary=binary).returncode == 0
    assert helm("template", "tb", str(CHART), "--kube-version", "1.28.9", binary=binary).returncode != 0


def test_notes_tell_the_next_command():
    # Helm 4's client-only dry run renders the notes without a cluster (Helm 3's still asks one for its version).
    proc = helm("install", "tb", str(CHART), "--namespace", "tweetbot-system", "--dry-run=client",
                "--set", "watchNamespaces={bots}", "--set", "trainer.credentialsSecret=minio")
    assert proc.returncode == 0, proc.stderr
    notes = proc.stdout.split("NOTES:", 1)[1]
    assert "kubectl -n tweetbot-system rollout status deployment/tb-tweetbot-operator" in notes
    assert "kubectl -n bots create secret generic minio" in notes
    assert "kubectl -n bots apply -f manifests/examples/archive.yaml" in notes
    assert "--reuse-values" in notes and "updates the CRDs" in notes  # how to upgrade


def test_gpu_resource_name_default_reaches_the_operator(renders):
    """Issue 14: the chart's trainer.gpuResourceName is the operator's default; values.schema.json refuses a
    name without a vendor domain."""
    env = container_env(one(renders["everything-set"], "Deployment"))
    assert Settings.from_env(env).default_gpu_resource == "amd.com/gpu"
    assert Settings.from_env(container_env(one(renders["defaults"], "Deployment"))).default_gpu_resource == (
        "nvidia.com/gpu")
    proc = helm("template", "tb", str(CHART), "--set", "trainer.gpuResourceName=gpu")
    assert proc.returncode != 0 and "gpuResourceName" in proc.stderr


def test_pod_template_defaults_reach_the_operator():
    """Issue 14: the chart's trainer.podTemplate is the operator's spec.podTemplate default."""
    objects = helm_template("--set-json", 'trainer.podTemplate={"env":[{"name":"HTTPS_PROXY","value":"http://p:3128"}],'
                            '"runtimeClassName":"nvidia"}')
    settings = Settings.from_env(container_env(one(objects, "Deployment")))
    assert settings.default_pod_template == {"env": [{"name": "HTTPS_PROXY", "value": "http://p:3128"}],
                                             "runtimeClassName": "nvidia"}
    proc = helm("template", "tb", str(CHART), "--set", "trainer.podTemplate.hostNetwork=true")
    assert proc.returncode != 0  # not one of the subset
