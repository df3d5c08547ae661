"""What the Kubernetes API server does with a CRD's structural schema, for tests and the emulator:
pruning of unknown fields, defaulting, OpenAPI validation (jsonschema, draft 4 semantics as the API server's
`exclusiveMinimum: true`) and CEL `x-kubernetes-validations` (cel-python).

Follows https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
(Specifying a structural schema, Defaulting, Validation rules).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import celpy
import jsonschema
import yaml

ROOT_FIELDS = ("apiVersion", "kind", "metadata")


def load_crd(path: str | Path) -> dict[str, Any]:
    return yaml.safe_load(Path(path).read_text())


def version_schema(crd: dict[str, Any], version: str) -> dict[str, Any]:
    for v in crd["spec"]["versions"]:
        if v["name"] == version:
            return v["schema"]["openAPIV3Schema"]
    raise KeyError(version)


def apply_defaults(schema: dict[str, Any], value: Any) -> Any:
    """A copy of `value` with every absent property that has a `default` set, recursively: a defaulted
    object gets its own properties' defaults too (so `default: {}` fills in the nested defaults)."""
    value = copy.deepcopy(value)
    _default(schema, value)
    return value


def _default(schema: dict[str, Any], value: Any) -> None:
    if isinstance(value, dict):
        for name, sub in (schema.get("properties") or {}).items():
            if name not in value and "default" in sub:
                value[name] = copy.deepcopy(sub["default"])
            if name in value:
                _default(sub, value[name])
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for name in value:
                if name not in (schema.get("properties") or {}):
                    _default(extra, value[name])
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _default(schema["items"], item)


def prune(schema: dict[str, Any], value: Any, root: bool = True) -> Any:
    """A copy of `value` without the fields the schema does not know (unless it preserves unknown fields)."""
    if isinstance(value, dict):
        if schema.get("x-kubernetes-preserve-unknown-fields"):
            return copy.deepcopy(value)
        props = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        out = {}
        for name, sub in value.items():
            if root and name in ROOT_FIELDS:
                out[name] = copy.deepcopy(sub)  # metadata is the API server's own business
            elif name in props:
                out[name] = prune(props[name], sub, root=False)
            elif isinstance(extra, dict):
                out[name] = prune(extra, sub, root=False)
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [prune(schema["items"], item, root=False) for item in value]
    return copy.deepcopy(value)


def validate(schema: dict[str, Any], value: Any) -> list[str]:
    """Every schema violation of `value`, as `path: message`; empty when valid."""
    errors = [
        f"{'.'.join(map(str, err.absolute_path)) or '<root>'}: {err.message}"
        for err in sorted(_validator(schema).iter_errors(value), key=lambda e: list(map(str, e.path)))
    ]
    if errors:
        return errors  # CEL rules assume a schema-valid object, as the API server does
    return [f"{path or '<root>'}: {message}" for path, message in cel_violations(schema, value)]


# id -> (schema, validator). Holding the schema keeps its id from being reused by a later dict: keyed on a
# bare id, a freed schema's validator was once handed to a different (sub)schema.
_VALIDATORS: dict[int, tuple[dict[str, Any], Any]] = {}


def _validator(schema: dict[str, Any]) -> Any:
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = _VALIDATORS[id(schema)] = (schema, jsonschema.Draft4Validator(_plain_schema(schema)))
    return cached[1]


def _plain_schema(schema: Any) -> Any:
    """The schema without Kubernetes' extensions; int-or-string stays an anyOf."""
    if isinstance(schema, dict):
        out = {k: _plain_schema(v) for k, v in schema.items() if not k.startswith("x-kubernetes-")}
        if schema.get("x-kubernetes-preserve-unknown-fields") and "type" not in out:
            out.pop("type", None)
        return out
    if isinstance(schema, list):
        return [_plain_schema(v) for v in schema]
    return schema


def iter_rules(schema: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(path, node schema, rule) for every x-kubernetes-validations rule in the schema."""
    for rule in schema.get("x-kubernetes-validations") or []:
        yield path, schema, rule
    for name, sub in (schema.get("properties") or {}).items():
        yield from iter_rules(sub, f"{path}.{name}" if path else name)
    if isinstance(schema.get("items"), dict):
        yield from iter_rules(schema["items"], f"{path}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from iter_rules(schema["additionalProperties"], f"{path}{{}}")


@lru_cache(maxsize=256)
def _cel_program(rule: str) -> Any:
    env = celpy.Environment()
    return env.program(env.compile(rule))


def compile_rule(rule: str) -> None:
    """Raises when the rule is not valid CEL."""
    _cel_program(rule)


def cel_violations(schema: dict[str, Any], value: Any, path: str = "") -> list[tuple[str, str]]:
    """(path, message) for every CEL rule that `value` breaks; rules apply where the value is present."""
    out: list[tuple[str, str]] = []
    for rule in schema.get("x-kubernetes-validations") or []:
        result = _cel_program(rule["rule"]).evaluate({"self": celpy.json_to_cel(value)})
        if not (isinstance(result, bool | celpy.celtypes.BoolType) and bool(result)):  # errors count as False
            out.append((path, rule.get("message") or f"failed rule: {rule['rule']}"))
    if isinstance(value, dict):
        for name, sub in (schema.get("properties") or {}).items():
            if name in value:
                out += cel_violations(sub, value[name], f"{path}.{name}" if path else name)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            out += cel_violations(schema["items"], item, f"{path}[{index}]")
    return out


def admit(schema: dict[str, Any], obj: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """What a create/update goes through: prune, default, validate. Returns (stored object, errors)."""
    stored = apply_defaults(schema, prune(schema, obj))
    return stored, validate(schema, {k: v for k, v in stored.items() if k not in ROOT_FIELDS})
