"""KMock's KubernetesEmulator, extended with the API server behaviour the operator relies on.

KMock stores objects and streams watch events, but treats every write as a plain JSON merge. This subclass
adds, as https://kubernetes.io/docs/reference/using-api/api-concepts/ and the CRD docs describe them:

- object identity on create: `uid`, `creationTimestamp`, `resourceVersion` (bumped on every write),
  `generation` (1 on create, +1 on each change outside metadata and status), `generateName`;
- the status subresource split: writes to `/status` change only `status`; writes to the main resource
  ignore `status` (for resources registered with a status subresource);
- CRD schemas: pruning of unknown fields, defaulting and validation (OpenAPI and CEL), 422 when invalid;
- finalizers: DELETE of an object with finalizers only sets `deletionTimestamp`; removing the last
  finalizer deletes it;
- garbage collection: deleting an owner deletes its dependents by `ownerReferences` (background
  propagation; `propagationPolicy: Orphan` keeps them);
- watches that resume from a `resourceVersion` (an event history) and end after `timeoutSeconds`;
- `/api/v1/namespaces` (list and watch), which KMock cannot route;
- list `labelSelector` (=, ==, !=, exists, !exists, in, notin) and `fieldSelector` (metadata.name/namespace);
- `pods/{name}/log` (`tailLines`, `container`): text from `pod_logs[(namespace, name)]` or from the file named
  by the pod's `kubelet.local/log-file` annotation (tests/support/local_kubelet.py writes it);
- JSON patches (with `test` ops) as well as merge patches; a failed `test` is 422, as kopf expects;
- 409 AlreadyExists on a duplicate create, 404 on writes to missing objects.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import json
import re
import threading
import uuid
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp.web
import attrs
import jsonpatch
import jsonpointer
import kmock
from kmock._internal import dicts as kdicts
from kmock._internal import rendering

from tests.support import k8s_schema

LOG_FILE_ANNOTATION = "kubelet.local/log-file"
METADATA_IMMUTABLE = ("uid", "creationTimestamp", "generation", "resourceVersion", "deletionTimestamp")


def clone(value: Any) -> Any:
    """A deep copy of JSON data (several times faster than copy.deepcopy, which matters at scale)."""
    return json.loads(json.dumps(value))


def now_rfc3339() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@attrs.define(kw_only=True)
class KubernetesApi(kmock.KubernetesEmulator):
    schemas: dict[Any, dict[str, Any]] = attrs.field(factory=dict)  # resource -> openAPIV3Schema
    status_resources: set[Any] = attrs.field(factory=set)  # resources with a status subresource
    plain_resources: set[Any] = attrs.field(factory=set)  # registered resources without one
    request_log: list[tuple[str, str]] = attrs.field(factory=list)  # (method, path?query) of served requests
    pod_logs: dict[tuple[str, str], str] = attrs.field(factory=dict)
    _admitted: dict[str, tuple[dict[str, Any], list[str]]] = attrs.field(factory=dict)
    _labels: dict[Any, dict[tuple[str, str], set[tuple[str | None, str]]]] = attrs.field(
        factory=lambda: collections.defaultdict(lambda: collections.defaultdict(set)))  # label -> objects
    on_create: Any = None  # called as on_create(resource, object) after each create (benchmarks time with it)
    _index: dict[Any, dict[tuple[str | None, str], Any]] = attrs.field(
        factory=lambda: collections.defaultdict(dict))  # resource -> (namespace, name) -> kmock Object
    _last_rv: int = 1000
    _history: dict[Any, collections.deque[tuple[int, dict[str, Any]]]] = attrs.field(
        factory=lambda: collections.defaultdict(lambda: collections.deque(maxlen=50_000)))
    _watchers: dict[Any, set[asyncio.Queue[dict[str, Any]]]] = attrs.field(
        factory=lambda: collections.defaultdict(set))

    # -- set-up ------------------------------------------------------------------------------------------

    def register(self, resource: str, kind: str, *, namespaced: bool = True, status: bool = True,
                 subresources: tuple[str, ...] = (), schema: dict[str, Any] | None = None) -> Any:
        res = kmock.resource(resource)
        subs = {"status"} if status else set()
        self.resources[res] = kmock.ResourceInfo(
            kind=kind, namespaced=namespaced, subresources=subs | set(subresources),
            verbs={"get", "list", "watch", "create", "patch", "delete"},
        )
        (self.status_resources if status else self.plain_resources).add(res)
        if schema is not None:
            self.schemas[res] = schema
        return res

    def register_crd(self, crd: Mapping[str, Any]) -> Any:
        spec = crd["spec"]
        version = next(v for v in spec["versions"] if v.get("storage"))
        res = self.register(
            f"{spec['group']}/{version['name']}/{spec['names']['plural']}", spec["names"]["kind"],
            namespaced=spec["scope"] == "Namespaced", status="status" in (version.get("subresources") or {}),
            schema=version["schema"]["openAPIV3Schema"],
        )
        self.resources[res].shortnames = set(spec["names"].get("shortNames") or [])
        return res

    def register_builtins(self) -> None:
        self.register("batch/v1/jobs", "Job")
        self.register("v1/pods", "Pod", subresources=("log",))
        self.register("v1/events", "Event", status=False)
        self.register("v1/secrets", "Secret", status=False)
        self.register("v1/namespaces", "Namespace", namespaced=False)

    # -- helpers for tests ---------------------------------------------------------------------------------

    def read(self, resource: Any, namespace: str | None, name: str) -> dict[str, Any] | None:
        obj = self._index[kmock.resource(resource)].get((namespace, name))
        return None if obj is None or obj.deleted else clone(obj.raw)

    def list_objects(self, resource: Any, namespace: str | None = None) -> list[dict[str, Any]]:
        return [clone(obj.raw) for (ns, _), obj in list(self._index[kmock.resource(resource)].items())
                if not obj.deleted and (namespace is None or ns == namespace)]

    # -- the API ---------------------------------------------------------------------------------------------

    async def __call__(self, raw_request: aiohttp.web.BaseRequest) -> aiohttp.web.StreamResponse:
        # KMock cannot parse the cluster-scoped /api/v1/namespaces (it reads "namespaces" as a path prefix);
        # kopf lists and watches it when it serves a list of namespaces.
        if raw_request.path == "/api/v1/namespaces" and raw_request.method == "GET":
            return await self._serve_namespaces(raw_request)
        request = await rendering.Request._parse(raw_request)
        if request.resource is None or request.resource not in self.status_resources | self.plain_resources:
            return await super().__call__(raw_request)  # discovery and anything KMock's DSL should answer
        # Registered resources are served here, past KMock's request-matching DSL, whose cost grows with every
        # request served (it re-scans the request history) and would dominate at a thousand objects.
        self.request_log.append((raw_request.method, raw_request.path_qs))
        try:
            return await self._serve(request, raw_request)
        except kmock.KubernetesError as exc:
            return await self._render_error(exc)

    def namespace_names(self) -> list[str]:
        names = {"default"} | {ns for objects in list(self._index.values()) for (ns, _), obj in list(objects.items())
                               if ns and not obj.deleted}
        return sorted(names)

    async def _serve_namespaces(self, raw_request: aiohttp.web.BaseRequest) -> aiohttp.web.StreamResponse:
        items = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "resourceVersion": "1"}}
                 for name in self.namespace_names()]
        if raw_request.query.get("watch") != "true":
            return self._json({"apiVersion": "v1", "kind": "NamespaceList",
                               "metadata": {"resourceVersion": str(self._last_rv)}, "items": items})
        response = aiohttp.web.StreamResponse()
        await response.prepare(raw_request)
        if not raw_request.query.get("resourceVersion"):
            for item in items:
                await response.write(json.dumps({"type": "ADDED", "object": item}).encode() + b"\n")
        await asyncio.sleep(float(raw_request.query.get("timeoutSeconds") or 3600))
        await response.write_eof()
        return response

    async def _serve(self, request: rendering.Request, raw: aiohttp.web.BaseRequest) -> aiohttp.web.StreamResponse:
        res, action = request.resource, request.action
        if action == kmock.action.CREATE:
            return self._json(await self._create(request), 201)
        if action == kmock.action.UPDATE and request.name:
            return self._json(await self._update(request))
        if action == kmock.action.DELETE and request.name:
            return self._json(await self._delete(res, request.namespace, request.name, request.data))
        if action == kmock.action.FETCH and request.subresource == "log":
            return aiohttp.web.Response(text=self._log(request), content_type="text/plain")
        if action == kmock.action.FETCH and request.name:
            obj = self._index[res].get((request.namespace, request.name))
            if obj is None or obj.deleted:
                raise kmock.KubernetesError(status=404, reason="NotFound",
                                            message=f'{res.plural} "{request.name}" not found')
            return self._json(obj.raw)
        if action == kmock.action.LIST:
            return self._json(self._list(request))
        if action == kmock.action.WATCH:
            response = aiohttp.web.StreamResponse(headers={"Content-Type": "application/json"})
            await response.prepare(raw)
            try:
                async for event in self._watch_events(request):
                    await response.write(json.dumps(event).encode() + b"\n")
            except (ConnectionResetError, ConnectionError):
                return response  # the client went away
            await response.write_eof()
            return response
        raise kmock.KubernetesError(status=405, reason="MethodNotAllowed", message=f"{raw.method} {raw.path}")

    def _relabel(self, res: Any, key: tuple[str | None, str], old: Mapping[str, Any] | None,
                 new: Mapping[str, Any] | None) -> None:
        before = ((old or {}).get("metadata") or {}).get("labels") or {}
        after = ((new or {}).get("metadata") or {}).get("labels") or {}
        for pair in set(before.items()) - set(after.items()):
            self._labels[res][pair].discard(key)
        for pair in set(after.items()) - set(before.items()):
            self._labels[res][pair].add(key)

    def _live(self, res: Any, namespace: str | None, name: str) -> Any:
        stored = self._index[res].get((namespace, name))
        if stored is None or stored.deleted:
            raise kmock.KubernetesError(status=404, reason="NotFound", message=f'{res.plural} "{name}" not found')
        return stored

    @staticmethod
    def _json(payload: Any, status: int = 200) -> aiohttp.web.Response:
        return aiohttp.web.json_response(payload, status=status)

    def _next_rv(self) -> str:
        self._last_rv += 1
        return str(self._last_rv)

    def _emit(self, res: Any, kind: str, obj: Mapping[str, Any]) -> None:
        """One watch event: kept in the history (for watches resuming from a resourceVersion) and sent live."""
        event = {"type": kind, "object": clone(dict(obj))}
        rv = int(obj.get("metadata", {}).get("resourceVersion") or self._last_rv)
        self._history[res].append((rv, event))
        for queue in self._watchers[res]:
            queue.put_nowait(event)

    async def _watch_events(self, request: rendering.Request) -> AsyncIterator[dict[str, Any]]:
        """Watch from `resourceVersion` (history since then) or from scratch (ADDED for each object), then live
        events, until `timeoutSeconds`."""
        res = request.resource
        since = request.params.get("resourceVersion")
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        async with self._lock:
            if since and since != "0":
                backlog = [event for rv, event in self._history[res] if rv > int(since)]
            else:
                backlog = [{"type": "ADDED", "object": clone(obj.raw)}
                           for obj in list(self._index[res].values()) if not obj.deleted]
            self._watchers[res].add(queue)
        loop = asyncio.get_running_loop()
        timeout = float(request.params.get("timeoutSeconds") or 0)
        deadline = loop.time() + timeout if timeout else None
        try:
            for event in backlog:
                if self._watched(request, event):
                    yield event
            while True:
                wait = None if deadline is None else max(0.0, deadline - loop.time())
                try:
                    event = await asyncio.wait_for(queue.get(), wait)
                except TimeoutError:
                    return
                if self._watched(request, event):
                    yield event
        finally:
            self._watchers[res].discard(queue)

    @staticmethod
    def _watched(request: rendering.Request, event: Mapping[str, Any]) -> bool:
        meta = event["object"].get("metadata", {})
        return (request.namespace is None or meta.get("namespace") == request.namespace) and (
            request.name is None or meta.get("name") == request.name)

    async def _create(self, request: rendering.Request) -> dict[str, Any]:
        res = request.resource
        obj = clone(request.data or {})
        meta = obj.setdefault("metadata", {})
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + uuid.uuid4().hex[:5]
        if not meta.get("name"):
            raise kmock.KubernetesError(status=422, reason="Invalid", message="metadata.name: Required value")
        info = self.resources[res]
        namespace = (request.namespace or meta.get("namespace")) if info.namespaced is not False else None
        if namespace:
            meta["namespace"] = namespace
        obj = self._admit(res, obj)
        if res in self.status_resources:
            obj.pop("status", None)  # status is written through its subresource only
            if res == kmock.resource("v1/pods"):
                obj["status"] = {"phase": "Pending"}
        meta = obj["metadata"]
        meta.update(uid=str(uuid.uuid4()), creationTimestamp=now_rfc3339(), generation=1,
                    resourceVersion=self._next_rv())
        for key in ("deletionTimestamp",):
            meta.pop(key, None)
        key = (res, namespace, meta["name"])
        async with self._lock:
            if key in self.objects and not self.objects[key].deleted:
                raise kmock.KubernetesError(status=409, reason="AlreadyExists",
                                            message=f'{res.plural} "{meta["name"]}" already exists')
            if key in self.objects:
                self.objects[key].create(obj)
            else:
                self.objects[key] = obj
            self._index[res][(namespace, meta["name"])] = self.objects[key]
            self._relabel(res, (namespace, meta["name"]), None, obj)
            self._emit(res, "ADDED", obj)
        if self.on_create is not None:
            self.on_create(res, obj)
        return obj

    async def _update(self, request: rendering.Request) -> dict[str, Any]:
        res, namespace, name = request.resource, request.namespace, request.name
        async with self._lock:
            stored = self._live(res, namespace, name)
            old = clone(stored.raw)
            try:
                patched = dict(kdicts.patch_dict(clone(old), request.data or {}))
            except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, ValueError) as exc:
                # e.g. a failed `test` of metadata.resourceVersion (optimistic concurrency, used by kopf)
                raise kmock.KubernetesError(status=422, reason="Invalid",
                                            message=f"the server rejected our request: {exc}") from None
            new = self._apply_subresource_rules(res, request.subresource, old, patched)
            if request.subresource != "status":
                new = self._admit(res, new)
            if self._spec_changed(old, new):
                new["metadata"]["generation"] = int(old["metadata"].get("generation") or 1) + 1
            new["metadata"]["resourceVersion"] = self._next_rv()
            stored.history.append(new)
            self._relabel(res, (namespace, name), old, new)
            self._emit(res, "MODIFIED", new)
        if new["metadata"].get("deletionTimestamp") and not new["metadata"].get("finalizers"):
            await self._finalize(res, namespace, name)
        return new

    def _apply_subresource_rules(self, res: Any, subresource: str | None, old: dict[str, Any],
                                 new: dict[str, Any]) -> dict[str, Any]:
        if res in self.status_resources:
            if subresource == "status":
                new = {**old, "status": new.get("status")}  # only the status changes
                if new["status"] is None:
                    new.pop("status")
            elif "status" in old:
                new["status"] = old["status"]  # the main resource ignores status
            else:
                new.pop("status", None)
        meta = new.setdefault("metadata", {})
        for field in METADATA_IMMUTABLE:  # the server's own fields
            if field in old.get("metadata", {}):
                meta[field] = old["metadata"][field]
            else:
                meta.pop(field, None)
        return new

    @staticmethod
    def _spec_changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
        """generation follows every change outside metadata and status."""
        def essence(obj: Mapping[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in obj.items() if k not in ("metadata", "status", "apiVersion", "kind")}
        return essence(old) != essence(new)

    def _admit(self, res: Any, obj: dict[str, Any]) -> dict[str, Any]:
        schema = self.schemas.get(res)
        if schema is None:
            return obj
        # Only the schema'd body (not metadata or status) is pruned, defaulted and validated; most writes (kopf's
        # annotations, finalizers) leave it as it was, so its admission is remembered.
        body = {k: v for k, v in obj.items() if k not in ("metadata", "status")}
        key = json.dumps(body, sort_keys=True)
        if key not in self._admitted:
            if len(self._admitted) > 10_000:
                self._admitted.clear()
            self._admitted[key] = k8s_schema.admit(schema, body)
        stored, errors = self._admitted[key]
        if not errors:  # admission is idempotent: what it stored admits as itself
            self._admitted.setdefault(json.dumps({k: v for k, v in stored.items() if k != "metadata"},
                                                 sort_keys=True), (stored, errors))
        if errors:
            kind = self.resources[res].kind
            name = obj.get("metadata", {}).get("name")
            raise kmock.KubernetesError(status=422, reason="Invalid",
                                        message=f'{kind}.{res.group} "{name}" is invalid: ' + "; ".join(errors))
        admitted = clone(stored)
        admitted["metadata"] = obj.get("metadata", {})
        if "status" in obj:
            admitted["status"] = obj["status"]
        return admitted

    async def _delete(self, res: Any, namespace: str | None, name: str, options: Any) -> dict[str, Any]:
        options = options if isinstance(options, Mapping) else {}
        policy = options.get("propagationPolicy")
        async with self._lock:
            stored = self._live(res, namespace, name)
            obj = clone(stored.raw)
            # A pod on a node ends gracefully: its kubelet stops the containers (SIGTERM, the grace period,
            # SIGKILL) and then removes it (gracePeriodSeconds 0). Foreground: the owner stays until its
            # dependents are gone.
            graceful = res.plural == "pods" and (obj.get("spec") or {}).get("nodeName") and options.get(
                "gracePeriodSeconds") != 0
            foreground = policy == "Foreground" and self._dependents(obj["metadata"].get("uid"))
            if foreground and "foregroundDeletion" not in (obj["metadata"].get("finalizers") or []):
                obj["metadata"]["finalizers"] = [*(obj["metadata"].get("finalizers") or []), "foregroundDeletion"]
            if obj["metadata"].get("finalizers") or graceful:
                if not obj["metadata"].get("deletionTimestamp") or foreground:
                    obj["metadata"]["deletionTimestamp"] = obj["metadata"].get("deletionTimestamp") or now_rfc3339()
                    if graceful:
                        grace = (obj.get("spec") or {}).get("terminationGracePeriodSeconds", 30)
                        obj["metadata"]["deletionGracePeriodSeconds"] = int(options.get("gracePeriodSeconds", grace))
                    obj["metadata"]["resourceVersion"] = self._next_rv()
                    stored.history.append(obj)
                    self._emit(res, "MODIFIED", obj)
                if not foreground:
                    return obj
        if foreground:
            await self._delete_dependents(obj["metadata"].get("uid"))
            await self._release_foreground(obj["metadata"].get("uid"))
            return obj
        await self._finalize(res, namespace, name, orphan=policy == "Orphan")
        return obj

    def _dependents(self, uid: str | None) -> list[tuple[Any, str | None, str]]:
        return [
            (r, ns, n) for r, objects in list(self._index.items()) for (ns, n), dep in list(objects.items())
            if uid and not dep.deleted and any(ref.get("uid") == uid for ref in dep.raw.get("metadata", {}).get(
                "ownerReferences") or [])
        ]

    async def _delete_dependents(self, uid: str | None) -> None:
        for r, ns, n in self._dependents(uid):
            with contextlib.suppress(kmock.KubernetesError):  # deleted meanwhile
                await self._delete(r, ns, n, None)

    async def _release_foreground(self, uid: str | None) -> None:
        """An owner in foreground deletion goes once the last of its dependents is gone."""
        if not uid or self._dependents(uid):
            return
        for res, objects in list(self._index.items()):
            for (ns, n), stored in list(objects.items()):
                if stored.deleted:
                    continue
                meta = stored.raw.get("metadata", {})
                if meta.get("uid") != uid or "foregroundDeletion" not in (meta.get("finalizers") or []):
                    continue
                async with self._lock:
                    obj = clone(stored.raw)
                    obj["metadata"]["finalizers"] = [f for f in meta["finalizers"] if f != "foregroundDeletion"]
                    obj["metadata"]["resourceVersion"] = self._next_rv()
                    stored.history.append(obj)
                    self._emit(res, "MODIFIED", obj)
                if not obj["metadata"]["finalizers"]:
                    await self._finalize(res, ns, n)

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
        for ref in obj["metadata"].get("ownerReferences") or []:
            await self._release_foreground(ref.get("uid"))
        if not orphan:
            await self._delete_dependents(obj["metadata"].get("uid"))

    # -- reads ------------------------------------------------------------------------------------------------

    def _list(self, request: rendering.Request) -> dict[str, Any]:
        res = request.resource
        match_labels = parse_label_selector(request.params.get("labelSelector", ""))
        match_fields = parse_field_selector(request.params.get("fieldSelector", ""))
        items = []
        selector = request.params.get("labelSelector", "")
        terms = equality_terms(selector)
        if terms:  # the label index answers key=value requirements; the predicate checks the rest
            found = set.intersection(*(set(self._labels[res].get(pair, ())) for pair in terms))
            keys = sorted(found, key=lambda k: (k[0] or "", k[1]))
        else:
            keys = list(self._index[res])
        for ns, name in keys:
            obj = self._index[res][(ns, name)]
            if obj.deleted or (request.namespace is not None and ns != request.namespace):
                continue
            raw = obj.raw
            meta = raw.get("metadata", {})
            if match_labels(meta.get("labels") or {}) and match_fields(meta):
                items.append(raw)
        kind = self.resources[res].kind or ""
        return {"apiVersion": f"{res.group}/{res.version}".lstrip("/"), "kind": f"{kind}List",
                "metadata": {"resourceVersion": str(self._last_rv)}, "items": items}

    def _log(self, request: rendering.Request) -> str:
        namespace, name = request.namespace or "", request.name or ""
        pod = self.read("v1/pods", namespace, name)
        if pod is None:
            raise kmock.KubernetesError(status=404, reason="NotFound", message=f'pods "{name}" not found')
        text = self.pod_logs.get((namespace, name))
        if text is None:
            path = (pod["metadata"].get("annotations") or {}).get(LOG_FILE_ANNOTATION)
            text = Path(path).read_text(errors="replace") if path and Path(path).exists() else ""
        tail = request.params.get("tailLines")
        if tail:
            lines = text.splitlines()
            text = "\n".join(lines[-int(tail):]) + ("\n" if lines else "")
        return text


_REQUIREMENT = re.compile(r"\s*([^,()\s!=]+)\s+(in|notin)\s+\(([^)]*)\)\s*|([^,]+)")


def parse_label_selector(selector: str) -> Any:
    """A predicate over a labels dict for a Kubernetes label selector string."""
    checks = []
    for match in _REQUIREMENT.finditer(selector):
        if match.group(1):
            key, op = match.group(1), match.group(2)
            values = {v.strip() for v in match.group(3).split(",") if v.strip()}
            checks.append(lambda labels, k=key, o=op, vs=values: (labels.get(k) in vs) == (o == "in"))
            continue
        term = match.group(4).strip()
        if not term:
            continue
        if "!=" in term:
            key, value = (s.strip() for s in term.split("!=", 1))
            checks.append(lambda labels, k=key, v=value: labels.get(k) != v)
        elif "=" in term:
            key, value = (s.strip() for s in term.replace("==", "=").split("=", 1))
            checks.append(lambda labels, k=key, v=value: labels.get(k) == v)
        elif term.startswith("!"):
            absent = term[1:].strip()
            checks.append(lambda labels, k=absent: k not in labels)
        else:
            checks.append(lambda labels, k=term: k in labels)
    return lambda labels: all(check(labels) for check in checks)


def equality_terms(selector: str) -> list[tuple[str, str]]:
    """The `key=value` requirements of a label selector (the ones an index can answer)."""
    terms = []
    for match in _REQUIREMENT.finditer(selector):
        term = (match.group(4) or "").strip()
        if term and "=" in term and "!=" not in term:
            key, value = (part.strip() for part in term.replace("==", "=").split("=", 1))
            terms.append((key, value))
    return terms


def parse_field_selector(selector: str) -> Any:
    checks = []
    for term in filter(None, (t.strip() for t in selector.split(","))):
        negate = "!=" in term
        field, value = (s.strip() for s in term.replace("==", "=").replace("!=", "=").split("=", 1))
        attr = field.removeprefix("metadata.")
        checks.append(lambda meta, a=attr, v=value, n=negate: (meta.get(a) == v) != n)
    return lambda meta: all(check(meta) for check in checks)


class EmulatorThread:
    """The emulated API server in its own thread and event loop, like a real API server in its own process:
    an operator running in the caller's loop (kopf treats every task of its loop as its own) stays apart.

    `call(fn)` runs `fn(api)` in the server's loop and returns its result, for reading or seeding state.
    """

    def __init__(self, setup: Any = None) -> None:
        self._setup = setup
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopping: asyncio.Event | None = None
        self.api: KubernetesApi | None = None
        self.url = ""

    def start(self) -> EmulatorThread:
        self._thread = threading.Thread(target=self._main, name="k8s-emulator", daemon=True)
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("the emulator did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        async with KubernetesApi() as api, kmock.Server(api):
            self.api = api
            if self._setup is not None:
                self._setup(api)
            self.url = str(api.url).rstrip("/")
            self._ready.set()
            await self._stopping.wait()

    def call(self, fn: Any, timeout: float = 30.0) -> Any:
        assert self._loop is not None and self.api is not None
        result: concurrent.futures.Future[Any] = concurrent.futures.Future()
        api = self.api

        def run() -> None:
            try:
                result.set_result(fn(api))
            except BaseException as exc:  # handed over to the caller's thread
                result.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return result.result(timeout)

    def read(self, resource: str, namespace: str | None, name: str) -> dict[str, Any] | None:
        return self.call(lambda api: api.read(resource, namespace, name))  # type: ignore[no-any-return]

    def list_objects(self, resource: str, namespace: str | None = None) -> list[dict[str, Any]]:
        return self.call(lambda api: api.list_objects(resource, namespace))  # type: ignore[no-any-return]

    def set_log(self, namespace: str, pod: str, text: str) -> None:
        self.call(lambda api: api.pod_logs.__setitem__((namespace, pod), text))
