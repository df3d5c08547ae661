"""The one read of Secrets the operator makes: their labels (PartialObjectMetadata, never their data), to check
that every Secret a TweetBot names opted in to being used by TweetBots (spec/tenancy.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_operator.k8s.client import ApiError, Kube, secrets_path
from tweetbot_operator.spec.tenancy import Tenancy, named_secrets, unusable


async def secret_problems(kube: Kube, namespace: str, spec: Mapping[str, Any], tenancy: Tenancy) -> list[str]:
    """Why the TweetBot may not use the Secrets it names; empty when it may (or when no label is required)."""
    if not tenancy.secret_label:
        return []
    problems: list[str] = []
    checked: dict[str, str | None] = {}
    for field, name in named_secrets(spec):
        if name in tenancy.secret_names:
            continue
        if name not in checked:
            checked[name] = await _problem(kube, namespace, name, tenancy)
        if checked[name]:
            problems.append(f"{field}: {checked[name]}")
    return problems


async def _problem(kube: Kube, namespace: str, name: str, tenancy: Tenancy) -> str | None:
    label = f'{tenancy.secret_label}: "true"'
    try:
        found = await kube.get_metadata(secrets_path(namespace, name))
    except ApiError as exc:
        if exc.status == 403:
            return f"the operator may not read Secret {name}'s labels (its Role needs get on secrets)"
        raise
    if found is None:
        return f"Secret {name} does not exist (create it with the label {label}; the run waits for it)"
    if unusable(name, found["metadata"].get("labels"), tenancy):
        return f"Secret {name} is not labelled {label}: its owner must opt it in for TweetBots"
    return None
