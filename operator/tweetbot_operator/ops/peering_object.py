"""The peering object, created by the operator when it is absent.

kopf never creates it (nolar/kopf kopf/_core/engines/peering.py: `touch` only patches and logs "not found"), and
with `--peering NAME` (running.py sets `settings.peering.mandatory`) orchestration.py's `spawn_missing_peerings`
starts every operator paused until the peering watch delivers the object: without it no replica ever serves.
The chart cannot template it beside its templated kopf CRDs: Helm maps every object of a release manifest before
creating any (helm/helm pkg/action/install.go, `KubeClient.Build(rel.Manifest)`), so the kind would be unknown on
the first install. Creating it here makes one `helm install`, `kubectl apply -k` or GitOps sync enough.

The object is created with this replica's record in its status, as kopf's first keep-alive writes it (the kopf
CRDs have no status subresource), and on AlreadyExists (a peer created it first) the record is patched in: a peer
that reads the new object sees this replica at once, not only at kopf's next keep-alive a lifetime later.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from tweetbot_operator.k8s.client import ApiError, Kube
from tweetbot_operator.spec import constants as c

log = logging.getLogger(__name__)

GROUP_VERSION = "kopf.dev/v1"


def peering_body(path: str, record: dict[str, Any], identity: str) -> dict[str, Any]:
    """The object at `path` (a path of ops/peering.peering_paths) with one record in its status."""
    parts = path.strip("/").split("/")
    name, plural = parts[-1], parts[-2]
    metadata: dict[str, Any] = {"name": name, "labels": {c.LABEL_MANAGED_BY: c.MANAGER}}
    if "namespaces" in parts:
        metadata["namespace"] = parts[parts.index("namespaces") + 1]
    kind = "ClusterKopfPeering" if plural == "clusterkopfpeerings" else "KopfPeering"
    return {"apiVersion": GROUP_VERSION, "kind": kind, "metadata": metadata, "status": {identity: record}}


def own_record(priority: int, lifetime: int, now: datetime | None = None) -> dict[str, Any]:
    """This replica's record as kopf's `Peer.as_dict` writes it."""
    seen = now or datetime.now(UTC)
    return {"priority": int(priority), "lifetime": int(lifetime), "lastseen": seen.isoformat()}


async def ensure_peering_object(kube: Kube, path: str, identity: str, priority: int,
                                lifetime: int) -> dict[str, Any] | None:
    """The peering object at `path`, created with this replica's record when absent. None when it cannot be
    created (no kopf peering CRD, no RBAC): the caller keeps reporting the replica frozen and retries."""
    record = own_record(priority, lifetime)
    try:
        created = await kube.create(path.rsplit("/", 1)[0], peering_body(path, record, identity))
        log.info("created the peering object %s", path)
        return created
    except ApiError as exc:
        if exc.status != 409:
            raise
    return await kube.merge_patch(path, {"status": {identity: record}})


async def get_or_create(kube: Kube, path: str, identity: str, priority: int, lifetime: int, *,
                        warned: set[str]) -> dict[str, Any] | None:
    """GET, else create; a refusal is logged once per path (one line: which object, which answer)."""
    found = await kube.get(path)
    if found is not None:
        return found
    try:
        made = await ensure_peering_object(kube, path, identity, priority, lifetime)
    except ApiError as exc:
        if path not in warned:
            warned.add(path)
            hint = " (are kopf's peering CRDs installed?)" if exc.status == 404 else ""
            log.warning("cannot create the peering object %s: %s %s%s", path, exc.status, exc.reason, hint)
        return None
    warned.discard(path)
    return made
