"""status.quality from the trainer's termination message, and spec.quality.minimum: the gate before serving.

Pure. A run below the minimum ends Succeeded but is not promoted: modelURI, lastSuccessfulRun and serving keep
the previous model, and a QualityGate condition (False) says which number failed and by how much. Lowering the
bar is an in-place edit (spec/fields.py): the next reconcile re-reads the run's termination message and promotes
it, while the run's Job and pods are still there (ttlSecondsAfterFinished).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeGuard

GATE = "QualityGate"
HELD = "QualityGateHeld"
# The termination message's `quality` keys the status schema holds (the API server prunes others).
NUMBERS = ("fitRatio", "styleMatch", "styleMatchBase", "styleMatchPerson", "memorized", "variety", "duplicates")
WHOLE = ("longestCopiedWords",)


def quality_status(result: Mapping[str, Any] | None, run_id: str | None) -> dict[str, Any] | None:
    """status.quality: the run's finite numbers, its run id and a short `summary` (the Quality printer column)."""
    quality = (result or {}).get("quality")
    if not isinstance(quality, Mapping):
        return None
    out: dict[str, Any] = {}
    for key in NUMBERS:
        value = quality.get(key)
        if _number(value):
            out[key] = round(float(value), 4)
    for key in WHOLE:
        value = quality.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            out[key] = value
    if not out:
        return None
    if run_id:
        out["runId"] = run_id
    out["summary"] = summary(out)
    return out


def summary(quality: Mapping[str, Any]) -> str:
    """e.g. "style 71% (base 20%), copied 3%"."""
    parts = []
    if "styleMatch" in quality:
        base = f" (base {_pct(quality['styleMatchBase'])})" if "styleMatchBase" in quality else ""
        parts.append(f"style {_pct(quality['styleMatch'])}{base}")
    if "memorized" in quality:
        parts.append(f"copied {_pct(quality['memorized'])}")
    return ", ".join(parts) or "measured"


def minimum(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    quality = spec.get("quality")
    found = quality.get("minimum") if isinstance(quality, Mapping) else None
    return found if isinstance(found, Mapping) else {}


def gate_failures(spec: Mapping[str, Any], quality: Mapping[str, Any] | None) -> list[str]:
    """What keeps the run from serving: each failed number, its value, the bar and by how much; [] to promote."""
    bar, quality = minimum(spec), quality or {}
    failures = []
    if _number(bar.get("styleMatch")):
        style = quality.get("styleMatch")
        if not _number(style):
            failures.append("styleMatch was not measured (too few held-out posts?)")
        elif style < bar["styleMatch"]:
            failures.append(f"styleMatch {_pct(style)} is below the minimum {_pct(bar['styleMatch'])} "
                            f"by {_points(bar['styleMatch'] - style)}")
    if _number(bar.get("maxMemorized")):
        memorized = quality.get("memorized")
        if not _number(memorized):
            failures.append("memorized was not measured")
        elif memorized > bar["maxMemorized"]:
            failures.append(f"memorized {_pct(memorized)} is above maxMemorized {_pct(bar['maxMemorized'])} "
                            f"by {_points(memorized - bar['maxMemorized'])}")
    return failures


def judge(spec: Mapping[str, Any], result: Mapping[str, Any] | None, run_id: str | None,
          old: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """(status.quality, the gate's failures) for `result`, the succeeded run's termination message; without one
    (a run in progress or failed) the last status.quality and no judgement."""
    if not result:
        kept = old.get("quality")
        return (dict(kept) if isinstance(kept, Mapping) else None), []
    quality = quality_status(result, run_id)
    return quality, gate_failures(spec, quality) if result.get("modelURI") else []


def gate_condition(spec: Mapping[str, Any], quality: Mapping[str, Any] | None, failures: list[str], *,
                   generation: int, now_stamp: str, old: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The QualityGate condition while spec.quality.minimum is set and a run was judged; else None."""
    if not minimum(spec) or quality is None:
        return None
    held = bool(failures)
    status = "False" if held else "True"
    run = f"run {quality['runId']}: " if quality.get("runId") else ""
    message = (f"{run}not promoted: " + "; ".join(failures) + " (the previous model keeps serving; lower "
               "spec.quality.minimum to promote it)") if held else f"{run}passed ({quality.get('summary', '')})"
    old = old or {}
    return {"type": GATE, "status": status, "reason": HELD if held else "QualityGatePassed", "message": message,
            "observedGeneration": generation,
            "lastTransitionTime": old.get("lastTransitionTime") if old.get("status") == status
            and old.get("lastTransitionTime") else now_stamp}


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _points(value: float) -> str:
    return f"{100 * value:.1f} points"
