"""A small asyncio client for the few Kubernetes API calls the operator makes (aiohttp, which kopf uses too).

Credentials come from the same kopf.ConnectionInfo that kopf logs in with (service account or kubeconfig),
so both talk to the same API server as the same identity.
"""

from __future__ import annotations

import base64
import json
import math
import ssl
import tempfile
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import aiohttp
import kopf

from tweetbot_operator.spec import constants as c

MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
# The API server answers with metadata only (the fallback: a server without it sends the object).
PARTIAL_METADATA = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"


class ApiError(Exception):
    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(f"{status} {reason}: {message}")
        self.status = status
        self.reason = reason
        self.message = message


def tweetbot_path(namespace: str, name: str | None = None, subresource: str | None = None) -> str:
    path = f"/apis/{c.GROUP}/{c.VERSION}/namespaces/{namespace}/{c.PLURAL}"
    return _named(path, name, subresource)


def jobs_path(namespace: str, name: str | None = None) -> str:
    return _named(f"/apis/batch/v1/namespaces/{namespace}/jobs", name)


def pods_path(namespace: str, name: str | None = None, subresource: str | None = None) -> str:
    return _named(f"/api/v1/namespaces/{namespace}/pods", name, subresource)


def services_path(namespace: str, name: str | None = None) -> str:
    return _named(f"/api/v1/namespaces/{namespace}/services", name)


def secrets_path(namespace: str, name: str | None = None) -> str:
    return _named(f"/api/v1/namespaces/{namespace}/secrets", name)


def events_path(namespace: str) -> str:
    return f"/api/v1/namespaces/{namespace}/events"


def _named(path: str, name: str | None, subresource: str | None = None) -> str:
    if name is not None:
        path += "/" + quote(name, safe="")
    if subresource:
        path += "/" + subresource
    return path


def encode_json(body: Any) -> str:
    """RFC 8259 JSON, which is all the API server reads: a non-finite float (which Python's json would write as
    NaN or Infinity, and the API server refuses with 400) is sent as null."""
    try:
        return json.dumps(body, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(body), allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def selector(labels: Mapping[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in labels.items())


class Kube:
    """One aiohttp session against one API server; methods return decoded JSON."""

    def __init__(self, info: kopf.ConnectionInfo | None = None, *, timeout: float = 30.0) -> None:
        self._info = info
        self._session: aiohttp.ClientSession | None = None
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._tempfiles: list[Any] = []
        self._session_to_close: aiohttp.ClientSession | None = None
        self._refresh: Callable[[], kopf.ConnectionInfo | None] | None = None

    def configure(
        self, info: kopf.ConnectionInfo, refresh: Callable[[], kopf.ConnectionInfo | None] | None = None
    ) -> None:
        """New credentials: the next request uses them. `refresh` logs in again when the API answers 401
        (a rotated service-account token)."""
        if refresh is not None:
            self._refresh = refresh
        if info != self._info:
            self._info = info
            self._session_to_close = self._session
            self._session = None

    @property
    def server(self) -> str:
        if self._info is None:
            raise RuntimeError("not logged in yet")
        return self._info.server.rstrip("/")

    async def close(self) -> None:
        for session in (self._session, self._session_to_close):
            if session is not None:
                await session.close()
        self._session = None
        for handle in self._tempfiles:
            handle.close()
        self._tempfiles.clear()

    async def _ensure(self) -> aiohttp.ClientSession:
        old = self._session_to_close
        if old is not None:
            self._session_to_close = None
            await old.close()
        if self._session is None:
            if self._info is None:
                raise RuntimeError("not logged in yet")
            headers = {"Accept": "application/json", "User-Agent": c.MANAGER}
            auth = None
            info = self._info
            if info.token:
                headers["Authorization"] = f"{info.scheme or 'Bearer'} {info.token}"
            elif info.username and info.password:
                auth = aiohttp.BasicAuth(info.username, info.password)
            connector = aiohttp.TCPConnector(ssl=self._ssl_context(info), limit=64)
            self._session = aiohttp.ClientSession(
                headers=headers, auth=auth, connector=connector, timeout=self._timeout
            )
        return self._session

    def _ssl_context(self, info: kopf.ConnectionInfo) -> ssl.SSLContext | bool:
        if not info.server.startswith("https"):
            return False
        if info.insecure:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return ctx
        cadata = _text(info.ca_data)
        ctx = ssl.create_default_context(cafile=str(info.ca_path) if info.ca_path else None, cadata=cadata)
        cert = self._file(info.certificate_path, info.certificate_data)
        key = self._file(info.private_key_path, info.private_key_data)
        if cert:
            ctx.load_cert_chain(cert, key)
        return ctx

    def _file(self, path: Any, data: str | bytes | None) -> str | None:
        if path:
            return str(path)
        if not data:
            return None
        raw = data if isinstance(data, bytes) else data.encode()
        if not raw.lstrip().startswith(b"-----"):
            raw = base64.b64decode(raw)  # kubeconfig *-data fields are base64
        handle = tempfile.NamedTemporaryFile(suffix=".pem")  # noqa: SIM115 -- lives as long as the client
        handle.write(raw)
        handle.flush()
        self._tempfiles.append(handle)
        return handle.name

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        content_type: str = "application/json",
        as_text: bool = False,
        accept: str | None = None,
    ) -> Any:
        data = None if body is None else encode_json(body)
        headers = {"Content-Type": content_type} if data is not None else {}
        if accept:
            headers["Accept"] = accept
        for attempt in range(2):
            session = await self._ensure()
            async with session.request(method, self.server + path, params=params, data=data,
                                       headers=headers) as resp:
                status, reason, text = resp.status, resp.reason, await resp.text()
            if status == 401 and attempt == 0 and self._refresh is not None:
                fresh = self._refresh()
                if fresh is not None and fresh != self._info:
                    self.configure(fresh)
                    continue
            break
        if status >= 400:
            try:
                error = json.loads(text)
            except ValueError:
                error = {}
            raise ApiError(status, str(error.get("reason") or reason), str(error.get("message") or text[:500]))
        if as_text:
            return text
        return json.loads(text) if text else None

    async def get(self, path: str) -> dict[str, Any] | None:
        try:
            return await self.request("GET", path)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    async def get_metadata(self, path: str) -> dict[str, Any] | None:
        """Only the object's metadata (PartialObjectMetadata): what the operator reads of a Secret, whose data it
        never asks for. A server that answers with the whole object has all but the metadata dropped here."""
        try:
            found = await self.request("GET", path, accept=PARTIAL_METADATA)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        return {"metadata": (found or {}).get("metadata") or {}}

    async def list(self, path: str, labels: Mapping[str, str] | None = None,
                   fields: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        params = {"labelSelector": selector(labels)} if labels else {}
        if fields:
            params["fieldSelector"] = selector(fields)
        result = await self.request("GET", path, params=params or None)
        return list((result or {}).get("items") or [])

    async def create(self, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return await self.request("POST", path, body=body)

    async def merge_patch(self, path: str, patch: Mapping[str, Any]) -> dict[str, Any]:
        return await self.request("PATCH", path, body=patch, content_type=MERGE_PATCH)

    async def json_patch(self, path: str, ops: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        return await self.request("PATCH", path, body=ops, content_type=JSON_PATCH)

    async def delete(self, path: str, propagation: str = "Background") -> bool:
        """True when it was there to delete."""
        try:
            await self.request("DELETE", path, body={"kind": "DeleteOptions", "apiVersion": "v1",
                                                     "propagationPolicy": propagation})
        except ApiError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    async def log_tail(self, namespace: str, pod: str, container: str, lines: int) -> str:
        params = {"container": container, "tailLines": str(lines)}
        return await self.request("GET", pods_path(namespace, pod, "log"), params=params,
                                  as_text=True)


def _text(data: str | bytes | None) -> str | None:
    if not data:
        return None
    raw = data if isinstance(data, bytes) else data.encode()
    if not raw.lstrip().startswith(b"-----"):
        raw = base64.b64decode(raw)
    return raw.decode()
