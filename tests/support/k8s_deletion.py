"""The emulator's deletion: finalizers, garbage collection of dependents by ownerReferences (background,
foreground, orphan), and graceful deletion of pods bound to a node. A mixin of
tests/support/k8s_emulator.KubernetesApi, whose state (`_index`, `_lock`) and helpers it uses."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

import kmock

from tests.support.k8s_values import clone, now_rfc3339


class DeletionMixin:
    _index: Any
    _lock: Any

    async def _delete(self, res: Any, namespace: str | None, name: str, options: Any) -> dict[str, Any]:
        async with self._lock:
            stored = self._live(res, namespace, name)
            obj = clone(stored.raw)
            if obj["metadata"].get("finalizers"):
                if not obj["metadata"].get("deletionTimestamp"):
                    obj["metadata"]["deletionTimestamp"] = now_rfc3339()
                    obj["metadata"]["resourceVersion"] = self._next_rv()
                    stored.history.append(obj)
                    self._emit(res, "MODIFIED", obj)
                return obj
        orphan = isinstance(options, Mapping) and options.get("propagationPolicy") == "Orphan"
        await self._finalize(res, namespace, name, orphan=orphan)
        return obj

    async def _finalize(self, res: Any, namespace: str | None, name: str, orphan: bool = False) -> None:
        """The object goes; then the garbage collector takes its dependents (unless orphaned)."""
        async with self._lock:
            stored = self._index[res].get((namespace, name))
            if stored is None or stored.deleted:
                return
            obj = clone(stored.raw)
            stored.delete()
            self._relabel(res, (namespace, name), obj, None)
            obj["metadata"]["resourceVersion"] = self._next_rv()
            self._emit(res, "DELETED", obj)
        if orphan:
            return
        uid = obj["metadata"].get("uid")
        dependents = [
            (r, ns, n) for r, objects in list(self._index.items()) for (ns, n), dep in list(objects.items())
            if not dep.deleted and any(ref.get("uid") == uid for ref in dep.raw.get("metadata", {}).get(
                "ownerReferences") or [])
        ]
        for r, ns, n in dependents:
            with contextlib.suppress(kmock.KubernetesError):  # deleted meanwhile
                await self._delete(r, ns, n, None)
