"""KMock's KubernetesEmulator, extended with the API server behaviour the operator relies on.

KMock stores objects and streams watch events, but treats every write as a plain JSON merge. This subclass
adds, as https://kubernetes.io/docs/reference/using-api/api-concepts/ and the CRD docs describe them:

- object identity on create: `uid`, `creationTimestamp`, `resourceVersion` (bumped on every write),
  `generation` (1 on create, +1 on each change outside metadata and status), `generateName`;
- the status subresource split: writes to `/status` change only `status`; writes to the main resource
  ignore `status` (for resources registered with a status subresource);
- CRDs refused unless structural (crd_validation.py); their schemas: pruning, defaulting, validation (CEL too);
- finalizers: DELETE of an object with finalizers only sets `deletionTimestamp`; removing the last
  finalizer deletes it;
- deletion (k8s_deletion.py): garbage collection of dependents by `ownerReferences` (background, foreground,
  orphan), graceful deletion of pods bound to a node;
- watches (k8s_watch.py) that resume from a `resourceVersion` (410 Gone once compacted), send BOOKMARKs, apply
  selectors and end after `timeoutSeconds`;
- the request gate (k8s_admission.py): bearer tokens bound to RBAC grants (403), strict JSON (400),
  OwnerReferencesPermissionEnforcement, validation of built-in objects (k8s_builtin.py); status writes pruned
  and validated by the CRD's status schema;
- namespaces (k8s_namespaces.py): list and watch, which KMock cannot route; NamespaceLifecycle; their deletion;
- list `labelSelector` (=, ==, !=, exists, !exists, in, notin) and `fieldSelector` (dotted paths);
- `pods/{name}/log` (`tailLines`, `container`): text from `pod_logs[(namespace, name)]` or from the file named
  by the pod's `kubelet.local/log-file` annotation (tests/support/local_kubelet.py writes it);
- JSON patches (with `test` ops) as well as merge patches; a failed `test` is 422, as kopf expects;
- 409 AlreadyExists on a duplicate create, 404 on writes to missing objects, and 404 for resources it does not
  serve (a CRD not installed: `register_crd` installs one, e.g. KServe's from tests/support/crds.py).
"""

from __future__ import annotations

import asyncio
import collections
import json
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aiohttp.web
import attrs
import jsonpatch
import jsonpointer
import kmock
from kmock._internal import dicts as kdicts
from kmock._internal import rendering

from tests.support import service_proxy
from tests.support.crd_validation import check_crd
from tests.support.k8s_admission import CURRENT, Gate
from tests.support.k8s_deletion import DeletionMixin
from tests.support.k8s_namespaces import NamespaceMixin
from tests.support.k8s_schema_admission import SchemaAdmissionMixin
from tests.support.k8s_selectors import equality_terms, parse_field_selector, parse_label_selector
from tests.support.k8s_values import clone, now_rfc3339
from tests.support.k8s_watch import WatchMixin

LOG_FILE_ANNOTATION = "kubelet.local/log-file"
METADATA_IMMUTABLE = ("uid", "creationTimestamp", "generation", "resourceVersion", "deletionTimestamp")


TRUE = frozenset({"1", "t", "T", "true", "True", "TRUE"})  # Go's strconv.ParseBool, as the API server reads
BOOL_PARAMS = ("watch", "allowWatchBookmarks")


def normalize_bools(request: aiohttp.web.BaseRequest) -> aiohttp.web.BaseRequest:
    """`watch=True` (what the official Python client sends) means what `watch=true` means; KMock knows only the
    latter."""
    odd = [k for k in BOOL_PARAMS if request.query.get(k) in TRUE and request.query.get(k) != "true"]
    if not odd:
        return request
    return request.clone(rel_url=request.rel_url.update_query({k: "true" for k in odd}))


@attrs.define(kw_only=True)
class KubernetesApi(WatchMixin, DeletionMixin, NamespaceMixin, SchemaAdmissionMixin, kmock.KubernetesEmulator):
    schemas: dict[Any, dict[str, Any]] = attrs.field(factory=dict)  # resource -> openAPIV3Schema
    status_resources: set[Any] = attrs.field(factory=set)  # resources with a status subresource
    plain_resources: set[Any] = attrs.field(factory=set)  # registered resources without one
    request_log: list[tuple[str, str]] = attrs.field(factory=list)  # (method, path?query) of served requests
    error_log: list[tuple[str, str, int]] = attrs.field(factory=list)  # (method, path?query, status) of refused ones
    pod_logs: dict[tuple[str, str], str] = attrs.field(factory=dict)
    _admitted: dict[str, tuple[dict[str, Any], list[str]]] = attrs.field(factory=dict)
    _labels: dict[Any, dict[tuple[str, str], set[tuple[str | None, str]]]] = attrs.field(
        factory=lambda: collections.defaultdict(lambda: collections.defaultdict(set)))  # label -> objects
    gate: Gate = attrs.field(factory=Gate)  # authentication, RBAC, strict JSON, admission plugins
    on_create: Any = None  # called as on_create(resource, object) after each create (benchmarks time with it)
    mutators: list[Any] = attrs.field(factory=list)  # mutating webhooks: mutator(resource, object) on each create
    validators: list[Any] = attrs.field(factory=list)  # validating webhooks: validator(resource, old, new) on writes
    service_backends: service_proxy.Resolver | None = None  # where services/NAME/proxy requests go
    _index: dict[Any, dict[tuple[str | None, str], Any]] = attrs.field(
        factory=lambda: collections.defaultdict(dict))  # resource -> (namespace, name) -> kmock Object
    _last_rv: int = 1000
    _compacted_rv: int = 0  # watches from before this resourceVersion are answered 410 Gone
    watches_gone: int = 0  # watches answered 410 Gone
    bookmark_interval: float = 60.0  # seconds between BOOKMARK events (allowWatchBookmarks), as the API server
    _history: dict[Any, collections.deque[tuple[int, dict[str, Any]]]] = attrs.field(
        factory=lambda: collections.defaultdict(lambda: collections.deque(maxlen=50_000)))
    _watchers: dict[Any, set[asyncio.Queue[dict[str, Any] | None]]] = attrs.field(
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
        check_crd(crd)  # a CRD a real API server refuses (not structural, bad CEL or columns) is refused here too
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
        # ConfigMaps have no status subresource (pkg/registry/core/configmap/storage/storage.go: NewREST returns
        # one REST, no StatusREST); the operator GETs the blocked handles list, `takedown` creates and patches it.
        self.register("v1/configmaps", "ConfigMap", status=False)
        self.register("v1/serviceaccounts", "ServiceAccount", status=False)
        self.register("v1/services", "Service")
        self.register("apps/v1/deployments", "Deployment")
        self.register("scheduling.k8s.io/v1/priorityclasses", "PriorityClass", namespaced=False, status=False)
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
        raw_request = normalize_bools(raw_request)
        try:
            body = await raw_request.read() if raw_request.can_read_body else b""
            CURRENT.set(self.gate.check_request(raw_request.method, raw_request.path, raw_request.query,
                                                raw_request.headers, body))
        except kmock.KubernetesError as exc:
            return await self._render_error(exc)
        # KMock cannot parse the cluster-scoped /api/v1/namespaces (it reads "namespaces" as a path prefix);
        # kopf lists and watches it when it serves a list of namespaces.
        if raw_request.path == "/api/v1/namespaces" and raw_request.method == "GET":
            return await self._serve_namespaces(raw_request)
        proxied = service_proxy.match(raw_request.path)
        if proxied is not None:
            service = self.read("v1/services", proxied["ns"], proxied["svc"])
            return await service_proxy.forward(proxied, raw_request, service, self.service_backends)
        request = await self.parse_request(raw_request)
        if request.resource is None or not request.resource.plural:
            return await super().__call__(raw_request)  # discovery and anything KMock's DSL should answer
        if request.resource not in self.status_resources | self.plain_resources:
            # A resource the cluster does not serve (e.g. a CRD not installed): what a real API server answers,
            # where KMock would store anything.
            self.error_log.append((raw_request.method, raw_request.path_qs, 404))
            return await self._render_error(kmock.KubernetesError(
                status=404, reason="NotFound", message="the server could not find the requested resource"))
        # Registered resources are served here, past KMock's request-matching DSL, whose cost grows with every
        # request served (it re-scans the request history) and would dominate at a thousand objects.
        self.request_log.append((raw_request.method, raw_request.path_qs))
        try:
            return await self._serve(request, raw_request)
        except kmock.KubernetesError as exc:
            self.error_log.append((raw_request.method, raw_request.path_qs, int(exc.status or 0)))
            return await self._render_error(exc)

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
        for mutate in self.mutators:
            mutate(res, obj)
        obj = self._admit(res, obj)
        self.check_namespace_lifecycle(res, namespace, meta["name"])
        self._check_admission(res, namespace, None, obj)
        if res in self.status_resources:
            obj.pop("status", None)  # status is written through its subresource only
            if res == kmock.resource("v1/pods"):
                obj["status"] = {"phase": "Pending"}
        for validate in self.validators:  # after the status is dropped: a stand-in controller may record one
            validate(res, None, obj)
        meta = obj["metadata"]
        meta.update(uid=str(uuid.uuid4()), creationTimestamp=now_rfc3339(), generation=1,
                    resourceVersion=self._next_rv())
        meta.pop("deletionTimestamp", None)
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
        await self._collect_new_dependent(res, namespace, obj)  # its owners may be in foreground deletion
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
                self._check_admission(res, namespace, old, new)
                for validate in self.validators:
                    validate(res, old, new)
            elif res in self.schemas and "status" in new:
                new["status"] = self._admit_status(res, new)
            if self._spec_changed(old, new):
                new["metadata"]["generation"] = int(old["metadata"].get("generation") or 1) + 1
            new["metadata"]["resourceVersion"] = self._next_rv()
            stored.history.append(new)
            self._relabel(res, (namespace, name), old, new)
            self._emit(res, "MODIFIED", new)
        # The last finalizer removed: the object goes (a terminating pod without any waits for its kubelet).
        if new["metadata"].get("deletionTimestamp") and old["metadata"].get("finalizers") and not new[
                "metadata"].get("finalizers"):
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
            if match_labels(meta.get("labels") or {}) and match_fields(raw):
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

# The thread runner lives in its own module; imported here, where the tests have always found it.
from tests.support.k8s_thread import EmulatorThread  # noqa: E402

__all__ = ["EmulatorThread", "KubernetesApi", "clone", "now_rfc3339"]
