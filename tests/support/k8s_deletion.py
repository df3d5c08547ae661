"""The emulator's deletion: finalizers, garbage collection of dependents by ownerReferences (background,
foreground, orphan), and graceful deletion of pods bound to a node. A mixin of
tests/support/k8s_emulator.KubernetesApi, whose state (`_index`, `_lock`) and helpers it uses."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

import kmock

from tests.support.k8s_namespaces import NAMESPACES
from tests.support.k8s_values import clone, now_rfc3339

FOREGROUND = "foregroundDeletion"  # the finalizer that holds an owner until its blocking dependents are gone
DEFAULT_GRACE_SECONDS = 30  # a pod's terminationGracePeriodSeconds when it does not say


def grace_seconds(obj: Mapping[str, Any], options: Mapping[str, Any]) -> int:
    """How long a pod being deleted may take to stop: 0 for objects that are not running pods (they go at once);
    for a pod bound to a node and not finished, DeleteOptions.gracePeriodSeconds, else its own
    terminationGracePeriodSeconds, else 30 (the kubelet then sends SIGTERM, waits, and SIGKILLs)."""
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    if obj.get("kind") != "Pod" or not spec.get("nodeName") or status.get("phase") in ("Succeeded", "Failed"):
        return 0
    given = options.get("gracePeriodSeconds")
    return int(given if given is not None else spec.get("terminationGracePeriodSeconds", DEFAULT_GRACE_SECONDS))


class DeletionMixin:
    _index: Any
    _lock: Any

    async def _delete(self, res: Any, namespace: str | None, name: str, options: Any) -> dict[str, Any]:
        opts = options if isinstance(options, Mapping) else {}
        if res == NAMESPACES:
            return await self._delete_namespace(name)  # type: ignore[attr-defined]
        async with self._lock:
            stored = self._live(res, namespace, name)
            obj = clone(stored.raw)
            meta = obj["metadata"]
            grace = grace_seconds(obj, opts)
            foreground = opts.get("propagationPolicy") == "Foreground" and not meta.get("deletionTimestamp")
            if foreground:  # set whether or not it has dependents, as the API server's deletion does
                meta["finalizers"] = [*(meta.get("finalizers") or []), FOREGROUND]
            if meta.get("finalizers") or (grace and not meta.get("deletionTimestamp")):
                if not meta.get("deletionTimestamp"):
                    meta["deletionTimestamp"] = now_rfc3339()
                    if grace:
                        meta["deletionGracePeriodSeconds"] = grace
                    meta["resourceVersion"] = self._next_rv()
                    stored.history.append(obj)
                    self._emit(res, "MODIFIED", obj)
                if FOREGROUND not in (meta.get("finalizers") or []):
                    return obj
            elif meta.get("deletionTimestamp") and grace:
                return obj  # still terminating: only its kubelet (gracePeriodSeconds 0) removes it now
        if FOREGROUND in (meta.get("finalizers") or []):
            await self._delete_dependents(meta.get("uid"), {"propagationPolicy": "Foreground"})
            await self._release_foreground(res, namespace, name)
            return obj
        orphan = opts.get("propagationPolicy") == "Orphan"
        await self._finalize(res, namespace, name, orphan=orphan)
        return obj

    async def _collect_new_dependent(self, res: Any, namespace: str | None, obj: Mapping[str, Any]) -> None:
        """A new object whose owners are all waiting for their dependents' deletion (deletionTimestamp and the
        foregroundDeletion finalizer) is garbage: kubernetes pkg/controller/garbagecollector/garbagecollector.go
        attemptToDeleteItem classifies its owners (classifyReferences: solid, dangling, waitingForDependentsDeletion)
        and, with no solid owner, deletes it (background). Owners that do not exist (dangling) are left alone here."""
        refs = obj.get("metadata", {}).get("ownerReferences") or []
        owners = [self._owner(ref, namespace) for ref in refs]
        found = [o for o in owners if o is not None]
        waiting = [o for o in found if o["metadata"].get("deletionTimestamp")
                   and FOREGROUND in (o["metadata"].get("finalizers") or [])]
        if waiting and len(waiting) == len(found):
            with contextlib.suppress(kmock.KubernetesError):
                await self._delete(res, namespace, obj["metadata"]["name"], {"propagationPolicy": "Background"})

    def _owner(self, ref: Mapping[str, Any], namespace: str | None) -> dict[str, Any] | None:
        """The live object an ownerReference names (same uid), looked up by kind and name: owners are in the
        dependent's namespace or cluster-scoped."""
        for r, info in list(self.resources.items()):  # type: ignore[attr-defined]
            if info.kind != ref.get("kind") or f"{r.group}/{r.version}".lstrip("/") != ref.get("apiVersion"):
                continue
            stored = self._index[r].get((namespace if info.namespaced is not False else None, ref.get("name")))
            if stored is not None and not stored.deleted and stored.raw["metadata"].get("uid") == ref.get("uid"):
                return dict(stored.raw)
        return None

    def _dependents(self, uid: str | None, blocking: bool = False) -> list[tuple[Any, str | None, str]]:
        return [
            (r, ns, n) for r, objects in list(self._index.items()) for (ns, n), dep in list(objects.items())
            if not dep.deleted and any(ref.get("uid") == uid and (ref.get("blockOwnerDeletion") or not blocking)
                                       for ref in dep.raw.get("metadata", {}).get("ownerReferences") or [])
        ]

    async def _delete_dependents(self, uid: str | None, options: Mapping[str, Any] | None) -> None:
        for r, ns, n in self._dependents(uid):
            with contextlib.suppress(kmock.KubernetesError):  # deleted meanwhile
                await self._delete(r, ns, n, options)

    async def _release_foreground(self, res: Any, namespace: str | None, name: str) -> None:
        """Foreground deletion: the owner goes once no dependent that blocks its deletion is left."""
        async with self._lock:
            stored = self._index[res].get((namespace, name))
            if stored is None or stored.deleted:
                return
            obj = clone(stored.raw)
            finalizers = obj["metadata"].get("finalizers") or []
            if FOREGROUND not in finalizers or self._dependents(obj["metadata"].get("uid"), blocking=True):
                return
            obj["metadata"]["finalizers"] = [f for f in finalizers if f != FOREGROUND]
            obj["metadata"]["resourceVersion"] = self._next_rv()
            stored.history.append(obj)
            self._emit(res, "MODIFIED", obj)
        if not obj["metadata"]["finalizers"] and not obj["metadata"].get("deletionGracePeriodSeconds"):
            await self._finalize(res, namespace, name)  # a pod in its grace period waits for its kubelet

    async def _finalize(self, res: Any, namespace: str | None, name: str, orphan: bool = False) -> None:
        """The object goes; then the garbage collector takes its dependents (unless orphaned), and owners waiting
        for it in foreground deletion may go too."""
        async with self._lock:
            stored = self._index[res].get((namespace, name))
            if stored is None or stored.deleted:
                return
            obj = clone(stored.raw)
            stored.delete()
            self._relabel(res, (namespace, name), obj, None)
            obj["metadata"]["resourceVersion"] = self._next_rv()
            self._emit(res, "DELETED", obj)
        if not orphan:
            await self._delete_dependents(obj["metadata"].get("uid"), None)
        for ref in obj["metadata"].get("ownerReferences") or []:
            for r, objects in list(self._index.items()):
                for (ns, n), owner in list(objects.items()):
                    if not owner.deleted and owner.raw.get("metadata", {}).get("uid") == ref.get("uid"):
                        await self._release_foreground(r, ns, n)
