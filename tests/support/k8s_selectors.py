"""Label and field selectors as list and watch requests carry them (the API server's labels.Parse and
fields.ParseSelector, for the operators the operator and kopf use)."""

from __future__ import annotations

import re
from typing import Any

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
    """A predicate over a whole object for a field selector (`metadata.name`, `involvedObject.name`, `reason`...:
    dotted paths, = == and !=)."""
    checks = []
    for term in filter(None, (t.strip() for t in selector.split(","))):
        negate = "!=" in term
        field, value = (s.strip() for s in term.replace("==", "=").replace("!=", "=").split("=", 1))
        path = field.split(".")
        checks.append(lambda obj, f=path, v=value, n=negate: (_field(obj, f) == v) != n)
    return lambda obj: all(check(obj) for check in checks)


def _field(obj: Any, path: list[str]) -> str:
    for part in path:
        obj = obj.get(part) if isinstance(obj, dict) else None
    return "" if obj is None else str(obj)
