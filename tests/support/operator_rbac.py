"""The operator's RBAC as users deploy it (the chart in both modes, kustomize), bound to the token the operator
under test logs in with, so that the emulator answers 403 to whatever those roles do not grant."""

from __future__ import annotations

from functools import cache

from tests.deploy.render import MANIFESTS, helm_template, kustomize
from tests.support.k8s_rbac import Grant, service_account_grants

OPERATOR_TOKEN = "test-token"  # what tests/operator/conftest.py's kubeconfig carries
RELEASE_NAMESPACE = "tweetbot-system"
SOURCES = ("chart", "chart-watch-namespaces", "kustomize")


@cache
def operator_grants(source: str = "chart", watch: tuple[str, ...] = ("default",)) -> tuple[str, tuple[Grant, ...]]:
    """(user name, grants) of the operator's ServiceAccount as `source` renders it."""
    if source == "kustomize":
        objects, account = kustomize(MANIFESTS), "tweetbot-operator"
    elif source == "chart":
        objects, account = helm_template(), "tb-tweetbot-operator"
    elif source == "chart-watch-namespaces":
        objects = helm_template("--set-json", f"watchNamespaces={list(watch)!r}".replace("'", '"'))
        account = "tb-tweetbot-operator"
    else:
        raise ValueError(f"unknown RBAC source {source!r}; one of {', '.join(SOURCES)}")
    grants = service_account_grants(objects, RELEASE_NAMESPACE, account)
    if not grants:
        raise AssertionError(f"{source} binds no role to ServiceAccount {RELEASE_NAMESPACE}/{account}")
    return f"system:serviceaccount:{RELEASE_NAMESPACE}:{account}", tuple(grants)
