"""The Job controller's and the kubelet's rules the local kubelet follows, as pure functions: when a Job is
finished, which podFailurePolicy rule a failure matches, the Job status it writes, in-container paths mapped to
local folders."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.support.k8s_values import now_rfc3339


def job_finished(status: dict[str, Any]) -> bool:
    return any(c.get("type") in {"Complete", "Failed"} and c.get("status") == "True"
               for c in status.get("conditions") or [])


def age_seconds(rfc3339: str) -> float:
    started = datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (datetime.now(UTC) - started).total_seconds()


def map_path(value: str, mounts: dict[str, Path]) -> str:
    for mount_path, local in mounts.items():
        if value == mount_path or value.startswith(mount_path.rstrip("/") + "/"):
            return str(local) + value[len(mount_path.rstrip("/")):]
    return value


def tail(path: Path, lines: int, max_bytes: int) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])[-max_bytes:]


def matching_fail_rule(spec: dict[str, Any], exit_codes: list[int]) -> int | None:
    """Index of the first podFailurePolicy FailJob rule that one of the failed pods' exit codes matches."""
    rules = (spec.get("podFailurePolicy") or {}).get("rules", [])
    for index, rule in enumerate(rules):
        on_codes = rule.get("onExitCodes")
        if rule.get("action") != "FailJob" or not on_codes:
            continue
        values = set(on_codes.get("values", []))
        for code in exit_codes:
            if (on_codes.get("operator") == "In") == (code in values) and code != 0:
                return index
    return None


def job_status(
    current: dict[str, Any],
    *,
    active: int,
    succeeded: int = 0,
    failed: int | None = None,
    start: str | None = None,
    completion: bool = False,
    condition: tuple[str, str, str, str] | None = None,
    extra_conditions: list[tuple[str, str, str, str]] | None = None,
    drop_condition: str | None = None,
) -> dict[str, Any]:
    conditions = [c for c in current.get("conditions") or [] if c.get("type") != drop_condition]
    for ctype, cstatus, reason, message in [*(extra_conditions or []), *([condition] if condition else [])]:
        if any(c.get("type") == ctype and c.get("status") == cstatus and c.get("reason") == reason
               for c in conditions):
            continue  # unchanged: keep its timestamps
        conditions = [c for c in conditions if c.get("type") != ctype]
        conditions.append({"type": ctype, "status": cstatus, "reason": reason, "message": message,
                           "lastProbeTime": now_rfc3339(), "lastTransitionTime": now_rfc3339()})
    status: dict[str, Any] = {"active": active, "conditions": conditions}
    if succeeded:
        status["succeeded"] = succeeded
    if failed is not None:
        status["failed"] = failed
    if start or current.get("startTime"):
        status["startTime"] = start or current.get("startTime")
    if completion:
        status["completionTime"] = now_rfc3339()
    return status
