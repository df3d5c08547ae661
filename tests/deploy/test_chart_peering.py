"""One `helm install` works with every combination of peering and templated CRDs (issue 29, item 4).

Helm's rule (helm/helm pkg/action/install.go, `Install.RunWithContext`): only the chart's `crds/` files are created
before anything else (`installCRDs`, which then waits for them and resets the REST mapper). The rendered templates
become the release manifest, and `KubeClient.Build(rel.Manifest)` maps *every* object in it to a resource through
the API server's discovery before a single one is created ("unable to build kubernetes objects from release
manifest: ... no matches for kind"). Upgrades do the same with the target manifest
(pkg/action/upgrade.go, `Upgrade.performUpgrade`), and hooks at their execution (pkg/action/hooks.go, `execHook`).
So a templated CRD and an object of its kind in one release fail the first install. The peering object is
therefore not in the chart: the operator creates it (tweetbot_operator/ops/peering_object.py).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.deploy.render import helm, load_all

PEERING = ("false", "true")
CRDS_ENABLED = ("true", "false")
CRDS_KEEP = ("true", "false")
WATCH = ("", "bots")  # cluster-wide (ClusterKopfPeering), namespaced (KopfPeering)
COMBINATIONS = list(itertools.product(PEERING, CRDS_ENABLED, CRDS_KEEP, WATCH))


def release_manifest(*sets: str) -> list[dict[str, Any]]:
    """What `helm install` puts in the release manifest: the templates without `--include-crds` (a `crds/` folder
    is installed before the manifest is built), hooks included, since they are built the same way."""
    proc = helm("template", "tb", "charts/tweetbot-operator", "--namespace", "tweetbot-system", *sets)
    assert proc.returncode == 0, proc.stderr
    return load_all(proc.stdout)


def kinds_defined_by_crds(objects: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(o["spec"]["group"], o["spec"]["names"]["kind"]) for o in objects
            if o.get("kind") == "CustomResourceDefinition"}


@pytest.mark.parametrize(("peering", "crds", "keep", "watch"), COMBINATIONS)
def test_no_object_of_a_kind_that_the_same_release_defines(peering: str, crds: str, keep: str, watch: str):
    sets = ["--set", f"peering.enabled={peering}", "--set", f"crds.enabled={crds}", "--set", f"crds.keep={keep}"]
    if watch:
        sets += ["--set", f"watchNamespaces={{{watch}}}"]
    objects = release_manifest(*sets)
    defined = kinds_defined_by_crds(objects)
    assert defined == ({("tweetbot.io", "TweetBot")} | (
        {("kopf.dev", "KopfPeering"), ("kopf.dev", "ClusterKopfPeering")} if peering == "true" else set())
        if crds == "true" else set())
    unmappable = [f"{o['kind']}/{o['metadata']['name']}" for o in objects
                  if (o["apiVersion"].split("/")[0], o["kind"]) in defined]
    assert unmappable == [], f"a first `helm install` fails: no matches for kind of {unmappable}"
