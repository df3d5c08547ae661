"""One examples folder (manifests/examples; operator/examples merged into it), no near-duplicates, and run ids
in the examples' comments spelled as the operator makes them. tests/deploy/test_manifests.py validates every
example against the CRD and renders each into the operator's Job."""

from __future__ import annotations

import itertools
import re
from typing import Any

import yaml
from tweetbot_operator.spec.naming import run_id

from tests.deploy.render import MANIFESTS, REPO

EXAMPLES = sorted((MANIFESTS / "examples").glob("*.yaml"))


def flat(obj: Any, prefix: str = "") -> set[tuple[str, str]]:
    if isinstance(obj, dict):
        return set().union(*(flat(v, f"{prefix}.{k}") for k, v in obj.items())) if obj else {(prefix, "{}")}
    return {(prefix, repr(obj))}


def test_one_examples_folder():
    assert not (REPO / "operator" / "examples").exists()
    assert len(EXAMPLES) >= 9


def test_no_near_duplicates():
    """Each example shows something the others do not: no pair where one holds 75% or more of the other's
    settings (path and value) and the two differ in fewer than 6 (operator/examples/archive.yaml was 100% and 4)."""
    specs = {p.name: flat(yaml.safe_load(p.read_text())["spec"]) for p in EXAMPLES}
    for (a, sa), (b, sb) in itertools.combinations(specs.items(), 2):
        overlap = len(sa & sb) / min(len(sa), len(sb))
        assert overlap < 0.75 or len(sa ^ sb) >= 6, f"{a} and {b}: {overlap:.0%} shared, {len(sa ^ sb)} differ"


def test_run_ids_in_comments_match_the_operator():
    spelled = run_id("NAME", "0123abcd-0000", 7).replace("NAME", "<name>").replace("0123abcd", "<uid8>")
    assert spelled == "<name>-<uid8>-g7"
    for path in EXAMPLES:
        name = yaml.safe_load(path.read_text())["metadata"]["name"]
        for found in re.findall(r"run id:? (\S+)", path.read_text()):
            assert re.match(rf"(<name>|{re.escape(name)})-<uid8>-g<generation>", found), f"{path.name}: {found}"
