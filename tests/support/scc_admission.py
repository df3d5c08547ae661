"""An OpenShift SecurityContextConstraints stand-in, as the restricted-v2 SCC admits pods: where the namespace has
the annotation `openshift.io/sa.scc.uid-range` (e.g. "1000680000/10000", set by OpenShift's namespace controller
on every project), a pod that fixes `runAsUser` outside that range is refused (runAsUser MustRunAsRange), and
one that fixes `fsGroup`, `runAsGroup` or `supplementalGroups` outside `openshift.io/sa.scc.supplemental-groups`
(the uid range when absent) too (fsGroup/supplementalGroups MustRunAs). The refusal is the pod create's 403, as
OpenShift's SCC admission answers: "unable to validate against any security context constraint", naming each
field. A pod that leaves the IDs out is admitted: OpenShift would fill them in from the range."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

UID_RANGE = "openshift.io/sa.scc.uid-range"
GROUP_RANGES = "openshift.io/sa.scc.supplemental-groups"


def parse_ranges(text: str) -> list[tuple[int, int]]:
    """OpenShift's "start/size" blocks (comma-separated for groups; "start-end" too), as inclusive ranges."""
    ranges = []
    for block in filter(None, (part.strip() for part in text.split(","))):
        if "/" in block:
            start, size = block.split("/", 1)
            ranges.append((int(start), int(start) + int(size) - 1))
        else:
            start, _, end = block.partition("-")
            ranges.append((int(start), int(end or start)))
    return ranges


def _fixed_ids(pod: Mapping[str, Any]) -> Iterator[tuple[str, str, int]]:
    """(kind, field path, value) of every fixed ID in the pod spec; kind is "user" or "group"."""
    spec = pod.get("spec") or {}
    context = spec.get("securityContext") or {}
    if context.get("runAsUser") is not None:
        yield "user", "spec.securityContext.runAsUser", int(context["runAsUser"])
    for key in ("runAsGroup", "fsGroup"):
        if context.get(key) is not None:
            yield "group", f"spec.securityContext.{key}", int(context[key])
    for i, gid in enumerate(context.get("supplementalGroups") or []):
        yield "group", f"spec.securityContext.supplementalGroups[{i}]", int(gid)
    for kind in ("initContainers", "containers"):
        for i, container in enumerate(spec.get(kind) or []):
            ctx = container.get("securityContext") or {}
            if ctx.get("runAsUser") is not None:
                yield "user", f"spec.{kind}[{i}].securityContext.runAsUser", int(ctx["runAsUser"])
            if ctx.get("runAsGroup") is not None:
                yield "group", f"spec.{kind}[{i}].securityContext.runAsGroup", int(ctx["runAsGroup"])


def scc_refusal(namespace: Mapping[str, Any] | None, pod: Mapping[str, Any]) -> str | None:
    """The 403 message for a pod restricted-v2 refuses in this namespace; None when it is admitted."""
    annotations = ((namespace or {}).get("metadata") or {}).get("annotations") or {}
    if UID_RANGE not in annotations:
        return None
    users = parse_ranges(annotations[UID_RANGE])
    groups = parse_ranges(annotations.get(GROUP_RANGES) or annotations[UID_RANGE])
    problems = []
    for kind, path, value in _fixed_ids(pod):
        allowed = users if kind == "user" else groups
        if not any(low <= value <= high for low, high in allowed):
            shown = ", ".join(f"[{low}, {high}]" for low, high in allowed)
            problems.append(f"{path}: Invalid value: {value}: must be in the ranges: {shown}")
    if not problems:
        return None
    name = (pod.get("metadata") or {}).get("name") or (pod.get("metadata") or {}).get("generateName") or ""
    return (f'pods "{name}" is forbidden: unable to validate against any security context constraint: '
            f'[provider "restricted-v2": ' + ", ".join(problems) + "]")
