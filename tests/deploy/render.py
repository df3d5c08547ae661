"""Rendering and offline validation of what users deploy: kustomize output, Helm chart output, examples.

Built-in kinds are checked by kubernetes-validate (strict: unknown fields are errors) against the oldest and
newest Kubernetes versions we support; custom resources against their CRD's own openAPIV3Schema and CEL rules
(tests/support/k8s_schema.py), with unknown fields as errors too (kubectl's strict field validation).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from tests.support.k8s_builtin import builtin_validator, schema_version
from tests.support.k8s_schema import prune, validate, version_schema

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "tweetbot-operator"
MANIFESTS = REPO / "manifests"
CRD_FILE = MANIFESTS / "crd" / "tweetbot.io_tweetbots.yaml"
PEERING_CRDS_FILE = MANIFESTS / "peering" / "kopf-peering-crds.yaml"
K8S_VERSIONS = ("1.29.0", "1.37.0")  # Chart.yaml's kubeVersion floor, and the newest schema we have
# Kinds newer than the floor, rendered only when a value asks for them (tenancy.admissionPolicy: GA in 1.30).
KINDS_SINCE = {("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"): "1.30.0",
               ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding"): "1.30.0"}


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
ROOT_FIELDS = ("apiVersion", "kind", "metadata")

Obj = dict[str, Any]


def load_script(name: str) -> ModuleType:
    """scripts/<name>.py as a module (scripts/ is no package), fresh on every call."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_all(text: str) -> list[Obj]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def run(cmd: list[str], cwd: Path = REPO) -> str:
    """stdout of a command that must succeed (its stderr in the failure message)."""
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr}{proc.stdout}")
    return proc.stdout


def tool(name: str) -> str:
    """The pinned binary scripts/install-k8s-tools.py put in the virtualenv, else one on PATH."""
    pinned = Path(sys.prefix) / "bin" / name
    found = str(pinned) if pinned.is_file() else shutil.which(name)
    if not found:
        raise AssertionError(f"no {name} binary: run scripts/setup.sh (it runs scripts/install-k8s-tools.py)")
    return found


def kustomize(path: Path) -> list[Obj]:
    return load_all(run([tool("kubectl"), "kustomize", str(path)]))


HELMS = ("helm", "helm3")  # Helm 4 and Helm 3, both installed by scripts/install-k8s-tools.py


def helm(*args: str, binary: str = "helm") -> subprocess.CompletedProcess[str]:
    return subprocess.run([tool(binary), *args], cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=False)


def helm_template(*set_args: str, namespace: str = "tweetbot-system", binary: str = "helm") -> list[Obj]:
    """The chart rendered as `helm install` would create it, CRDs included."""
    proc = helm("template", "tb", str(CHART), "--namespace", namespace, "--include-crds", *set_args, binary=binary)
    if proc.returncode != 0:
        raise AssertionError(f"{binary} template {' '.join(set_args)} failed:\n{proc.stderr}")
    return load_all(proc.stdout)


def crd_schemas(objects: Iterable[Obj]) -> dict[tuple[str, str], Obj]:
    """(apiVersion, kind) -> openAPIV3Schema for every CRD among `objects`."""
    out: dict[tuple[str, str], Obj] = {}
    for crd in objects:
        if crd.get("kind") != "CustomResourceDefinition":
            continue
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            out[(f"{group}/{version['name']}", kind)] = version_schema(crd, version["name"])
    return out


def known_crd_schemas() -> dict[tuple[str, str], Obj]:
    """The schemas of the CRDs this repository ships (TweetBot, kopf's peerings)."""
    return crd_schemas(load_all(CRD_FILE.read_text()) + load_all(PEERING_CRDS_FILE.read_text()))


def custom_resource_errors(schema: Obj, obj: Obj) -> list[str]:
    """Schema and CEL violations, plus fields the API server would not keep (typos)."""
    body = {k: v for k, v in obj.items() if k not in ROOT_FIELDS}
    errors = validate(schema, body)
    kept = {k: v for k, v in prune(schema, obj).items() if k not in ROOT_FIELDS}
    if kept != body:
        errors.append("unknown fields (dropped by the API server, rejected by kubectl's strict validation)")
    if not obj.get("metadata", {}).get("name"):
        errors.append("metadata.name is missing")
    return errors


def servicemonitor_errors(obj: Obj) -> list[str]:
    """The monitoring.coreos.com/v1 ServiceMonitor fields we use (its CRD is not available offline)."""
    spec = obj.get("spec", {})
    errors = []
    allowed = {"endpoints", "selector", "namespaceSelector", "jobLabel", "targetLabels", "podTargetLabels"}
    errors += [f"unknown spec field {k}" for k in set(spec) - allowed]
    if not spec.get("endpoints") or not all(isinstance(e.get("port"), str) for e in spec["endpoints"]):
        errors.append("endpoints[] need a named port")
    if not isinstance(spec.get("selector", {}).get("matchLabels"), dict):
        errors.append("selector.matchLabels missing")
    return errors


def prometheusrule_errors(obj: Obj) -> list[str]:
    """The monitoring.coreos.com/v1 PrometheusRule fields we use (its CRD is not available offline)."""
    errors = []
    for group in obj.get("spec", {}).get("groups", []):
        if set(group) - {"name", "interval", "rules"} or not group.get("rules"):
            errors.append(f"group {group.get('name')}: unknown fields or no rules")
        for rule in group.get("rules", []):
            if set(rule) - {"alert", "record", "expr", "for", "labels", "annotations"}:
                errors.append(f"rule {rule.get('alert')}: unknown fields {set(rule)}")
            if not (rule.get("alert") or rule.get("record")) or not isinstance(rule.get("expr"), str):
                errors.append(f"rule {rule}: needs alert or record, and expr")
    return errors


def object_errors(obj: Obj, schemas: dict[tuple[str, str], Obj]) -> list[str]:
    """Every problem with one rendered object, as text; empty when it is valid."""
    key = (obj.get("apiVersion", ""), obj.get("kind", ""))
    if key in schemas:
        return custom_resource_errors(schemas[key], obj)
    if key == ("monitoring.coreos.com/v1", "ServiceMonitor"):
        return servicemonitor_errors(obj)
    if key == ("monitoring.coreos.com/v1", "PrometheusRule"):
        return prometheusrule_errors(obj)
    errors = []
    for floor in K8S_VERSIONS:
        since = KINDS_SINCE.get(key)
        if since and _release(floor) < _release(since):
            continue  # an opt-in object for clusters that have its kind (the chart's docs say from which version)
        version = schema_version(obj, floor)  # a multi-node Job's successPolicy: from 1.31 (older drop it)
        validator = builtin_validator(version, *key)
        if validator is None:
            errors.append(f"k8s {version}: no schema for {key}")
            continue
        for error in validator.iter_errors(obj):
            where = ".".join(map(str, error.absolute_path)) or "<root>"
            errors.append(f"k8s {version}: {where}: {error.message}")
    return errors


def all_errors(objects: Iterable[Obj]) -> list[str]:
    objects = list(objects)
    schemas = {**known_crd_schemas(), **crd_schemas(objects)}
    return [
        f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}: {error}"
        for obj in objects
        for error in object_errors(obj, schemas)
    ]


def by_kind(objects: Iterable[Obj], kind: str) -> list[Obj]:
    return [o for o in objects if o.get("kind") == kind]


def one(objects: Iterable[Obj], kind: str) -> Obj:
    found = by_kind(objects, kind)
    assert len(found) == 1, f"expected one {kind}, got {len(found)}"
    return found[0]


def container_env(deployment: Obj) -> dict[str, str]:
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    return {e["name"]: e.get("value", "") for e in container.get("env", [])}


def rbac_rules(objects: Iterable[Obj]) -> list[tuple[str, str, Obj]]:
    """(kind, name, rule) for every rule of every Role and ClusterRole."""
    return [
        (o["kind"], o["metadata"]["name"], rule)
        for o in objects
        if o.get("kind") in ("Role", "ClusterRole")
        for rule in o.get("rules", [])
    ]


def rbac_problems(objects: Iterable[Obj]) -> list[str]:
    """Least-privilege violations: Secrets, wildcards, escalation verbs."""
    problems = []
    for kind, name, rule in rbac_rules(objects):
        for field in ("apiGroups", "resources", "verbs"):
            if "*" in rule.get(field, []):
                problems.append(f"{kind}/{name}: wildcard in {field}")
        # One named ConfigMap may be read: the blocked handles list (the operator's TWEETBOT_BLOCKED_HANDLES).
        named_get = rule.get("resourceNames") and set(rule.get("verbs", [])) <= {"get"} and \
            set(rule.get("resources", [])) == {"configmaps"}
        # `get` on Secrets alone is the opt-in label check (docs/security.md): the operator names each Secret
        # and asks for its metadata only; listing or watching them would let it enumerate a namespace's.
        secret_labels = set(rule.get("resources", [])) == {"secrets"} and set(rule.get("verbs", [])) == {"get"}
        if {"secrets", "configmaps"} & set(rule.get("resources", [])) and not (named_get or secret_labels):
            problems.append(f"{kind}/{name}: reads Secrets or ConfigMaps: {rule}")
        if {"escalate", "bind", "impersonate"} & set(rule.get("verbs", [])):
            problems.append(f"{kind}/{name}: privilege-escalation verb: {rule}")
        if rule.get("nonResourceURLs"):
            problems.append(f"{kind}/{name}: nonResourceURLs")
    return problems


def pod_security_problems(deployment: Obj) -> list[str]:
    """What keeps a pod from the "restricted" Pod Security Standard and a read-only root filesystem."""
    pod = deployment["spec"]["template"]["spec"]
    problems = []
    pod_sc = pod.get("securityContext", {})
    for container in pod["containers"]:
        sc = container.get("securityContext", {})
        name = container["name"]
        if not (sc.get("runAsNonRoot") or pod_sc.get("runAsNonRoot")):
            problems.append(f"{name}: runAsNonRoot")
        if (sc.get("runAsUser") or pod_sc.get("runAsUser")) == 0:
            problems.append(f"{name}: runs as UID 0")
        if sc.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{name}: allowPrivilegeEscalation")
        if sc.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{name}: readOnlyRootFilesystem")
        if sc.get("capabilities", {}).get("drop") != ["ALL"] or sc.get("capabilities", {}).get("add"):
            problems.append(f"{name}: capabilities")
        seccomp = (sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            problems.append(f"{name}: seccompProfile")
        if sc.get("privileged"):
            problems.append(f"{name}: privileged")
        if not container.get("resources", {}).get("limits", {}).get("memory"):
            problems.append(f"{name}: no memory limit")
        probe = container.get("livenessProbe", {}).get("httpGet", {})
        if probe.get("path") != "/healthz":
            problems.append(f"{name}: no /healthz liveness probe")
    for flag in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(flag):
            problems.append(flag)
    return problems
