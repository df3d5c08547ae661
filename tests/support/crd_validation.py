"""What the API server checks when a CustomResourceDefinition is created (`kubectl apply -f crd.yaml`), so that the
emulator refuses what a real cluster refuses:

- a structural schema, as apiextensions-apiserver pkg/apiserver/schema/validation.go `ValidateStructural` checks
  it (validateStructuralInvariants, validateNestedValueValidation, isIntOrStringAnyOfPattern /
  isIntOrStringAllOfPattern) and pkg/apiserver/schema/complete.go `validateStructuralCompleteness`: every field
  has a type (unless x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields); inside anyOf / allOf /
  oneOf / not only value validations (no type, description, default, nullable, x-kubernetes-*, nor metadata);
  int-or-string's anyOf exactly `[{type: integer}, {type: string}]` (alone or first in an allOf); metadata at the
  root restricts name and generateName only; no additionalProperties at the root;
- pkg/apis/apiextensions/validation/validation.go `ValidateCustomResourceDefinitionOpenAPISchema`: no uniqueItems,
  additionalProperties beside properties, $ref, id, definitions, patternProperties, dependencies, additionalItems,
  type null or items as a list; x-kubernetes-validations rules that compile (CEL, with the fields they name
  declared: the server type-checks each rule against the schema);
- `ValidateCustomResourceColumnDefinition`: printer columns with a name, a known type and format, and a JSONPath
  that is simple (`validateSimpleJSONPath`) and parses (pkg/registry/customresource/tableconvertor `New` parses
  it with client-go's jsonpath; a real server then drops the columns, the test bed refuses the CRD).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import kmock

from tests.support.k8s_schema import compile_rule

INT_OR_STRING_ANY_OF = [{"type": "integer"}, {"type": "string"}]  # validation.go intOrStringAnyOf
JUNCTORS = ("anyOf", "allOf", "oneOf")
LEVEL_MESSAGES = {"root": "must not be empty at the root", "item": "must not be empty for specified array items",
                  "field": "must not be empty for specified object fields"}
# validateNestedValueValidation: what a schema inside a junctor may not say (ForbiddenGenerics/Extensions).
NESTED_FORBIDDEN = {
    "type": "must be empty to be structural", "additionalProperties": "must be undefined to be structural",
    "default": "must be undefined to be structural", "title": "must be empty to be structural",
    "description": "must be empty to be structural", "nullable": "must be false to be structural",
    "x-kubernetes-preserve-unknown-fields": "must be false to be structural",
    "x-kubernetes-embedded-resource": "must be false to be structural",
    "x-kubernetes-int-or-string": "must be false to be structural",
    "x-kubernetes-list-map-keys": "must be empty to be structural",
    "x-kubernetes-list-type": "must be undefined to be structural",
    "x-kubernetes-map-type": "must be undefined to be structural",
    "x-kubernetes-validations": "must be empty to be structural",
}
UNSUPPORTED = ("id", "additionalItems", "patternProperties", "definitions", "dependencies", "$ref")
PRINTER_TYPES = ("integer", "number", "string", "boolean", "date")
PRINTER_FORMATS = ("int32", "int64", "float", "double", "byte", "date", "date-time", "password")


def crd_errors(crd: Mapping[str, Any]) -> list[str]:
    """Every reason the API server refuses this CRD, as `path: message`; empty when it is accepted."""
    errors: list[str] = []
    for i, version in enumerate((crd.get("spec") or {}).get("versions") or []):
        where = f"spec.versions[{i}]"
        schema = ((version.get("schema") or {}).get("openAPIV3Schema"))
        if not isinstance(schema, Mapping):
            errors.append(f"{where}.schema.openAPIV3Schema: Required value: schemas are required")
            continue
        path = f"{where}.schema.openAPIV3Schema"
        errors += structural_errors(schema, path)
        errors += [f"{path}{p}: {m}" for p, m in openapi_errors(schema)]
        for j, column in enumerate(version.get("additionalPrinterColumns") or []):
            errors += printer_column_errors(column, f"{where}.additionalPrinterColumns[{j}]")
    return errors


# -- ValidateStructural -------------------------------------------------------------------------------------------

def structural_errors(schema: Mapping[str, Any], path: str = "") -> list[str]:
    errors = list(_invariants(schema, "root", path))
    errors += list(_completeness_value(schema, schema, path, path))
    return sorted(errors)  # upstream sorts them too


def _is_int_or_string_any_of(s: Mapping[str, Any]) -> bool:
    return s.get("anyOf") == INT_OR_STRING_ANY_OF


def _is_int_or_string_all_of(s: Mapping[str, Any]) -> bool:
    all_of = s.get("allOf") or []
    return bool(all_of) and (all_of[0] or {}).get("anyOf") == INT_OR_STRING_ANY_OF


def _invariants(s: Mapping[str, Any], level: str, path: str) -> Iterator[str]:
    """validateStructuralInvariants."""
    kind, embedded = s.get("type") or "", bool(s.get("x-kubernetes-embedded-resource"))
    int_or_string, preserve = bool(s.get("x-kubernetes-int-or-string")), bool(
        s.get("x-kubernetes-preserve-unknown-fields"))
    if kind == "array" and s.get("items") is None:
        yield f"{path}.items: Required value: must be specified"
    if isinstance(s.get("items"), Mapping):
        yield from _invariants(s["items"], "item", f"{path}.items")
    for name, sub in (s.get("properties") or {}).items():
        yield from _invariants(sub, "field", f"{path}.properties[{name}]")
    extra = s.get("additionalProperties")
    if extra is not None and extra is not False:
        if level == "root":
            yield f"{path}.additionalProperties: Forbidden: must not be used at the root"
        if isinstance(extra, Mapping):
            yield from _invariants(extra, "field", f"{path}.additionalProperties")
    if int_or_string and preserve:
        yield f"{path}.x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if " \
              "x-kubernetes-int-or-string is true"
    if int_or_string and embedded:
        yield f"{path}.x-kubernetes-embedded-resource: Invalid value: true: must be false if " \
              "x-kubernetes-int-or-string is true"
    yield from _value_validation(s, _is_int_or_string_any_of(s), _is_int_or_string_all_of(s), path)
    if embedded and kind != "object":
        yield f"{path}.type: Invalid value: {kind!r}: must be object if x-kubernetes-embedded-resource is true"
    elif not kind and not int_or_string and not preserve:
        yield f"{path}.type: Required value: {LEVEL_MESSAGES[level]}"
    if embedded and extra is not None:
        yield f"{path}.additionalProperties: Forbidden: must not be used if x-kubernetes-embedded-resource is set"
    if level == "root" and kind and kind != "object":
        yield f"{path}.type: Invalid value: {kind!r}: must be object at the root"
    check_metadata = level == "root" or embedded
    props = s.get("properties") or {}
    for key in ("kind", "apiVersion"):
        if key in props and check_metadata and props[key].get("type") != "string":
            yield f"{path}.properties[{key}].type: Invalid value: {props[key].get('type')!r}: must be string"
    if "metadata" in props:
        yield from _metadata(props["metadata"], check_metadata, level, f"{path}.properties[metadata]")
    if embedded and not preserve and not props:
        yield f"{path}.properties: Required value: must not be empty if x-kubernetes-embedded-resource is true " \
              "without x-kubernetes-preserve-unknown-fields"


def _metadata(s: Mapping[str, Any], check: bool, level: str, path: str) -> Iterator[str]:
    """validateStructuralMetadataInvariants: at the root, nothing but type, default and name/generateName."""
    if check and s.get("type") != "object":
        yield f"{path}.type: Invalid value: {s.get('type')!r}: must be object"
    if level == "root":
        rest = {k: v for k, v in s.items() if k not in ("type", "default", "properties")}
        if rest or not set(s.get("properties") or {}) <= {"name", "generateName"}:
            yield f"{path}: Forbidden: must not specify anything other than name and generateName, but metadata " \
                  "is implicitly specified"


def _value_validation(v: Mapping[str, Any], skip_any_of: bool, skip_first_all_of: bool,
                      path: str) -> Iterator[str]:
    """validateValueValidation: the junctors' schemas may hold value validations only."""
    if not skip_any_of:
        for i, sub in enumerate(v.get("anyOf") or []):
            yield from _nested(sub, False, f"{path}.anyOf[{i}]")
    for i, sub in enumerate(v.get("allOf") or []):
        yield from _nested(sub, skip_first_all_of and i == 0, f"{path}.allOf[{i}]")
    for i, sub in enumerate(v.get("oneOf") or []):
        yield from _nested(sub, False, f"{path}.oneOf[{i}]")
    if isinstance(v.get("not"), Mapping):
        yield from _nested(v["not"], False, f"{path}.not")
    pattern = v.get("pattern")
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            yield f"{path}.pattern: Invalid value: {pattern!r}: must be a valid regular expression, but isn't: {exc}"


def _nested(v: Mapping[str, Any], skip_any_of: bool, path: str) -> Iterator[str]:
    """validateNestedValueValidation."""
    yield from _value_validation(v, skip_any_of, False, path)
    if isinstance(v.get("items"), Mapping):
        yield from _nested(v["items"], False, f"{path}.items")
    for name, sub in (v.get("properties") or {}).items():
        yield from _nested(sub, False, f"{path}.properties[{name}]")
    for key, message in NESTED_FORBIDDEN.items():
        if v.get(key) not in (None, False, [], ""):
            yield f"{path}.{key}: Forbidden: {message}"
    if "metadata" in (v.get("properties") or {}):
        yield f"{path}.properties[metadata]: Forbidden: must not be specified in a nested context"


def _completeness_value(v: Mapping[str, Any], s: Mapping[str, Any] | None, s_path: str,
                        v_path: str) -> Iterator[str]:
    """complete.go validateValueValidationCompleteness: a field a junctor names exists outside the junctors."""
    subs = [(f"{v_path}.{j}[{i}]", sub) for j in JUNCTORS for i, sub in enumerate(v.get(j) or [])]
    if isinstance(v.get("not"), Mapping):
        subs.append((f"{v_path}.not", v["not"]))
    for where, sub in subs:
        yield from _completeness_nested(sub, s, s_path, where)


def _completeness_nested(v: Mapping[str, Any], s: Mapping[str, Any] | None, s_path: str,
                         v_path: str) -> Iterator[str]:
    if s is None:
        yield f"{s_path}: Required value: because it is defined in {v_path}"
        return
    yield from _completeness_value(v, s, s_path, v_path)
    if isinstance(v.get("items"), Mapping):
        items = s.get("items") if isinstance(s.get("items"), Mapping) else None
        yield from _completeness_nested(v["items"], items, f"{s_path}.items", f"{v_path}.items")
    for name, sub in (v.get("properties") or {}).items():
        field = (s.get("properties") or {}).get(name)
        if field is None:
            yield f"{s_path}.properties[{name}]: Required value: because it is defined in " \
                  f"{v_path}.properties[{name}]"
        else:
            yield from _completeness_nested(sub, field, f"{s_path}.properties[{name}]",
                                            f"{v_path}.properties[{name}]")


# -- ValidateCustomResourceDefinitionOpenAPISchema ------------------------------------------------------------------

def openapi_errors(s: Mapping[str, Any], path: str = "") -> Iterator[tuple[str, str]]:
    """(path, message) for the static rules that are not about structure, and CEL rules that do not compile."""
    if s.get("uniqueItems"):
        yield f"{path}.uniqueItems", "Forbidden: uniqueItems cannot be set to true since the runtime complexity " \
                                     "becomes quadratic"
    extra = s.get("additionalProperties")
    if s.get("properties") and extra is not None and extra is not True:
        yield f"{path}.additionalProperties", "Forbidden: additionalProperties and properties are mutual exclusive"
    if s.get("x-kubernetes-preserve-unknown-fields") is False:
        yield f"{path}.x-kubernetes-preserve-unknown-fields", "Invalid value: false: must be true or undefined"
    for key in UNSUPPORTED:
        if s.get(key):
            yield f"{path}.{key}", f"Forbidden: {key} is not supported"
    if s.get("type") == "null":
        yield f"{path}.type", "Forbidden: type cannot be set to null, use nullable as an alternative"
    if isinstance(s.get("items"), list):
        yield f"{path}.items", "Forbidden: items must be a schema object and not an array"
    for i, rule in enumerate(s.get("x-kubernetes-validations") or []):
        message = cel_rule_error(s, str(rule.get("rule") or ""))
        if message:
            yield f"{path}.x-kubernetes-validations[{i}].rule", message
    children: list[tuple[str, Any]] = [(f"{path}.properties[{n}]", sub) for n, sub in
                                       (s.get("properties") or {}).items()]
    children += [(f"{path}.{k}", s[k]) for k in ("items", "additionalProperties", "not") if isinstance(
        s.get(k), Mapping)]
    children += [(f"{path}.{j}[{i}]", sub) for j in JUNCTORS for i, sub in enumerate(s.get(j) or [])]
    for where, sub in children:
        yield from openapi_errors(sub, where)


_SELF_PATH = re.compile(r"\bself((?:\.[A-Za-z_][A-Za-z0-9_]*)+)(\s*\()?")


def cel_rule_error(schema: Mapping[str, Any], rule: str) -> str | None:
    """Why the rule does not compile: CEL syntax (cel-python), or a field of `self` its schema does not declare
    (the API server type-checks rules against the schema: "undefined field")."""
    if not rule:
        return "Required value: rule is not specified"
    try:
        compile_rule(rule)
    except Exception as exc:  # cel-python raises its own CELParseError; any failure is a compile error
        return f"Invalid value: compilation failed: {type(exc).__name__}"
    for match in _SELF_PATH.finditer(rule):
        names = match.group(1).split(".")[1:]
        if match.group(2):
            names = names[:-1]  # the last name is a method call (self.x.startsWith(...))
        node: Mapping[str, Any] | None = schema
        for name in names:
            if node is None or node.get("type") != "object" or node.get("x-kubernetes-preserve-unknown-fields") \
                    or "additionalProperties" in node:
                break  # a map, a list, a scalar or unknown fields: what follows is not checked here
            node = (node.get("properties") or {}).get(name)
            if node is None:
                return f"Invalid value: compilation failed: undefined field '{name}'"
    return None


# -- ValidateCustomResourceColumnDefinition ------------------------------------------------------------------------

def printer_column_errors(column: Mapping[str, Any], path: str) -> list[str]:
    errors = []
    if not column.get("name"):
        errors.append(f"{path}.name: Required value")
    if column.get("type") not in PRINTER_TYPES:
        errors.append(f"{path}.type: Unsupported value: {column.get('type')!r}: must be one of "
                      + ",".join(PRINTER_TYPES))
    if column.get("format") and column["format"] not in PRINTER_FORMATS:
        errors.append(f"{path}.format: Unsupported value: {column['format']!r}")
    json_path = str(column.get("jsonPath") or "")
    problem = jsonpath_error(json_path)
    if problem:
        errors.append(f"{path}.JSONPath: Invalid value: {json_path!r}: {problem}")
    return errors


def jsonpath_error(text: str) -> str | None:
    """validateSimpleJSONPath, then the shape client-go's jsonpath parser accepts: names, [index], [*], [a:b],
    ['key'] and filters [?(@.a.b == "x")], brackets and quotes balanced."""
    if not text:
        return "must not be empty"
    if not text.startswith("."):
        return "must be a simple json path starting with ."
    depth, quote = 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth < 0:
                return "unmatched closing bracket"
    if quote or depth:
        return "unterminated bracket or quote"
    for bracket in re.findall(r"\[([^\[\]]*(?:\[[^\]]*\][^\[\]]*)*)\]", text):
        if not re.fullmatch(r"\*|-?\d+|-?\d*:-?\d*(:-?\d+)?|'[^']*'|\"[^\"]*\"|\?\(.+\)", bracket.strip()):
            return f"unrecognized bracket expression [{bracket}]"
    if re.search(r"\.\.\.|[^A-Za-z0-9_.\[\]'\"?@()=!<>*:\s\-/]", text):
        return "unrecognized character"
    return None


_CHECKED: dict[int, tuple[Mapping[str, Any], list[str]]] = {}  # id -> (crd, errors): the same dict checks once


def check_crd(crd: Mapping[str, Any]) -> None:
    """Raises the API server's 422 when it would refuse the CRD (kubectl apply fails)."""
    cached = _CHECKED.get(id(crd))
    if cached is None or cached[0] is not crd:
        cached = _CHECKED[id(crd)] = (crd, crd_errors(crd))
    if cached[1]:
        name = (crd.get("metadata") or {}).get("name")
        raise kmock.KubernetesError(status=422, reason="Invalid", message=(
            f'CustomResourceDefinition.apiextensions.k8s.io "{name}" is invalid: ' + "; ".join(cached[1][:10])))
