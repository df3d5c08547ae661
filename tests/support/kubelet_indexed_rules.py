"""The Job controller's rules for Indexed Jobs, as pure functions: completed-index strings, which
podFailurePolicy rule a failed pod matches, which successPolicy rule the succeeded indexes satisfy, and the
test bed's stand-in for cluster DNS and pod ports (loopback names and ports put into a pod's env and args)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

INDEX_KEY = "batch.kubernetes.io/job-completion-index"
RENDEZVOUS_PORT = "rendezvous"  # the container port every pod of a training group listens on (rank 0's store)
PORT_FLAG = "--master-port"
PORT_ENV = "MASTER_PORT"


def is_indexed(spec: Mapping[str, Any]) -> bool:
    return spec.get("completionMode") == "Indexed"


def intervals(indexes: Iterable[int]) -> str:
    """The controller's `completedIndexes`: sorted, runs of three or more as "a-b", two as "a,b" ("0,1", "0-3")."""
    runs: list[list[int]] = []
    for index in sorted(set(indexes)):
        if runs and index == runs[-1][1] + 1:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    parts = [str(a) if a == b else f"{a},{b}" if b == a + 1 else f"{a}-{b}" for a, b in runs]
    return ",".join(parts)


def parse_intervals(text: str) -> set[int]:
    out: set[int] = set()
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        out.update(range(int(first), int(last or first) + 1))
    return out


def failure_action(spec: Mapping[str, Any], code: int, disrupted: bool, container: str) -> tuple[str, int] | None:
    """(action, rule index) of the first podFailurePolicy rule a failed pod matches; None: counted (no rule)."""
    for index, rule in enumerate((spec.get("podFailurePolicy") or {}).get("rules", [])):
        on_codes = rule.get("onExitCodes")
        applies = bool(on_codes) and code != 0 and on_codes.get("containerName") in (None, container)
        if applies and (on_codes.get("operator") == "In") == (code in set(on_codes.get("values", []))):
            return str(rule["action"]), index
        for wanted in rule.get("onPodConditions") or []:
            if disrupted and wanted.get("type") == "DisruptionTarget" and wanted.get("status", "True") == "True":
                return str(rule["action"]), index
    return None


def success_rule(spec: Mapping[str, Any], succeeded: set[int]) -> int | None:
    """Index of the first successPolicy rule the succeeded indexes satisfy (succeededIndexes: all of them;
    succeededCount: that many, of succeededIndexes when both are given)."""
    for index, rule in enumerate((spec.get("successPolicy") or {}).get("rules", [])):
        wanted = parse_intervals(rule["succeededIndexes"]) if "succeededIndexes" in rule else None
        done = succeeded if wanted is None else succeeded & wanted
        count = rule.get("succeededCount")
        if (count is None and wanted is not None and wanted <= succeeded) or (count is not None
                                                                              and len(done) >= int(count)):
            return index
    return None


def dns_names(hostname: str, subdomain: str, namespace: str) -> list[str]:
    """What cluster DNS answers for a pod with hostname and subdomain (a headless Service), longest first."""
    short = f"{hostname}.{subdomain}"
    return [f"{short}.{namespace}.svc.cluster.local", f"{short}.{namespace}.svc", f"{short}.{namespace}", short]


def substitute_hosts(text: str, addresses: Mapping[str, str]) -> str:
    """Each whole DNS name of `addresses` in `text` replaced by its address (the longest name first)."""
    if not addresses:
        return text
    names = "|".join(re.escape(name) for name in sorted(addresses, key=len, reverse=True))
    return re.sub(rf"(?<![\w.-])({names})(?![\w-]|\.\w)", lambda m: addresses[m.group(1)], text)


def rendezvous_port(template_spec: Mapping[str, Any]) -> int | None:
    for container in template_spec.get("containers", []):
        for port in container.get("ports") or []:
            if port.get("name") == RENDEZVOUS_PORT:
                return int(port["containerPort"])
    return None


def remap_port(argv: list[str], env: dict[str, str], container_port: int, local_port: int) -> list[str]:
    """`--master-port <containerPort>` (or `=`) in args and MASTER_PORT in env become the Job's local port."""
    out = list(argv)
    for i, arg in enumerate(out):
        if arg == PORT_FLAG and i + 1 < len(out) and out[i + 1] == str(container_port):
            out[i + 1] = str(local_port)
        elif arg == f"{PORT_FLAG}={container_port}":
            out[i] = f"{PORT_FLAG}={local_port}"
    if env.get(PORT_ENV) == str(container_port):
        env[PORT_ENV] = str(local_port)
    return out


def selects(service: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    """A headless Service whose selector matches the pod's labels (what gives the pod its DNS records)."""
    spec = service.get("spec") or {}
    selector = spec.get("selector") or {}
    return spec.get("clusterIP") == "None" and bool(selector) and selector.items() <= labels.items()
