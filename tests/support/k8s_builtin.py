"""Validation of built-in objects as the API server does it: the OpenAPI schema of their Kubernetes version
(kubernetes-validate's copies) plus the rules of pkg/apis/{core,batch}/validation that the OpenAPI schema cannot
say and the operator can trip: label keys and values, object name lengths, tolerations, a Job's pod template
(restartPolicy Never or OnFailure; Never when it has a podFailurePolicy), Indexed Jobs (completions, pod host
names, successPolicy, podFailurePolicy rules), pod subdomains and ports, Service names, headless Services.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

import jsonschema
from kubernetes_validate.utils import schema_contents
from referencing import Registry, Resource

VALIDATED_VERSION = "1.29.0"  # the chart's kubeVersion floor
# apimachinery/pkg/util/validation: qualified names, label values, DNS subdomains and labels.
_QUALIFIED = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_IANA_SVC_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")  # plus: a letter, no "--", at most 15
JOB_NAME_MAX = 63  # the Job controller puts the Job's name into a label on its pods
# Fields newer than VALIDATED_VERSION that the operator sets only where they are needed (a multi-node Job's
# successPolicy): an older API server drops them with a warning (fieldValidation Warn, the default) instead of
# acting on them, so an object holding one is checked against the first version that acts on it (beta, on).
FIELDS_SINCE = {("Job", "successPolicy"): "1.31.0"}


@cache
def _definitions(schema_dir: str, version: str) -> Resource[Any]:
    return Resource.from_contents(schema_contents(f"kubernetes-json-schema/{schema_dir}/_definitions.json", version))


@cache
def builtin_validator(version: str, api_version: str, kind: str, strict: bool = True) -> Any:
    """kubernetes-validate's schema for a built-in kind, as its validate() builds it, but built once per kind
    (it re-reads the large definitions file on every call); None for a kind it does not know."""
    schema_dir = f"v{version}-local{'-strict' if strict else ''}"
    group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)  # rbac.authorization.k8s.io/v1 -> rbac-v1
    try:
        schema = schema_contents(f"kubernetes-json-schema/{schema_dir}/{kind.lower()}-{group}.json", version)
    except FileNotFoundError:
        return None
    registry: Registry[Any] = _definitions(schema_dir, version) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def schema_version(obj: Mapping[str, Any], floor: str = VALIDATED_VERSION) -> str:
    """`floor`, or the first version that acts on the newest field `obj` holds (FIELDS_SINCE)."""
    spec = obj.get("spec") or {}
    since = [v for (kind, name), v in FIELDS_SINCE.items() if obj.get("kind") == kind and name in spec]
    return max([floor, *since], key=lambda v: tuple(int(part) for part in v.split(".")))


def schema_errors(obj: Mapping[str, Any], version: str | None = None) -> list[str]:
    version = version or schema_version(obj)
    validator = builtin_validator(version, str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    if validator is None:
        return []
    return [f"{'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(obj)]


def label_key_error(key: str) -> str | None:
    prefix, _, name = key.rpartition("/")
    if prefix and (len(prefix) > 253 or not _DNS1123_SUBDOMAIN.match(prefix)):
        return f"prefix part must be a DNS-1123 subdomain: {key!r}"
    if not name or len(name) > 63 or not _QUALIFIED.match(name):
        return f"name part must be 63 characters or less, alphanumeric, '-', '_' or '.': {key!r}"
    return None


def label_value_error(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > 63 or not _LABEL_VALUE.match(value):
        return (f"a valid label must be an empty string or 63 characters or less, alphanumeric, '-', '_' "
                f"or '.': {value!r}")
    return None


def _label_errors(path: str, labels: Any) -> Iterator[str]:
    for key, value in (labels or {}).items():
        for error in (label_key_error(key), label_value_error(value)):
            if error:
                yield f"{path}: Invalid value: {error}"


def toleration_errors(path: str, tolerations: Any) -> Iterator[str]:
    """core/validation validateTolerations."""
    for i, tol in enumerate(tolerations or []):
        where, key, op = f"{path}[{i}]", tol.get("key", ""), tol.get("operator") or "Equal"
        if key and label_key_error(key):
            yield f"{where}.key: Invalid value: {label_key_error(key)}"
        if not key and op != "Exists":
            yield f"{where}.operator: Invalid value: {op!r}: operator must be Exists when `key` is empty"
        if op == "Exists" and tol.get("value"):
            yield f"{where}.operator: Invalid value: 'Exists': value must be empty when `operator` is 'Exists'"
        if op == "Equal" and label_value_error(tol.get("value", "")):
            yield f"{where}.value: Invalid value: {label_value_error(tol.get('value', ''))}"
        if op not in ("Exists", "Equal"):
            yield f"{where}.operator: Unsupported value: {op!r}"
        if tol.get("tolerationSeconds") is not None and tol.get("effect") != "NoExecute":
            yield f"{where}.effect: Invalid value: effect must be 'NoExecute' when `tolerationSeconds` is set"


def dns_label_error(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > 63 or not _DNS1123_LABEL.match(value):
        return (f"Invalid value: {value!r}: a lowercase RFC 1123 label must consist of lower case alphanumeric "
                "characters or '-', and must start and end with an alphanumeric character")
    return None


def port_name_error(name: Any) -> str | None:
    """apimachinery IsValidPortName (IANA_SVC_NAME): a container port's name."""
    ok = (isinstance(name, str) and 0 < len(name) <= 15 and bool(_IANA_SVC_NAME.match(name)) and "--" not in name
          and any(ch.isalpha() for ch in name))
    return None if ok else f"Invalid value: {name!r}: must be an IANA_SVC_NAME (at most 15 characters, [a-z0-9-])"


def _container_port_errors(path: str, containers: list[Mapping[str, Any]]) -> Iterator[str]:
    names: list[str] = []
    for i, container in enumerate(containers):
        for j, port in enumerate(container.get("ports") or []):
            where = f"{path}.containers[{i}].ports[{j}]"
            if "name" in port:
                if port_name_error(port["name"]):
                    yield f"{where}.name: {port_name_error(port['name'])}"
                names.append(port["name"])
            if not isinstance(port.get("containerPort"), int) or not 0 < port["containerPort"] < 65536:
                yield f"{where}.containerPort: Invalid value: {port.get('containerPort')!r}: must be 1 to 65535"
    if len(set(names)) != len(names):
        yield f"{path}.containers.ports.name: Duplicate value"


def pod_spec_errors(path: str, spec: Mapping[str, Any]) -> Iterator[str]:
    yield from _label_errors(f"{path}.nodeSelector", spec.get("nodeSelector"))
    yield from toleration_errors(f"{path}.tolerations", spec.get("tolerations"))
    names = [ct.get("name") for ct in spec.get("containers") or []]
    for name in names:
        if not isinstance(name, str) or not _DNS1123_LABEL.match(name) or len(name) > 63:
            yield f"{path}.containers.name: Invalid value: {name!r}: a DNS-1123 label"
    if len(set(names)) != len(names):
        yield f"{path}.containers.name: Duplicate value"
    for key in ("hostname", "subdomain"):  # ValidatePodSpec: each a DNS-1123 label
        if spec.get(key) and dns_label_error(spec[key]):
            yield f"{path}.{key}: {dns_label_error(spec[key])}"
    yield from _container_port_errors(path, list(spec.get("containers") or []))


def _name_errors(meta: Mapping[str, Any], max_len: int = 253) -> Iterator[str]:
    name = meta.get("name") or ""
    if len(name) > max_len:
        yield f"metadata.name: Invalid value: {name!r}: must be no more than {max_len} characters"
    elif name and not _DNS1123_SUBDOMAIN.match(name):
        yield f"metadata.name: Invalid value: {name!r}: a lowercase RFC 1123 subdomain"


def semantic_errors(obj: Mapping[str, Any]) -> list[str]:
    """The validation rules the OpenAPI schema cannot express, for the kinds the operator creates."""
    meta, kind = obj.get("metadata") or {}, obj.get("kind")
    errors = list(_label_errors("metadata.labels", meta.get("labels")))
    if kind == "Event":
        return errors  # an Event's name is derived from its object's and may be long
    if kind == "Service":
        return errors + service_errors(obj)
    errors += _name_errors(meta, JOB_NAME_MAX if kind == "Job" else 253)
    if kind == "Pod":
        errors += pod_spec_errors("spec", obj.get("spec") or {})
    if kind == "Job":
        errors += job_spec_errors(meta, obj.get("spec") or {})
        spec = obj.get("spec") or {}
        template = spec.get("template") or {}
        errors += _label_errors("spec.template.metadata.labels", (template.get("metadata") or {}).get("labels"))
        pod = template.get("spec") or {}
        errors += pod_spec_errors("spec.template.spec", pod)
        restart = pod.get("restartPolicy")
        if restart not in ("Never", "OnFailure"):
            errors.append(f'spec.template.spec.restartPolicy: Unsupported value: {restart!r}: '
                          'supported values: "OnFailure", "Never"')
        if spec.get("podFailurePolicy") and restart != "Never":
            errors.append("spec.template.spec.restartPolicy: Invalid value: "
                          f"{restart!r}: only \"Never\" is supported when podFailurePolicy is specified")
    return errors


def builtin_errors(obj: Mapping[str, Any]) -> list[str]:
    """Everything a real API server would refuse about a built-in object with 422."""
    return schema_errors(obj) or semantic_errors(obj)


def job_spec_errors(meta: Mapping[str, Any], spec: Mapping[str, Any]) -> list[str]:
    """batch/validation validateJobSpec and ValidateJob: Indexed completion, successPolicy, podFailurePolicy."""
    errors: list[str] = []
    mode, completions = spec.get("completionMode"), spec.get("completions")
    if mode not in (None, "NonIndexed", "Indexed"):
        errors.append(f'spec.completionMode: Unsupported value: {mode!r}: supported values: "NonIndexed", "Indexed"')
    if mode == "Indexed" and completions is None:
        errors.append("spec.completions: Required value: when completion mode is Indexed")
    if mode == "Indexed" and isinstance(completions, int) and completions > 0:
        host = f"{meta.get('name')}-{completions - 1}"  # the Job controller names each pod's host so
        if dns_label_error(host):
            errors.append(f"metadata.name: Invalid value: {meta.get('name')!r}: will not able to create pod with "
                          f"invalid DNS label: {host}")
    for key in ("backoffLimitPerIndex", "maxFailedIndexes"):
        if mode != "Indexed" and spec.get(key) is not None:
            errors.append(f"spec.{key}: Invalid value: {spec[key]!r}: requires indexed completion mode")
    if spec.get("successPolicy") is not None:
        if mode != "Indexed":
            errors.append("spec.successPolicy: Invalid value: ...: requires indexed completion mode")
        else:
            errors += success_policy_errors(spec["successPolicy"], int(completions or 0))
    if spec.get("podFailurePolicy"):
        containers = {ct.get("name") for ct in ((spec.get("template") or {}).get("spec") or {}).get("containers") or []}
        errors += pod_failure_policy_errors(spec["podFailurePolicy"], containers, spec)
    return errors


def index_set(text: str, completions: int) -> set[int] | None:
    """batch/validation validateIndexesFormat: "1,3-5,7", ordered, within [0, completions); None if invalid."""
    found: set[int] = set()
    last = -1
    for part in text.split(",") if text else []:
        first, _, end = part.partition("-")
        if not first.isdigit() or (end and not end.isdigit()):
            return None
        low, high = int(first), int(end or first)
        if low > high or low <= last or high >= completions:
            return None
        found |= set(range(low, high + 1))
        last = high
    return found


def success_policy_errors(policy: Mapping[str, Any], completions: int) -> list[str]:
    rules = policy.get("rules") or []
    errors = [] if rules else ["spec.successPolicy.rules: Required value: at least one rules must be specified "
                               "when the successPolicy is specified"]
    if len(rules) > 20:
        errors.append(f"spec.successPolicy.rules: Too many: {len(rules)}: must have at most 20 items")
    for i, rule in enumerate(rules):
        where = f"spec.successPolicy.rules[{i}]"
        indexes, count = rule.get("succeededIndexes"), rule.get("succeededCount")
        if indexes is None and count is None:
            errors.append(f"{where}: Required value: at least one of succeededCount or succeededIndexes must be "
                          "specified")
        found = index_set(indexes, completions) if indexes is not None else None
        if indexes is not None and found is None:
            errors.append(f"{where}.succeededIndexes: Invalid value: {indexes!r}: error parsing succeededIndexes")
        if count is not None and (count < 0 or count > completions or (found is not None and count > len(found))):
            errors.append(f"{where}.succeededCount: Invalid value: {count!r}: must be less than or equal to the "
                          "completions and the indexes of succeededIndexes")
    return errors


def pod_failure_policy_errors(policy: Mapping[str, Any], containers: set[Any],
                              spec: Mapping[str, Any]) -> list[str]:
    """batch/validation validatePodFailurePolicyRule(OnExitCodes)."""
    errors = []
    for i, rule in enumerate(policy.get("rules") or []):
        where = f"spec.podFailurePolicy.rules[{i}]"
        codes, conditions, action = rule.get("onExitCodes"), rule.get("onPodConditions"), rule.get("action")
        if action not in ("Count", "FailIndex", "FailJob", "Ignore"):
            errors.append(f"{where}.action: Unsupported value: {action!r}")
        elif action == "FailIndex" and spec.get("backoffLimitPerIndex") is None:
            errors.append(f"{where}.action: Invalid value: 'FailIndex': requires the backoffLimitPerIndex to be set")
        if bool(codes) == bool(conditions):
            errors.append(f"{where}: Invalid value: specifying one of OnExitCodes and OnPodConditions is required")
        if not codes:
            continue
        values = list(codes.get("values") or [])
        if codes.get("containerName") is not None and codes["containerName"] not in containers:
            errors.append(f"{where}.onExitCodes.containerName: Invalid value: {codes['containerName']!r}: must be "
                          "one of the container or initContainer names in the pod template")
        if not values or values != sorted(set(values)) or (codes.get("operator") == "In" and 0 in values):
            errors.append(f"{where}.onExitCodes.values: Invalid value: {values!r}: at least one value, ordered, no "
                          "duplicates, not 0 for the In operator")
    return errors


_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")


def service_errors(obj: Mapping[str, Any]) -> list[str]:
    """core/validation ValidateService: the name (a DNS-1035 label), clusterIP None only for ClusterIP, ports
    (required unless headless; named when several, each name a DNS-1123 label, once), the selector's labels."""
    meta, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    name, kind = str(meta.get("name") or ""), spec.get("type") or "ClusterIP"
    errors = list(_label_errors("spec.selector", spec.get("selector")))
    if name and (len(name) > 63 or not _DNS1035_LABEL.match(name)):
        errors.append(f"metadata.name: Invalid value: {name!r}: a DNS-1035 label must consist of lower case "
                      "alphanumeric characters or '-', start with an alphabetic character, and end with an "
                      "alphanumeric character")
    headless = spec.get("clusterIP") == "None"
    if headless and kind != "ClusterIP":
        errors.append("spec.clusterIPs[0]: Invalid value: 'None': may only be set to 'None' for ClusterIP services")
    ports = list(spec.get("ports") or [])
    if not ports and not headless and kind != "ExternalName":
        errors.append("spec.ports: Required value")
    names = [p.get("name") or "" for p in ports]
    for i, port_name in enumerate(names):
        if len(ports) > 1 and not port_name:
            errors.append(f"spec.ports[{i}].name: Required value")
        elif port_name and dns_label_error(port_name):
            errors.append(f"spec.ports[{i}].name: {dns_label_error(port_name)}")
    if len(set(names)) != len(names):
        errors.append("spec.ports.name: Duplicate value")
    return errors
