"""A container's environment as the kubelet builds it: `value`, `secretKeyRef`, `fieldRef` (the pod's own
labels and annotations, as the Job controller's JOB_COMPLETION_INDEX uses), and `$(VAR)` references."""

from __future__ import annotations

import base64
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.support.kubelet_http import ApiError, KubeHttp
from tests.support.kubelet_rules import map_path, pod_mounts

_REFERENCE = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_FIELD = re.compile(r"metadata\.(labels|annotations)\['([^']+)'\]")


def expand(text: str, env: Mapping[str, str]) -> str:
    """Kubernetes' `$(VAR)` expansion (command, args, env values): replaced when VAR is defined, kept as written
    when not; `$$` is an escaped `$` (`$$(VAR)` stays `$(VAR)`)."""
    return _REFERENCE.sub(lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), m.group(0)), text)


def field_value(path: str, meta: Mapping[str, Any]) -> str | None:
    if path in ("metadata.name", "metadata.namespace"):
        return str(meta.get(path.split(".")[1], ""))
    found = _FIELD.fullmatch(path)
    return None if found is None else (meta.get(found.group(1)) or {}).get(found.group(2))


def secret_value(api: KubeHttp, ns: str, ref: Mapping[str, Any]) -> str | None:
    """The Secret key's value; None for an optional one that is missing; ApiError 404 for a required one."""
    try:
        secret = api.get(f"/api/v1/namespaces/{ns}/secrets/{ref['name']}")
    except ApiError as err:
        if err.status == 404 and ref.get("optional"):
            return None
        if err.status == 404:
            raise ApiError(404, f'secret "{ref["name"]}" not found') from None
        raise
    data = secret.get("data") or {}
    if ref["key"] in data:
        return base64.b64decode(data[ref["key"]]).decode()
    if ref["key"] in (secret.get("stringData") or {}):
        return str(secret["stringData"][ref["key"]])
    if not ref.get("optional"):
        raise ApiError(404, f"couldn't find key {ref['key']} in Secret {ns}/{ref['name']}")
    return None


def container_env(api: KubeHttp, ns: str, container: dict[str, Any], pod_dir: Path, meta: Mapping[str, Any],
                  extra: Mapping[str, str]) -> dict[str, str]:
    """The process environment: this machine's basics, the container's env (paths mapped to the pod's
    folders), `extra` (the test's)."""
    mounts = pod_mounts(container, pod_dir)
    for local in mounts.values():
        local.mkdir(parents=True, exist_ok=True)
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "PYTHONPATH") if key in os.environ}
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    declared: dict[str, str] = {}  # what `$(VAR)` may refer to: the container's own variables, in order
    for item in container.get("env", []):
        source = item.get("valueFrom", {})
        if "value" in item:
            value: str | None = map_path(expand(str(item["value"]), declared), mounts)
        elif "secretKeyRef" in source:
            value = secret_value(api, ns, source["secretKeyRef"])
        elif "fieldRef" in source:
            value = field_value(source["fieldRef"]["fieldPath"], meta)
        else:
            continue
        if value is not None:
            declared[item["name"]] = env[item["name"]] = value
    env["TMPDIR"] = str(mounts.get("/tmp", pod_dir))
    env.update(extra)
    return env
