"""The emulator's request gate: authentication by bearer token, RBAC authorization, strict JSON, the
OwnerReferencesPermissionEnforcement plugin and validation of built-in objects. Each raises the
kmock.KubernetesError a real API server answers with (401/403/400/422)."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import kmock

from tests.support.k8s_builtin import builtin_errors
from tests.support.k8s_rbac import Attributes, Grant, grants_allow, owner_reference_checks, request_attributes

BUILTIN_VALIDATED = frozenset({"Job", "Pod", "Service", "Event", "Deployment"})


@dataclass
class Identity:
    user: str
    grants: list[Grant] | None  # None: not restricted (cluster-admin)


ADMIN = Identity("system:admin", None)
CURRENT: contextvars.ContextVar[Identity] = contextvars.ContextVar("k8s_identity", default=ADMIN)


@dataclass
class Gate:
    """What the emulator enforces beyond storing objects. Tokens not listed in `tokens` act as cluster-admin
    (the tests' own clients, the local kubelet); `require_token` refuses requests without any."""

    tokens: dict[str, Identity] = field(default_factory=dict)
    validate_builtins: bool = True
    denied: list[str] = field(default_factory=list)  # what was refused, for tests to show

    def bind(self, token: str, user: str, grants: list[Grant]) -> None:
        self.tokens[token] = Identity(user, grants)

    def identify(self, headers: Mapping[str, str]) -> Identity:
        auth = headers.get("Authorization", "")
        token = auth.split(" ", 1)[1] if auth.lower().startswith("bearer ") else ""
        return self.tokens.get(token, ADMIN)

    def authorize(self, identity: Identity, attrs: Attributes) -> None:
        if identity.grants is None or grants_allow(identity.grants, attrs):
            return
        target = f"{attrs.resource}.{attrs.group}" if attrs.group else attrs.resource
        message = f'{target or attrs.path} is forbidden: User "{identity.user}" {attrs.describe()}'
        self.denied.append(message)
        raise kmock.KubernetesError(status=403, reason="Forbidden", message=message)

    def check_request(self, method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str],
                      body: bytes) -> Identity:
        """Authorize one request and check its body; returns who sent it."""
        identity = self.identify(headers)
        self.authorize(identity, request_attributes(method, path, query))
        if body:
            strict_json(body)
        return identity

    def check_owner_references(self, owners: Mapping[tuple[str, str], str], namespace: str | None,
                               old: Mapping[str, Any] | None, new: Mapping[str, Any], resource: Attributes) -> None:
        """`owners`: (apiVersion, kind) -> plural, for the resources this API serves."""
        identity = CURRENT.get()
        if identity.grants is None:
            return
        changed, blocking = owner_reference_checks(old, new)
        if changed and old is not None:
            self.authorize(identity, Attributes("delete", resource.group, resource.resource, "", namespace,
                                                resource.name))
        for ref in blocking:
            plural = owners.get((str(ref.get("apiVersion")), str(ref.get("kind"))))
            group = str(ref.get("apiVersion", "")).rpartition("/")[0]
            try:
                self.authorize(identity, Attributes("update", group, plural or "", "finalizers", namespace,
                                                    str(ref.get("name", ""))))
            except kmock.KubernetesError:
                message = (f'{resource.resource}.{resource.group} "{resource.name}" is forbidden: cannot set '
                           "blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers "
                           f"on: {self.denied[-1]}")
                raise kmock.KubernetesError(status=403, reason="Forbidden", message=message) from None

    def check_builtin(self, kind: str, obj: Mapping[str, Any]) -> None:
        if not self.validate_builtins or kind not in BUILTIN_VALIDATED:
            return
        errors = builtin_errors(obj)
        if errors:
            name = (obj.get("metadata") or {}).get("name")
            raise kmock.KubernetesError(status=422, reason="Invalid",
                                        message=f'{kind} "{name}" is invalid: ' + "; ".join(errors[:5]))


def strict_json(body: bytes) -> Any:
    """The API server decodes bodies with a JSON parser that has no NaN or Infinity (RFC 8259)."""
    def refuse(token: str) -> Any:
        raise kmock.KubernetesError(status=400, reason="BadRequest",
                                    message=f"json: invalid character {token[0]!r} looking for beginning of value")
    try:
        value = json.loads(body, parse_constant=refuse)
    except ValueError as exc:
        raise kmock.KubernetesError(status=400, reason="BadRequest", message=f"invalid JSON: {exc}") from None
    return value

