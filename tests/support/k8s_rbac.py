"""RBAC as the API server's authorizer applies it, and the OwnerReferencesPermissionEnforcement admission plugin.

https://kubernetes.io/docs/reference/access-authn-authz/rbac/ and .../authorization/#review-your-request-attributes:
a request is (user, verb, apiGroup, resource, subresource, namespace, name); a Role's rules count in its own
namespace, a ClusterRole's everywhere when bound by a ClusterRoleBinding and in one namespace when bound by a
RoleBinding. Anything not granted is 403. The emulator binds bearer tokens to the grants of one ServiceAccount
(rendered from the chart or kustomize); a caller without a bound token (the tests' own clients, the local
kubelet) acts as cluster-admin.

OwnerReferencesPermissionEnforcement (plugin/pkg/admission/gc in kubernetes/kubernetes): whoever sets
`blockOwnerDeletion: true` on an owner reference needs `update` on the owner's `finalizers` subresource, and
changing an object's ownerReferences at all needs `delete` on the object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

DISCOVERY_PREFIXES = ("/api", "/apis", "/version", "/openapi", "/healthz", "/livez", "/readyz")


@dataclass(frozen=True)
class Attributes:
    """What the authorizer looks at in one request."""

    verb: str
    group: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str | None = None
    name: str = ""
    path: str = ""

    @property
    def is_resource(self) -> bool:
        return bool(self.resource)

    def describe(self) -> str:
        """The words a real API server's 403 uses."""
        if not self.is_resource:
            return f'cannot {self.verb} path "{self.path}"'
        res = f"{self.resource}/{self.subresource}" if self.subresource else self.resource
        where = f' in the namespace "{self.namespace}"' if self.namespace else " at the cluster scope"
        return f'cannot {self.verb} resource "{res}" in API group "{self.group}"{where}'


def request_attributes(method: str, path: str, query: Mapping[str, str]) -> Attributes:
    """Parse a REST path the way the API server's RequestInfoFactory does (core and named groups)."""
    parts = [p for p in path.split("/") if p]
    if parts[:1] == ["api"] and len(parts) >= 2:
        group, rest = "", parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        group, rest = parts[1], parts[3:]
    else:
        return Attributes(verb=method.lower(), path=path)
    namespace: str | None = None
    if rest[:1] == ["namespaces"] and len(rest) >= 3:
        namespace, rest = rest[1], rest[2:]
    if not rest:
        return Attributes(verb=method.lower(), path=path)  # group/version discovery
    resource, name, sub = rest[0], rest[1] if len(rest) > 1 else "", "/".join(rest[2:])
    if resource == "namespaces" and name:
        namespace = name  # a namespace is in itself
    verb = _verb(method, bool(name), query.get("watch") in ("true", "1"))
    return Attributes(verb, group, resource, sub, namespace, name, path)


def _verb(method: str, named: bool, watch: bool) -> str:
    if method == "GET":
        return "watch" if watch else "get" if named else "list"
    if method == "DELETE":
        return "delete" if named else "deletecollection"
    return {"POST": "create", "PUT": "update", "PATCH": "patch"}.get(method, method.lower())


@dataclass(frozen=True)
class Grant:
    """The rules of one Role or ClusterRole, as bound: in one namespace, or everywhere (namespace None)."""

    rules: tuple[Mapping[str, Any], ...]
    namespace: str | None = None
    source: str = ""


def _listed(values: Iterable[str], wanted: str) -> bool:
    values = list(values or [])
    return "*" in values or wanted in values


def rule_allows(rule: Mapping[str, Any], attrs: Attributes) -> bool:
    if not attrs.is_resource:
        return any(u == attrs.path or (u.endswith("*") and attrs.path.startswith(u[:-1]))
                   for u in rule.get("nonResourceURLs") or [])
    resource = f"{attrs.resource}/{attrs.subresource}" if attrs.subresource else attrs.resource
    names = rule.get("resourceNames") or []
    return (_listed(rule.get("verbs") or [], attrs.verb) and _listed(rule.get("apiGroups") or [], attrs.group)
            and _listed(rule.get("resources") or [], resource) and (not names or attrs.name in names))


def grants_allow(grants: Sequence[Grant], attrs: Attributes) -> bool:
    if not attrs.is_resource and attrs.path.startswith(DISCOVERY_PREFIXES):
        return True  # system:discovery, bound to every authenticated user
    for grant in grants:
        if grant.namespace is not None and grant.namespace != attrs.namespace:
            continue
        if any(rule_allows(rule, attrs) for rule in grant.rules):
            return True
    return False


def service_account_grants(objects: Iterable[Mapping[str, Any]], namespace: str, name: str) -> list[Grant]:
    """The grants that rendered Roles, ClusterRoles and their bindings give one ServiceAccount."""
    objects = list(objects)
    roles = {(o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"]): tuple(o.get("rules") or [])
             for o in objects if o.get("kind") in ("Role", "ClusterRole")}
    grants = []
    for binding in objects:
        if binding.get("kind") not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        subjects = binding.get("subjects") or []
        if not any(s.get("kind") == "ServiceAccount" and s.get("name") == name
                   and s.get("namespace", binding["metadata"].get("namespace")) == namespace for s in subjects):
            continue
        ref = binding["roleRef"]
        where = binding["metadata"].get("namespace") if binding["kind"] == "RoleBinding" else None
        role_ns = where if ref["kind"] == "Role" else None
        rules = roles.get((ref["kind"], role_ns, ref["name"]))
        if rules is None:
            raise ValueError(f"{binding['kind']} {binding['metadata']['name']} refers to a missing "
                             f"{ref['kind']} {ref['name']}")
        grants.append(Grant(rules, where, f"{ref['kind']}/{ref['name']}"))
    return grants


def owner_reference_checks(
    old: Mapping[str, Any] | None, new: Mapping[str, Any]
) -> tuple[bool, list[Mapping[str, Any]]]:
    """(ownerReferences changed, references that newly block their owner's deletion)."""
    def refs(obj: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
        return list(((obj or {}).get("metadata") or {}).get("ownerReferences") or [])

    before, after = refs(old), refs(new)
    blocking_before = {ref.get("uid") for ref in before if ref.get("blockOwnerDeletion")}
    newly_blocking = [ref for ref in after if ref.get("blockOwnerDeletion") and ref.get("uid") not in blocking_before]
    return before != after, newly_blocking
