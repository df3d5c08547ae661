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

No Helm release owns the object, so it names an owner (TWEETBOT_PEERING_OWNER: the release's ClusterRole, which
`helm uninstall` deletes): the garbage collector then deletes it too. A cluster-scoped owner is valid for both the
cluster-scoped ClusterKopfPeering and a namespaced KopfPeering (kubernetes.io "Owners and dependents").
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from tweetbot_operator.k8s.client import ApiError, Kube
from tweetbot_operator.spec import constants as c

log = logging.getLogger(__name__)

GROUP_VERSION = "kopf.dev/v1"
_OWNER_WARNED: set[str] = set()


def peering_body(path: str, record: dict[str, Any], identity: str,
                 owner: dict[str, Any] | None = None) -> dict[str, Any]:
    """The object at `path` (a path of ops/peering.peering_paths) with one record in its status."""
    parts = path.strip("/").split("/")
    name, plural = parts[-1], parts[-2]
    metadata: dict[str, Any] = {"name": name, "labels": {c.LABEL_MANAGED_BY: c.MANAGER}}
    if "namespaces" in parts:
        metadata["namespace"] = parts[parts.index("namespaces") + 1]
    if owner is not None:
        metadata["ownerReferences"] = [owner]
    kind = "ClusterKopfPeering" if plural == "clusterkopfpeerings" else "KopfPeering"
    return {"apiVersion": GROUP_VERSION, "kind": kind, "metadata": metadata, "status": {identity: record}}


def own_record(priority: int, lifetime: int, now: datetime | None = None) -> dict[str, Any]:
    """This replica's record as kopf's `Peer.as_dict` writes it."""
    seen = now or datetime.now(UTC)
    return {"priority": int(priority), "lifetime": int(lifetime), "lastseen": seen.isoformat()}


async def owner_reference(kube: Kube, cluster_role: str) -> dict[str, Any] | None:
    """A reference to the ClusterRole `cluster_role` (no blockOwnerDeletion: that needs more rights on it);
    None without a name, or when it cannot be read (the object is then created without an owner)."""
    if not cluster_role:
        return None
    try:
        role = await kube.get(f"/apis/rbac.authorization.k8s.io/v1/clusterroles/{cluster_role}")
        problem = "does not exist" if role is None else ""
    except ApiError as exc:
        role, problem = None, f"cannot be read: {exc.status} {exc.reason}"
    if role is None:
        if cluster_role not in _OWNER_WARNED:  # once: creation is retried every few seconds
            _OWNER_WARNED.add(cluster_role)
            log.warning("the peering owner ClusterRole %s %s; the peering object gets no owner", cluster_role,
                        problem)
        return None
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "name": cluster_role,
            "uid": role["metadata"]["uid"]}


async def ensure_peering_object(kube: Kube, path: str, identity: str, priority: int, lifetime: int,
                                *, owner: str = "") -> dict[str, Any] | None:
    """The peering object at `path`, created with this replica's record when absent (owned by the ClusterRole
    `owner`, if named); on AlreadyExists the record is patched in. Refusals raise ApiError."""
    record = own_record(priority, lifetime)
    try:
        body = peering_body(path, record, identity, await owner_reference(kube, owner))
        created = await kube.create(path.rsplit("/", 1)[0], body)
        log.info("created the peering object %s", path)
        return created
    except ApiError as exc:
        if exc.status != 409:
            raise
    return await kube.merge_patch(path, {"status": {identity: record}})


async def get_or_create(kube: Kube, path: str, identity: str, priority: int, lifetime: int, *,
                        warned: set[str], owner: str = "") -> dict[str, Any] | None:
    """GET, else create; None when it cannot be created (no kopf peering CRD, no RBAC): the caller keeps
    reporting the replica frozen and retries. A refusal is logged once per path (which object, which answer)."""
    found = await kube.get(path)
    if found is not None:
        return found
    try:
        made = await ensure_peering_object(kube, path, identity, priority, lifetime, owner=owner)
    except ApiError as exc:
        if path not in warned:
            warned.add(path)
            hint = " (are kopf's peering CRDs installed?)" if exc.status == 404 else ""
            log.warning("cannot create the peering object %s: %s %s%s", path, exc.status, exc.reason, hint)
        return None
    warned.discard(path)
    return made
