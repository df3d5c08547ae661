"""Validation of built-in objects as the API server does it: the OpenAPI schema of their Kubernetes version
(kubernetes-validate's copies) plus the rules of pkg/apis/{core,batch}/validation that the OpenAPI schema cannot
say and the operator can trip: label keys and values, object name lengths, tolerations, a Job's pod template
(restartPolicy Never or OnFailure; Never when it has a podFailurePolicy).
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
JOB_NAME_MAX = 63  # the Job controller puts the Job's name into a label on its pods


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


def schema_errors(obj: Mapping[str, Any], version: str = VALIDATED_VERSION) -> list[str]:
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


def pod_spec_errors(path: str, spec: Mapping[str, Any]) -> Iterator[str]:
    yield from _label_errors(f"{path}.nodeSelector", spec.get("nodeSelector"))
    yield from toleration_errors(f"{path}.tolerations", spec.get("tolerations"))
    names = [ct.get("name") for ct in spec.get("containers") or []]
    for name in names:
        if not isinstance(name, str) or not _DNS1123_LABEL.match(name) or len(name) > 63:
            yield f"{path}.containers.name: Invalid value: {name!r}: a DNS-1123 label"
    if len(set(names)) != len(names):
        yield f"{path}.containers.name: Duplicate value"


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
    errors += _name_errors(meta, JOB_NAME_MAX if kind == "Job" else 253)
    if kind == "Pod":
        errors += pod_spec_errors("spec", obj.get("spec") or {})
    if kind == "Job":
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
