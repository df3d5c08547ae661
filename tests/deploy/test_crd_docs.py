"""The CRD explains itself: a description on every field (kubectl explain), wide columns only with -o wide,
`kubectl get all` includes TweetBots, and docs/api.md is generated from the schema (scripts/gen_api_docs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.deploy.render import CRD_FILE, REPO, load_all, load_script


def crd() -> dict[str, Any]:
    return load_all(CRD_FILE.read_text())[0]


def undescribed(node: dict[str, Any], path: str = "") -> list[str]:
    out = []
    for key, sub in (node.get("properties") or {}).items():
        where = f"{path}.{key}" if path else key
        if not sub.get("description"):
            out.append(where)
        out += undescribed(sub, where)
    if isinstance(node.get("items"), dict):
        out += undescribed(node["items"], f"{path}[]")
    if isinstance(node.get("additionalProperties"), dict):
        out += undescribed(node["additionalProperties"], f"{path}.<key>")
    return out


def test_every_field_has_a_description():
    for version in crd()["spec"]["versions"]:
        # The root metadata may carry nothing but its type: a real API server refuses a description there
        # (apiextensions-apiserver validateStructuralMetadataInvariants; tests/support/crd_validation.py).
        assert undescribed(version["schema"]["openAPIV3Schema"]) == ["metadata"]
    assert undescribed({"properties": {"a": {"type": "object", "properties": {"b": {"type": "string"}}}}}) == [
        "a", "a.b"]  # the walk itself sees nested fields


def test_wide_columns_and_categories():
    spec = crd()["spec"]
    columns = {c["name"]: c for c in spec["versions"][0]["additionalPrinterColumns"]}
    wide = ("Users", "Model", "Tracking", "Engine")  # long or detail values: `kubectl get tb -o wide` only
    assert all(columns[name]["priority"] == 1 for name in wide)
    assert all(c.get("priority", 0) == 0 for n, c in columns.items() if n not in wide)
    assert spec["names"]["categories"] == ["tweetbot", "all"]


def test_api_docs_are_generated_from_the_schema(tmp_path: Path):
    gen = load_script("gen_api_docs")
    assert gen.main(["--check"]) == 0, "docs/api.md is stale: run python scripts/gen_api_docs.py"
    text = (REPO / "docs" / "api.md").read_text()
    assert "| `status.progress.etaSeconds` |" in text and "| `spec.users` | []string | required |" in text
    gen.OUT = tmp_path / "api.md"
    gen.OUT.write_text(text.replace("Percent of training steps done.", "stale"))
    assert gen.main(["--check"]) == 1
