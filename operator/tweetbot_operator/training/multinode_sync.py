"""The one write multi-node training adds to a reconcile: the headless Service the nodes rendezvous through,
created before the Job and put back if deleted. Decisions are the pure builders' (multinode.py, jobs.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_operator.k8s.client import ApiError, Kube, services_path
from tweetbot_operator.training.job import build_rendezvous_service
from tweetbot_operator.training.runs import owned_by


async def ensure_service(kube: Kube, tb: Mapping[str, Any], *, look_first: bool) -> str | None:
    """Creates the TweetBot's headless Service when missing (409: there already); `look_first`: GET before the
    POST (a running Job's Service is there nearly always). Returns why the run cannot start, or None: a Service of
    that name which this TweetBot does not own is never touched."""
    body = build_rendezvous_service(tb)
    namespace, name = tb["metadata"]["namespace"], body["metadata"]["name"]
    existing = await kube.get(services_path(namespace, name)) if look_first else None
    if existing is None:
        try:
            await kube.create(services_path(namespace), body)
            return None
        except ApiError as exc:
            if exc.status != 409:
                raise
        existing = await kube.get(services_path(namespace, name))
    if existing is not None and not owned_by(existing, tb):
        return (f"Service {name} exists and is not this TweetBot's: its nodes find each other through a Service "
                "of that name; delete or rename that one and the run starts")
    return None
