"""The CRD YAML: well-formed, self-consistent, and its schema admits the examples and rejects bad TweetBots."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from tweetbot_operator.spec.validation import validate_spec
from tweetbot_operator.training.status import derive_status

from tests.operator.factories import (
    CRD_PATH,
    REPO,
    SCHEMA,
    SUCCESS_MESSAGE,
    condition,
    job,
    pod,
    readme_example,
    specs,
    terminated,
    tweetbot,
)
from tests.support.k8s_schema import admit, apply_defaults, compile_rule, iter_rules, validate, version_schema

EXAMPLES = sorted((REPO / "manifests" / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def crd() -> dict[str, Any]:
    return yaml.safe_load(CRD_PATH.read_text())


@pytest.fixture(scope="module")
def schema(crd) -> dict[str, Any]:
    return version_schema(crd, "v1alpha1")


def test_crd_identity(crd):
    assert crd["apiVersion"] == "apiextensions.k8s.io/v1"
    assert crd["kind"] == "CustomResourceDefinition"
    assert crd["metadata"]["name"] == "tweetbots.tweetbot.io"
    spec = crd["spec"]
    assert spec["group"] == "tweetbot.io" and spec["scope"] == "Namespaced"
    assert spec["names"]["kind"] == "TweetBot" and spec["names"]["plural"] == "tweetbots"
    assert "tb" in spec["names"]["shortNames"]
    [version] = spec["versions"]
    assert version["name"] == "v1alpha1" and version["served"] and version["storage"]
    assert version["subresources"] == {"status": {}}


def _resolve(schema: dict[str, Any], json_path: str) -> dict[str, Any]:
    metadata = {"type": "object", "properties": {"creationTimestamp": {"type": "string"}}}
    node = {"type": "object", "properties": {**schema["properties"], "metadata": metadata}}
    for part in re.sub(r"\[\?\(@\.[a-z]+==\"[A-Za-z]+\"\)\]", "[]", json_path).strip(".").split("."):
        name, is_list = part.removesuffix("[]"), part.endswith("[]")  # a filter picks items of a list
        node = node["properties"][name]
        if is_list:
            node = node["items"]
    return node


def test_printer_columns_point_at_schema_fields(crd, schema):
    columns = crd["spec"]["versions"][0]["additionalPrinterColumns"]
    assert [c["name"] for c in columns] == ["Phase", "Users", "Kept posts", "Newest post", "Loss", "Quality",
                                          "Progress", "Ready", "Model", "Serving", "Engine", "Tracking", "Age"]
    for column in columns:
        assert _resolve(schema, column["jsonPath"]), column


def _walk(node: dict[str, Any], path: str = ""):
    yield path, node
    for name, sub in (node.get("properties") or {}).items():
        yield from _walk(sub, f"{path}.{name}")
    if isinstance(node.get("items"), dict):
        yield from _walk(node["items"], f"{path}[]")


def test_schema_is_structural_and_documented(schema):
    for path, node in _walk(schema):
        # structural: every node has a type, except int-or-string and preserved free-form objects
        assert "type" in node or node.get("x-kubernetes-int-or-string"), path
        if node.get("type") == "array":
            assert isinstance(node.get("items"), dict), path
        # every spec field teaches itself through `kubectl explain`
        if path.startswith(".spec.") and path.count(".") == 2 and "[" not in path:
            assert node.get("description"), f"{path} has no description"
        if "default" in node:
            assert validate(node, apply_defaults(node, node["default"])) == [], path
        if "enum" in node:
            assert "default" not in node or node["default"] in node["enum"], path


def test_cel_rules_compile_and_name_real_fields(schema):
    rules = list(iter_rules(schema))
    assert len(rules) >= 3
    for path, node, rule in rules:
        compile_rule(rule["rule"])
        # the API server estimates a rule's cost from maxLength/maxItems: strings it scans must be bounded
        for field in re.findall(r"self\.source\.(\w+)\.uri", rule["rule"]):
            assert node["properties"]["source"]["properties"][field]["properties"]["uri"].get("maxLength"), path
        assert rule.get("message"), path
        for field in re.findall(r"self\.(\w+)(?!\w*\()", rule["rule"]):  # fields, not macros (self.all(...))
            assert field in node.get("properties", {}), f"{path}: {rule['rule']} names unknown {field}"
        if node.get("type") == "object" and "additionalProperties" in node:  # a rule over a map's keys
            assert node.get("maxProperties"), f"{path}: unbounded map in a CEL rule"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_are_admitted(schema, path):
    obj = yaml.safe_load(path.read_text())
    stored, errors = admit(schema, obj)
    assert errors == []
    assert validate_spec(stored["spec"]) == []
    assert stored["spec"]["baseModel"]  # defaulted when left out


def test_readme_example_is_admitted_with_defaults(schema):
    stored, errors = admit(schema, readme_example())
    assert errors == []
    spec = stored["spec"]
    assert spec["baseModel"] == "gpt2"
    assert spec["training"] == {"epochs": 4, "learningRate": 1.372e-4, "blockSize": 1024, "seed": 42,
                                "precision": "auto"}
    assert spec["deletionPolicy"] == "Retain" and spec["suspend"] is False and spec["backoffLimit"] == 2


def test_unknown_fields_are_pruned(schema):
    obj = readme_example()
    obj["spec"]["unknownField"] = 1
    obj["spec"]["affinity"] = {"nodeAffinity": {"anything": True}}  # free-form, preserved
    stored, errors = admit(schema, obj)
    assert errors == [] and "unknownField" not in stored["spec"]
    assert stored["spec"]["affinity"] == {"nodeAffinity": {"anything": True}}


BAD: list[tuple[str, Any, str]] = [
    ("users", [], "users"),
    ("users", ["a", "b", "c", "d"], "users"),
    ("users", ["has space"], "users"),
    ("users", ["a", "a"], "users"),  # x-kubernetes-list-type: set is not jsonschema; the operator rejects it
    ("source", {}, "exactly one of"),
    ("source", {"archive": {"uri": "s3://a/{user}.zip"}, "bluesky": {}}, "exactly one of"),
    ("source", {"xApi": {}}, "tokenSecret"),
    ("output", {"s3": "https://not-s3/"}, "s3"),
    ("output", {"endpoint": "http://x"}, "s3"),
    ("training", {"precision": "int4"}, "precision"),
    ("training", {"epochs": 0}, "epochs"),
    ("training", {"learningRate": 0}, "learningRate"),
    ("deletionPolicy", "Maybe", "deletionPolicy"),
    ("resources", {"gpus": -1}, "gpus"),
    ("resources", {"memory": "lots"}, "memory"),
    ("backoffLimit", 100, "backoffLimit"),
    # What the API server would refuse in the Job (issue 11, defect 4): rejected at the TweetBot already.
    ("resources", {"memory": "-16Gi"}, "memory"),
    ("resources", {"cpu": "+4"}, "cpu"),
    ("resources", {"cpu": -1}, "cpu"),
    ("nodeSelector", {"bad key!": "x"}, "label keys"),
    ("nodeSelector", {"example.com/" + "n" * 64: "x"}, "label keys"),
    ("nodeSelector", {"Bad_Prefix/gpu": "x"}, "label keys"),
    ("nodeSelector", {"gpu": "not a label value"}, "nodeSelector"),
    ("tolerations", [{"operator": "Equal", "value": "x"}], "without a key"),
    ("tolerations", [{"value": "x"}], "without a key"),
    ("tolerations", [{"key": "k", "operator": "Exists", "value": "x"}], "must not have a value"),
    ("tolerations", [{"key": "k", "effect": "NoSchedule", "tolerationSeconds": 5}], "NoExecute"),
    ("tolerations", [{"key": "bad key!", "operator": "Exists"}], "tolerations"),
    ("tolerations", [{"key": "k", "value": "has spaces"}], "tolerations"),
    ("resources", {"gpuResourceName": "gpu"}, "gpuResourceName"),  # issue 14: needs a vendor domain
    ("baseModelTokenSecret", {"key": "token"}, "name"),  # issue 14: which Secret
]


@pytest.mark.parametrize(("field", "value", "expected"), BAD, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(BAD)])
def test_bad_tweetbots_are_rejected(schema, field, value, expected):
    obj = readme_example()
    obj["spec"][field] = copy.deepcopy(value)
    stored, errors = admit(schema, obj)
    operator_errors = validate_spec(stored["spec"])
    assert errors or operator_errors, f"{field}={value!r} was admitted"
    assert expected in " ".join(errors + operator_errors)


def test_several_users_need_a_user_placeholder(schema):
    obj = readme_example()
    obj["spec"]["users"] = ["a", "b"]
    errors = admit(schema, obj)[1]
    assert errors == ["spec: with several users, source.archive.uri must contain {user} (one archive per user)"]
    assert "{user}" in " ".join(validate_spec(obj["spec"]))
    obj["spec"]["source"]["archive"]["uri"] = "s3://bots/archives/{user}.zip"
    assert admit(schema, obj)[1] == []


def test_status_schema_accepts_what_the_operator_writes(schema):
    status = derive_status(tweetbot(), job(conditions=[condition("Complete")]),
                           [pod(phase="Succeeded", state=terminated(SUCCESS_MESSAGE))], datetime.now(UTC))
    obj = {**readme_example(), "status": status}
    stored, errors = admit(schema, obj)
    assert errors == [] and stored["status"] == status


@settings(max_examples=60, deadline=None)
@given(spec=specs)
def test_generated_specs_are_admitted_by_the_crd(spec):
    """The builder's generated inputs (tests/operator/test_jobs.py) are TweetBots the API server accepts."""
    obj = {"apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot", "metadata": {"name": "g"}, "spec": spec}
    stored, errors = admit(SCHEMA, obj)
    assert errors == []
    assert validate_spec(stored["spec"]) == []


def test_validate_never_hands_one_schema_the_validator_of_another():
    """Regression: validators were cached by id(schema) alone, and a freed schema's id, reused by a new dict,
    once made a string field be checked as an object."""
    for i in range(200):
        kind = "object" if i % 2 else "string"
        assert validate({"type": kind}, {} if kind == "object" else "Retain") == [], i
