"""The emulator's admission of writes: a CRD's schema (pruning, defaulting, validation, status too), built-in
validation, OwnerReferencesPermissionEnforcement (through the request gate) and SCC-like pod admission. A mixin of
tests/support/k8s_emulator.KubernetesApi, whose state (`schemas`, `_admitted`, `resources`, `gate`) it uses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import kmock

from tests.support import k8s_schema
from tests.support.k8s_rbac import Attributes
from tests.support.k8s_values import clone
from tests.support.scc_admission import scc_refusal


class SchemaAdmissionMixin:
    schemas: Any
    resources: Any
    gate: Any
    _admitted: Any
    read: Any

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

    def _check_admission(self, res: Any, namespace: str | None, old: dict[str, Any] | None,
                         new: dict[str, Any]) -> None:
        """Built-in validation and OwnerReferencesPermissionEnforcement on a write to the main resource."""
        kind = self.resources[res].kind or ""
        self.gate.check_builtin(kind, new)
        owners = {(f"{r.group}/{r.version}".lstrip("/"), info.kind): r.plural for r, info in self.resources.items()}
        name = new.get("metadata", {}).get("name", "")
        verb = "create" if old is None else "update"
        self.gate.check_owner_references(owners, namespace, old, new,
                                         Attributes(verb, res.group or "", res.plural, "", namespace, name))
        if kind == "Pod" and old is None:  # SCC admission (scc_admission.py), where the namespace asks for it
            refusal = scc_refusal(self.read("v1/namespaces", None, namespace) if namespace else None, new)
            if refusal:
                raise kmock.KubernetesError(status=403, reason="Forbidden", message=refusal)

    def _admit_status(self, res: Any, obj: Mapping[str, Any]) -> Any:
        """A status write is pruned and validated by the CRD's status schema, like the rest of the object."""
        schema = (self.schemas[res].get("properties") or {}).get("status")
        if schema is None:
            return obj["status"]
        status = k8s_schema.prune(schema, obj["status"], root=False)
        errors = k8s_schema.validate(schema, status)
        if errors:
            kind, name = self.resources[res].kind, obj.get("metadata", {}).get("name")
            raise kmock.KubernetesError(status=422, reason="Invalid", message=f'{kind}.{res.group} "{name}" is '
                                        "invalid: " + "; ".join(f"status.{e}" for e in errors))
        return status
