"""Namespaces in the emulator: the list and watch KMock cannot route, the NamespaceLifecycle admission plugin and
the namespace controller's deletion of a namespace's content. A mixin of tests/support/k8s_emulator.KubernetesApi.

- kubernetes plugin/pkg/admission/namespace/lifecycle/admission.go (`Admit`): a create in a namespace whose
  phase is Terminating is refused, 403 Forbidden, "unable to create new content in namespace NS because it is
  being terminated", with the cause `NamespaceTerminating` on field metadata.namespace;
- pkg/registry/core/namespace/storage (Delete): deleting a Namespace sets its deletionTimestamp and phase
  Terminating; pkg/controller/namespace/deletion (namespaced_resources_deleter.go) then deletes everything in it
  (background propagation, so finalizers hold what has them) and removes the `kubernetes` finalizer, the
  namespace goes, once nothing is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from typing import Any

import aiohttp.web
import attrs
import kmock
from kmock._internal import enums, parsing, rendering

from tests.support.k8s_values import clone, now_rfc3339

NAMESPACES = kmock.resource("v1/namespaces")
NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating"  # k8s.io/api/core/v1 NamespaceTerminatingCause
NAMESPACE_PATH = re.compile(r"/api/v1/namespaces(?:/([^/]+)(/status|/finalize)?)?/?")
NAMESPACE_POLL = 0.2  # seconds between the namespace controller's passes over a terminating namespace


class NamespaceMixin:
    _index: Any
    _lock: Any
    _last_rv: int
    read: Any

    def namespace_names(self) -> list[str]:
        names = {"default"} | {ns for objects in list(self._index.values()) for (ns, _), obj in list(objects.items())
                               if ns and not obj.deleted}
        names |= {n for (_, n), obj in list(self._index[NAMESPACES].items()) if not obj.deleted}
        return sorted(names)

    async def _serve_namespaces(self, raw_request: aiohttp.web.BaseRequest) -> aiohttp.web.StreamResponse:
        items = [self.read(NAMESPACES, None, name) or {
            "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "resourceVersion": "1"}}
            for name in self.namespace_names()]
        if raw_request.query.get("watch") != "true":
            return aiohttp.web.json_response({"apiVersion": "v1", "kind": "NamespaceList",
                                              "metadata": {"resourceVersion": str(self._last_rv)}, "items": items})
        response = aiohttp.web.StreamResponse()
        await response.prepare(raw_request)
        if not raw_request.query.get("resourceVersion"):
            for item in items:
                await response.write(json.dumps({"type": "ADDED", "object": item}).encode() + b"\n")
        await asyncio.sleep(float(raw_request.query.get("timeoutSeconds") or 3600))
        await response.write_eof()
        return response

    async def parse_request(self, raw: aiohttp.web.BaseRequest) -> rendering.Request:
        """KMock's request parsing, which reads `/api/v1/namespaces[/NAME]` as a namespace prefix: those paths are
        parsed as the cluster-scoped resource v1/namespaces."""
        match = NAMESPACE_PATH.fullmatch(raw.path)
        if match is None:
            return await rendering.Request._parse(raw)
        name, sub = match.group(1), (match.group(2) or "").strip("/") or None
        body = await raw.read()
        parsed = parsing.ParsedPath("", "v1", "namespaces", None, name, sub)
        request = rendering.Request(
            raw_request=raw, url=raw.url, method=raw.method, params=dict(raw.query), headers=dict(raw.headers),
            data=json.loads(body) if body else None, body=body, text=body.decode(errors="replace"),
            action=parsing.guess_k8s(parsed, enums.method(raw.method), dict(raw.query)), resource=NAMESPACES,
            name=name, subresource=sub)
        if request.action != kmock.action.CREATE and name and self.read(NAMESPACES, None, name) is None and (
                name in self.namespace_names()):
            await self._create(attrs.evolve(request, namespace=None, action=kmock.action.CREATE,  # type: ignore
                                            data={"apiVersion": "v1", "kind": "Namespace", "metadata": {
                                                "name": name}}))  # one that exists only by its objects
        return request

    def terminating(self, namespace: str | None) -> bool:
        stored = self._index[NAMESPACES].get((None, namespace)) if namespace else None
        if stored is None or stored.deleted:
            return False
        raw = stored.raw
        return bool(raw.get("metadata", {}).get("deletionTimestamp")) or (
            raw.get("status") or {}).get("phase") == "Terminating"

    def check_namespace_lifecycle(self, res: Any, namespace: str | None, name: str) -> None:
        """NamespaceLifecycle on a create (lifecycle/admission.go): 403 in a terminating namespace."""
        if res == NAMESPACES or not self.terminating(namespace):
            return
        target = f"{res.plural}.{res.group}" if res.group else res.plural
        raise kmock.KubernetesError(
            status=403, reason="Forbidden",
            message=f'{target} "{name}" is forbidden: unable to create new content in namespace {namespace} '
                    "because it is being terminated",
            details={"name": name, "group": res.group or "", "kind": res.plural, "causes": [{
                "reason": NAMESPACE_TERMINATING_CAUSE, "message": f"namespace {namespace} is being terminated",
                "field": "metadata.namespace"}]})

    async def _delete_namespace(self, name: str) -> dict[str, Any]:
        """Marks the namespace Terminating; the namespace controller (a task) empties it, then it goes."""
        async with self._lock:
            stored = self._live(NAMESPACES, None, name)  # type: ignore[attr-defined]
            obj = clone(stored.raw)
            if obj["metadata"].get("deletionTimestamp"):
                return obj
            obj["metadata"]["deletionTimestamp"] = now_rfc3339()
            obj.setdefault("spec", {})["finalizers"] = ["kubernetes"]
            obj["status"] = {"phase": "Terminating"}
            obj["metadata"]["resourceVersion"] = self._next_rv()  # type: ignore[attr-defined]
            stored.history.append(obj)
            self._emit(NAMESPACES, "MODIFIED", obj)  # type: ignore[attr-defined]
        task = asyncio.get_running_loop().create_task(self._empty_namespace(name))
        self._namespace_tasks = {*getattr(self, "_namespace_tasks", set()), task}  # kept from garbage collection
        return obj

    async def _empty_namespace(self, name: str) -> None:
        while True:
            left = [(res, n, obj) for res, objects in list(self._index.items()) if res != NAMESPACES
                    for (ns, n), obj in list(objects.items()) if ns == name and not obj.deleted]
            if not left:
                break
            for res, n, obj in left:
                if not obj.raw.get("metadata", {}).get("deletionTimestamp"):
                    with contextlib.suppress(kmock.KubernetesError):  # gone meanwhile
                        await self._delete(res, name, n, {"propagationPolicy": "Background"})  # type: ignore
            await asyncio.sleep(NAMESPACE_POLL)
        await self._finalize(NAMESPACES, None, name)  # type: ignore[attr-defined]
