"""NetworkPolicy semantics, enough to ask "may this pod reach that pod on this port?" of rendered policies:
podSelector/namespaceSelector matchLabels, ipBlock-free peers, numbered and named ports, policyTypes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Obj = dict[str, Any]


@dataclass(frozen=True)
class Pod:
    namespace: str
    labels: Mapping[str, str]
    ports: Mapping[str, int] = field(default_factory=dict)  # named container ports


def _selects(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    wanted = (selector or {}).get("matchLabels") or {}
    return all(labels.get(k) == v for k, v in wanted.items())


def _peer_matches(peer: Obj, policy_ns: str, pod: Pod) -> bool:
    if "ipBlock" in peer:
        return False  # a CIDR: not a pod we can place
    ns_ok = _selects(peer["namespaceSelector"], {"kubernetes.io/metadata.name": pod.namespace}) \
        if "namespaceSelector" in peer else pod.namespace == policy_ns
    return ns_ok and ("podSelector" not in peer or _selects(peer["podSelector"], pod.labels))


def _port_matches(rule: Obj, target: Pod, port: int, protocol: str) -> bool:
    if not rule.get("ports"):
        return True
    for p in rule["ports"]:
        number = target.ports.get(p["port"]) if isinstance(p.get("port"), str) else p.get("port")
        if p.get("protocol", "TCP") == protocol and ((number is None and "port" not in p) or number == port):
            return True
    return False


def _direction_allows(policies: list[Obj], pod: Pod, kind: str, peer: Pod, port_pod: Pod, port: int,
                      protocol: str) -> bool:
    key, peers_key = ("ingress", "from") if kind == "Ingress" else ("egress", "to")
    applying = [p for p in policies if p["metadata"]["namespace"] == pod.namespace
                and _selects(p["spec"]["podSelector"], pod.labels) and kind in p["spec"].get("policyTypes", [])]
    if not applying:
        return True  # not isolated in this direction
    return any(
        _port_matches(rule, port_pod, port, protocol)
        and (not rule.get(peers_key)
             or any(_peer_matches(x, p["metadata"]["namespace"], peer) for x in rule[peers_key]))
        for p in applying for rule in p["spec"].get(key, []))


def allows(objects: Iterable[Obj], source: Pod, target: Pod, port: int, protocol: str = "TCP") -> bool:
    """Whether `source` may open a connection to `target`'s `port`: its egress and the target's ingress."""
    policies = [o for o in objects if o.get("kind") == "NetworkPolicy"]
    return (_direction_allows(policies, source, "Egress", target, target, port, protocol)
            and _direction_allows(policies, target, "Ingress", source, target, port, protocol))


# A destination that is no pod (S3, the API server's address): only rules without peers (or with ipBlocks) reach it.
OUTSIDE = Pod(namespace="<outside>", labels={"<outside>": "yes"})
