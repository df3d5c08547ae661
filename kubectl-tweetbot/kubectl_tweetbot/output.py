"""`kubectl tweetbot get -o json|yaml|name`: the objects as kubectl prints them (one object, or a v1 List)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

FORMATS = ("json", "yaml", "name")


def as_list(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": list(items)}


def formatted(items: Sequence[Mapping[str, Any]], output: str, single: bool) -> str:
    """`items` in `output` format; `single` prints the one object itself (as `kubectl get tb NAME -o json`)."""
    if output == "name":
        return "\n".join(f"tweetbot.tweetbot.io/{tb['metadata']['name']}" for tb in items)
    body: Any = dict(items[0]) if single else as_list(items)
    if output == "json":
        return json.dumps(body, indent=4, sort_keys=False)
    import yaml  # a dependency of the kubernetes client

    return str(yaml.safe_dump(body, sort_keys=False, default_flow_style=False)).rstrip("\n")
