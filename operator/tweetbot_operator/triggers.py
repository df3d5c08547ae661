"""Which TweetBot watch events start a reconcile. Pure, but for the kopf storage class below.

The operator is level-triggered: a reconcile reads the cluster and writes what differs, so it does not need
kopf's change detection (a `last-handled-configuration` annotation PATCHed on every object, a wait for that
PATCH to come back, handlers re-run when it comes late). TweetBot events go to one `kopf.on.event` handler,
which reconciles what a TweetBot event can change: a new object, a new generation (spec), a status that is
missing or describes another generation, and everything on the operator's first listing (resume). The
operator's own status writes change none of these and cost no reconcile; Job events and the poller cover the
rest. Only deletion (deletionPolicy: Delete) still uses kopf's handlers, for its finalizer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import kopf


def needs_reconcile(body: Mapping[str, Any], event_type: str | None) -> bool:
    """`event_type` is the watch event's type; kopf gives None for the objects of its initial listing."""
    if event_type == "DELETED":
        return False
    meta, status = body.get("metadata") or {}, body.get("status") or {}
    if meta.get("deletionTimestamp"):
        return False  # the deletion handler's (or nobody's) business now
    if event_type is None or not status:
        return True
    return status.get("observedGeneration") != meta.get("generation")


class NoChangeDetection(kopf.DiffBaseStorage):
    """kopf's diff base, never stored: the stored essence always equals the current one, so kopf's change
    detection sees nothing change (only the deletion handler uses it), writes no annotation and waits for no
    PATCH of its own. The essence holds just the field that the deletion handler's filter reads (kopf resolves
    `field=` filters of changing handlers in the essences, not in the body)."""

    def build(self, *, body: kopf.Body, extra_fields: Any = None) -> kopf.BodyEssence:
        policy = (body.get("spec") or {}).get("deletionPolicy")
        return kopf.BodyEssence(spec={"deletionPolicy": policy}) if policy is not None else kopf.BodyEssence()

    def fetch(self, *, body: kopf.Body) -> kopf.BodyEssence | None:
        return self.build(body=body)

    def store(self, *, body: kopf.Body, patch: kopf.Patch, essence: kopf.BodyEssence) -> None:
        return None
