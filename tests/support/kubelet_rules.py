"""The Job controller's and the kubelet's rules the local kubelet follows, as pure functions: when a Job is
finished, which podFailurePolicy rule a failure matches, the Job status it writes, in-container paths mapped to
local folders."""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.support.k8s_values import now_rfc3339

# Folders of this machine the pod's processes are handed as they are (the local kubelet runs them on the host, as
# a hostPath would): the checkout, which may itself be under /tmp (git clone ... /tmp/x).
HOST_ROOTS: list[Path] = [Path(__file__).resolve().parents[2]]


def job_finished(status: dict[str, Any]) -> bool:
    return any(c.get("type") in {"Complete", "Failed"} and c.get("status") == "True"
               for c in status.get("conditions") or [])


def age_seconds(rfc3339: str) -> float:
    started = datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (datetime.now(UTC) - started).total_seconds()


def on_host(value: str) -> bool:
    """`value` is a path inside one of HOST_ROOTS (then no mount path of the pod's view applies to it)."""
    path = Path(value)
    return path.is_absolute() and any(path == root or root in path.parents for root in HOST_ROOTS)


def map_path(value: str, mounts: dict[str, Path]) -> str:
    """A path of the pod's view (exactly a mount path, or below it) -> the pod's local folder for that volume;
    a host path of the checkout stays as it is even where it starts with a mount path (/tmp)."""
    if on_host(value):
        return value
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


def pod_mounts(container: dict[str, Any], pod_dir: Path) -> dict[str, Path]:
    """The container's mount paths -> this pod's local folder for each volume."""
    return {m["mountPath"]: pod_dir / "volumes" / m["name"] for m in container.get("volumeMounts", [])}


def container_argv(container: dict[str, Any], pod_dir: Path, run: Any) -> list[str]:
    """The container's command line with its in-container paths mapped to this pod's local folders."""
    mounts = pod_mounts(container, pod_dir)
    termination = container.get("terminationMessagePath", "/dev/termination-log")
    argv = [str(run.termination_path) if arg == termination else map_path(str(arg), mounts)
            for arg in [*container.get("command", []), *container.get("args", [])]]
    if not argv:
        raise ValueError("container has neither command nor args")
    found = shutil.which(argv[0], path=str(Path(sys.executable).parent)) or shutil.which(argv[0])
    if found:
        argv[0] = found
    return argv


def exit_code(run: Any) -> int:
    """A pod's container exit code as container runtimes report it (a signal -> 128 + signum)."""
    if run.process is None:
        return 1
    code = run.process.poll()
    if code is None:
        return 0 if not run.finished else 1
    return 128 - code if code < 0 else code


# kubernetes pkg/controller/job/job_controller.go: DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff.
POD_FAILURE_BACKOFF = 10.0
MAX_POD_FAILURE_BACKOFF = 600.0
BACKOFF_SCALE_ENV = "TWEETBOT_TESTBED_BACKOFF_SCALE"  # e.g. 1 for the real delays; tests default to 0.01


def pod_failure_backoff(failures: int) -> float:
    """backoff_utils.go getRemainingTimeForFailuresCount: 10 s after the first failure, doubling, at most 10 min."""
    if failures <= 0:
        return 0.0
    delay = POD_FAILURE_BACKOFF
    for _ in range(1, failures):
        delay *= 2
        if delay >= MAX_POD_FAILURE_BACKOFF:
            return MAX_POD_FAILURE_BACKOFF
    return delay


def remaining_backoff(runs: list[Any], now: float, scale: float) -> float:
    """Seconds before the Job controller creates a replacement pod (backoff_utils.go newBackoffRecord and
    getRemainingTime): every failed pod that finished after the last succeeded one counts -- also those a
    podFailurePolicy Ignore rule does not count towards backoffLimit (job_controller.go passes all new failed pods
    to newBackoffRecord; only jobCtx.failed uses nonIgnoredFailedPodsCount) -- from the last failure's end.
    Pods the controller stopped itself (suspension) are not failures. `runs` have `ended` (monotonic) once done."""
    ended = [r for r in runs if r.finished and getattr(r, "ended", None) is not None and not r.stopped]
    last_success = max((r.ended for r in ended if exit_code(r) == 0), default=None)
    failed = sorted(r.ended for r in ended if exit_code(r) != 0 and (last_success is None or r.ended > last_success))
    if not failed:
        return 0.0
    return max(0.0, pod_failure_backoff(len(failed)) * scale - (now - failed[-1]))
