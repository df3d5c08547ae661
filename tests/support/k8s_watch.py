"""The emulator's watches: history since a resourceVersion (410 Gone once compacted away), BOOKMARK events,
label and field selectors, and `end_watches()` for tests. A mixin of tests/support/k8s_emulator.KubernetesApi,
whose state (`_history`, `_watchers`, `_index`, `_lock`, `_last_rv`, `_compacted_rv`) it reads."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any

from kmock._internal import rendering

from tests.support.k8s_selectors import parse_field_selector, parse_label_selector
from tests.support.k8s_values import clone


def gone(since: str, compacted: int) -> dict[str, Any]:
    """The watch event a real API server sends for a resourceVersion older than its compaction."""
    return {"type": "ERROR", "object": {
        "apiVersion": "v1", "kind": "Status", "metadata": {}, "status": "Failure", "reason": "Expired", "code": 410,
        "message": f"too old resource version: {since} ({compacted})"}}


class WatchMixin:
    _history: Any
    _watchers: Any
    _index: Any
    _lock: Any
    _last_rv: int
    _compacted_rv: int
    watches_gone: int
    bookmark_interval: float
    resources: Any

    async def _watch_events(self, request: rendering.Request) -> AsyncIterator[dict[str, Any]]:
        """Watch from `resourceVersion` (history since then; 410 Gone as an ERROR event when compacted away) or
        from scratch (ADDED for each object), then live events, with BOOKMARKs when asked for, until
        `timeoutSeconds` or `end_watches()`."""
        res = request.resource
        since = request.params.get("resourceVersion")
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        async with self._lock:
            if since and since != "0" and int(since) < self._compacted_rv:
                self.watches_gone += 1
                yield gone(since, self._compacted_rv)
                return
            if since and since != "0":
                backlog = [event for rv, event in self._history[res] if rv > int(since)]
            else:
                backlog = [{"type": "ADDED", "object": clone(obj.raw)}
                           for obj in list(self._index[res].values()) if not obj.deleted]
            self._watchers[res].add(queue)
        loop = asyncio.get_running_loop()
        timeout = float(request.params.get("timeoutSeconds") or 0)
        deadline = loop.time() + timeout if timeout else None
        bookmarks = request.params.get("allowWatchBookmarks") == "true"
        try:
            for event in backlog:
                if self._watched(request, event):
                    yield event
            while True:
                wait = None if deadline is None else max(0.0, deadline - loop.time())
                if bookmarks:
                    wait = self.bookmark_interval if wait is None else min(wait, self.bookmark_interval)
                try:
                    item = await asyncio.wait_for(queue.get(), wait)
                except TimeoutError:
                    if deadline is not None and loop.time() >= deadline:
                        return
                    yield self._bookmark(res)
                    continue
                if item is None:  # end_watches()
                    return
                if self._watched(request, item):
                    yield item
        finally:
            self._watchers[res].discard(queue)

    def _bookmark(self, res: Any) -> dict[str, Any]:
        api_version = f"{res.group}/{res.version}".lstrip("/")
        return {"type": "BOOKMARK", "object": {"apiVersion": api_version, "kind": self.resources[res].kind,
                                               "metadata": {"resourceVersion": str(self._last_rv)}}}

    def compact(self) -> None:
        """Forget the event history, as etcd's compaction does: watches from an older resourceVersion get 410."""
        self._compacted_rv = self._last_rv
        for history in self._history.values():
            history.clear()

    def end_watches(self) -> None:
        """Close every open watch, as an API server restart or a load balancer's idle timeout does."""
        for queues in self._watchers.values():
            for queue in queues:
                queue.put_nowait(None)

    @staticmethod
    def _watched(request: rendering.Request, event: Mapping[str, Any]) -> bool:
        """Whether a watch's namespace, name, label and field selectors take in the event's object."""
        obj = event["object"]
        meta = obj.get("metadata", {})
        if event["type"] == "BOOKMARK":
            return True
        if request.namespace is not None and meta.get("namespace") != request.namespace:
            return False
        if request.name is not None and meta.get("name") != request.name:
            return False
        labels, fields = request.params.get("labelSelector"), request.params.get("fieldSelector")
        return (not labels or parse_label_selector(labels)(meta.get("labels") or {})) and (
            not fields or parse_field_selector(fields)(obj))
