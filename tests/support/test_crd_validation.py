"""The emulator's CRD admission refuses what the API server refuses (apiextensions-apiserver
pkg/apiserver/schema/validation.go ValidateStructural, complete.go, pkg/apis/apiextensions/validation), and every CRD
the project ships or vendors installs through it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import kmock
import pytest
import yaml

from tests.support.crd_validation import crd_errors, jsonpath_error, structural_errors
from tests.support.crds import kserve_crd
from tests.support.k8s_emulator import KubernetesApi

REPO = Path(__file__).resolve().parents[2]
SHIPPED = [REPO / "manifests" / "crd" / "tweetbot.io_tweetbots.yaml",
           REPO / "charts" / "tweetbot-operator" / "files" / "crds" / "tweetbot.io_tweetbots.yaml",
           REPO / "manifests" / "peering" / "kopf-peering-crds.yaml",
           REPO / "charts" / "tweetbot-operator" / "files" / "crds" / "kopf.dev_peerings.yaml"]
# The TweetBot CRD's resources.cpu before issue 22 (the same shape was in resources.memory,
# podTemplate.ephemeralStorage and podTemplate.volumes[].emptyDir.sizeLimit): `minimum` inside the anyOf makes it
# not the int-or-string pattern, so each branch's `type` is forbidden and `kubectl apply` of the CRD failed.
OLD_QUANTITY = yaml.safe_load("""
description: CPU request, e.g. "4" or 3500m (a quantity without a sign).
anyOf: [{type: integer, minimum: 0}, {type: string}]
x-kubernetes-int-or-string: true
pattern: '^(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE])?$'
""")


def crd(schema: dict[str, Any], columns: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    version: dict[str, Any] = {"name": "v1", "served": True, "storage": True,
                               "schema": {"openAPIV3Schema": schema}}
    if columns:
        version["additionalPrinterColumns"] = columns
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "things.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced", "versions": [version],
                     "names": {"kind": "Thing", "plural": "things", "singular": "thing"}}}


def with_spec(props: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"spec": {"type": "object", "properties": props, **spec}}}


def shipped() -> list[dict[str, Any]]:
    return [doc for path in SHIPPED for doc in yaml.safe_load_all(path.read_text()) if doc]


def test_the_old_quantity_schema_is_refused_and_the_int_or_string_forms_are_accepted() -> None:
    old = crd(with_spec({"cpu": OLD_QUANTITY}))
    errors = crd_errors(old)
    assert [e.rsplit(".anyOf", 1)[1] for e in errors] == [
        "[0].type: Forbidden: must be empty to be structural", "[1].type: Forbidden: must be empty to be structural"]
    with pytest.raises(kmock.KubernetesError) as refused:
        KubernetesApi().register_crd(old)
    assert refused.value.status == 422 and "things.example.com" in str(refused.value)
    fixed = {k: v for k, v in OLD_QUANTITY.items() if k != "anyOf"}
    assert crd_errors(crd(with_spec({"cpu": {**fixed, "anyOf": [{"type": "integer"}, {"type": "string"}],
                                             "minimum": 0}}))) == []
    assert crd_errors(crd(with_spec({"cpu": {"x-kubernetes-int-or-string": True}}))) == []
    all_of = {"x-kubernetes-int-or-string": True,
              "allOf": [{"anyOf": [{"type": "integer"}, {"type": "string"}]}, {"pattern": "^[0-9]+$"}]}
    assert crd_errors(crd(with_spec({"cpu": all_of}))) == []
    swapped = {"x-kubernetes-int-or-string": True, "anyOf": [{"type": "string"}, {"type": "integer"}]}
    assert len(crd_errors(crd(with_spec({"cpu": swapped})))) == 2  # DeepEqual: the order is part of the pattern


@pytest.mark.parametrize(("schema", "expected"), [
    (with_spec({"a": {"description": "no type"}}), "[a].type: Required value: must not be empty for specified"),
    ({"type": "object", "properties": {"l": {"type": "array"}}}, ".items: Required value: must be specified"),
    ({"type": "object", "additionalProperties": {"type": "string"}}, "additionalProperties: Forbidden: must not"),
    (with_spec({"a": {"type": "string"}}, anyOf=[{"properties": {"a": {"description": "x"}}}]),
     ".description: Forbidden: must be empty to be structural"),
    ({**with_spec({}), "oneOf": [{"required": ["spec"]}, {"properties": {"b": {"minLength": 1}}}]},
     "[b]: Required value: because it is defined in"),  # complete.go checks the root's junctors
    (with_spec({"a": {"type": "string"}}, allOf=[{"x-kubernetes-validations": [{"rule": "true"}]}]),
     "x-kubernetes-validations: Forbidden: must be empty to be structural"),
    ({"type": "object", "properties": {"metadata": {"type": "object", "properties": {"labels": {
        "type": "object"}}}}}, "must not specify anything other than name and generateName"),
    ({"type": "object", "properties": {"metadata": {"type": "object", "properties": {"name": {
        "type": "string", "maxLength": 20}}}}}, None),
    (with_spec({"a": {"x-kubernetes-int-or-string": True, "x-kubernetes-preserve-unknown-fields": True}}),
     "must be false if x-kubernetes-int-or-string is true"),
    (with_spec({"a": {"type": "array", "items": {"type": "string"}, "uniqueItems": True}}), "uniqueItems"),
    (with_spec({"a": {"type": "string"}}, additionalProperties={"type": "string"}), "mutual exclusive"),
    (with_spec({"a": {"type": "string"}}, **{"x-kubernetes-validations": [{"rule": "self.a =="}]}),
     "compilation failed"),
    (with_spec({"a": {"type": "string"}}, **{"x-kubernetes-validations": [{"rule": "self.b == 'x'"}]}),
     "undefined field 'b'"),
    (with_spec({"a": {"type": "string"}}, **{"x-kubernetes-validations": [{"rule": "self.a.startsWith('x')"}]}),
     None),
])
def test_the_api_servers_schema_rules(schema: dict[str, Any], expected: str | None) -> None:
    errors = crd_errors(crd(schema))
    if expected is None:
        assert errors == []
    else:
        assert any(expected in e for e in errors), errors


@pytest.mark.parametrize(("path", "ok"), [
    (".status.phase", True), ('.status.conditions[?(@.type=="Ready")].status', True), (".spec.items[0]", True),
    ("status.phase", False), ('.status.conditions[?(@.type=="Ready").status', False), (".spec.x[a b]", False)])
def test_printer_column_json_paths(path: str, ok: bool) -> None:
    assert (jsonpath_error(path) is None) == ok
    column = {"name": "C", "type": "string", "jsonPath": path}
    assert (crd_errors(crd({"type": "object"}, [column])) == []) == ok


def test_every_crd_the_project_ships_and_vendors_installs() -> None:
    api = KubernetesApi()
    crds = [*shipped(), kserve_crd()]
    assert {c["metadata"]["name"] for c in crds} >= {
        "tweetbots.tweetbot.io", "clusterkopfpeerings.kopf.dev", "kopfpeerings.kopf.dev",
        "inferenceservices.serving.kserve.io"}
    for each in crds:
        api.register_crd(each)
    assert structural_errors(copy.deepcopy(kserve_crd()["spec"]["versions"][0]["schema"]["openAPIV3Schema"])) == []


def test_the_shipped_copies_agree() -> None:
    by_name: dict[str, list[dict[str, Any]]] = {}
    for doc in shipped():
        by_name.setdefault(doc["metadata"]["name"], []).append(doc)
    assert all(len(copies) == 2 and copies[0] == copies[1] for copies in by_name.values())
