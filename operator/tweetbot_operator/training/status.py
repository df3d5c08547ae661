"""Pure derivation of a TweetBot's status from (TweetBot, its current Job, that Job's pods).

No I/O: the reconciler fetches, this module decides. Conditions follow metav1.Condition; a condition's
lastTransitionTime changes only when its status does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from tweetbot_operator.k8s.events import Event, timestamp
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.exit_codes import TRAINER_EXIT_GROUP_STOPPED
from tweetbot_operator.training.incremental import data_status
from tweetbot_operator.training.multinode import attempt_limit, completion_index, failed_attempts, job_nodes
from tweetbot_operator.training.quality_gate import GATE, HELD, gate_condition, judge
from tweetbot_operator.training.tracking import tracking_condition, tracking_events, tracking_status
from tweetbot_operator.training.trainer_output import parse_termination_message, published_fields, stats_fields

PHASES = ("Pending", "Running", "Succeeded", "Failed", "Suspended")
CONDITION_TYPES = ("Ready", "Running", "Succeeded", "Failed", "Suspended")
# Reasons a user must act on: each gets a Warning event when it appears.
ACTIONABLE = frozenset({"InvalidSpec", "MissingSecret", "ContainerConfigError", "ImagePullError", "Unschedulable",
                        "PodCreationFailed", "ServiceConflict", "NotPermitted", HELD})
# Between attempts: one failed and the Job runs another.
RETRYING = "Retrying"
# Job failure reasons that are about the Job itself, not about how its last pod ended.
JOB_LEVEL_FAILURES = frozenset({"DeadlineExceeded"})
IMAGE_ERRORS = frozenset({"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"})
_REASON_OK = re.compile(r"[^A-Za-z0-9_,:]")


@dataclass(frozen=True)
class Observation:
    phase: str
    reason: str
    message: str
    result: dict[str, Any] | None = None  # the trainer's termination message, when there is one
    promoted: bool = True  # False: succeeded, but held by the quality gate (its model does not serve)


def observe(tb: Mapping[str, Any], job: Mapping[str, Any] | None, pods: Sequence[Mapping[str, Any]],
            creation_failure: str | None = None) -> Observation:
    """What the run is doing, from the Job's conditions first and its pods second; `creation_failure` is the
    Job controller's FailedCreate message when it cannot create the trainer pod."""
    if job is None:
        return Observation("Pending", "Creating", "creating the training Job")
    jstatus = job.get("status") or {}
    true_conditions = {
        cond.get("type"): cond for cond in jstatus.get("conditions") or [] if cond.get("status") == "True"
    }
    result = termination_result(pods)
    nodes = job_nodes(job)

    done = true_conditions.get("Complete") or true_conditions.get("SuccessCriteriaMet")
    if done is not None and result is not None and result.get("status") == "skipped":  # the old model stays
        return Observation("Succeeded", "Skipped", str(result.get("message") or "skipped: too few new posts"),
                           result)
    if done is not None:
        model = (result or {}).get("modelURI")
        return Observation("Succeeded", "TrainingSucceeded",
                           f"model written to {model}" if model else "the training Job completed", result)
    failed = true_conditions.get("Failed") or true_conditions.get("FailureTarget")
    if failed is not None:
        why = None if failed.get("reason") in JOB_LEVEL_FAILURES else pod_failure(pods, nodes)
        if why is None:  # a deadline stops a healthy trainer too: its own message would blame SIGTERM
            why = str(failed.get("reason") or "JobFailed"), str(failed.get("message") or "the training Job failed")
        return Observation("Failed", clean_reason(why[0]), why[1], result)

    if (job.get("spec") or {}).get("suspend"):
        if (tb.get("spec") or {}).get("suspend"):
            return Observation("Suspended", "Suspended", "the run is suspended (spec.suspend: true)")
        replaces = ((job.get("metadata") or {}).get("annotations") or {}).get(c.ANNOTATION_REPLACES)
        if replaces:
            return Observation("Pending", "WaitingForPreviousJob",
                               f"the run continues from its last checkpoint once Job {replaces} has stopped")
        return Observation("Pending", "Queued", "the Job waits to be admitted by its queue")

    failures = failed_attempts(job)
    last_failure = (pod_failure(pods, nodes) or ("TrainerFailed", "no termination message")) if failures else None
    attempt = ""
    if last_failure:  # the next attempt may already run when the operator first hears of the failure
        attempt = (f" (attempt {failures + 1} of {attempt_limit(job)}; "
                   f"the last one failed: {': '.join(last_failure)})")
    live = [p for p in sorted(pods, key=_created, reverse=True)
            if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    for problem in map(pod_problem, live):  # any node's: the group trains only when every pod runs
        if problem is not None:
            return problem
    if any(map(_trainer_running, live)) or jstatus.get("ready"):
        where = f" on {nodes} nodes" if nodes > 1 else ""
        return Observation("Running", "Training", f"the trainer is running{where}{attempt}")
    if creation_failure:
        return Observation("Pending", "PodCreationFailed", f"the Job cannot create its pod: {creation_failure}")
    if last_failure:
        return Observation("Pending", RETRYING, f"attempt {failures} of {attempt_limit(job)} failed "
                           f"({': '.join(last_failure)}); the Job retries it")
    return Observation("Pending", "Starting", "waiting for the trainer pod to start")


def pod_failure(pods: Sequence[Mapping[str, Any]], nodes: int = 1) -> tuple[str, str] | None:
    """(reason, message) of the newest trainer that ended in failure: its own termination message, else what
    the kubelet says (OOMKilled, an exit code); None when no trainer has failed. With several nodes: the node
    whose own process failed (not those that stopped with it, exit 75), each node's newest pod, and the message
    names the pod and its node rank."""
    failed = [(pod, ended) for pod, ended in _trainer_endings(pods) if ended.get("exitCode") != 0]
    if nodes > 1:
        latest: dict[int | None, tuple[Mapping[str, Any], Mapping[str, Any]]] = {}
        for pod, ended in failed:  # newest first
            latest.setdefault(completion_index(pod), (pod, ended))
        failed = sorted(latest.values(), key=lambda pe: pe[1].get("exitCode") == TRAINER_EXIT_GROUP_STOPPED)  # stable
    for pod, ended in failed[:1]:
        result = parse_termination_message(ended.get("message"))
        if result is not None and result.get("status") == "failed":
            why = str(result.get("reason") or "TrainerFailed"), str(result.get("message") or "the trainer failed")
        else:
            why = _kubelet_failure(pod, ended)
        if nodes == 1:
            return why
        name = (pod.get("metadata") or {}).get("name")
        return why[0], (f"pod {name} (node rank {completion_index(pod)} of {nodes}) failed: exit code "
                        f"{ended.get('exitCode')}: {why[0]}: {why[1]}")
    return None


def _trainer_endings(pods: Sequence[Mapping[str, Any]]) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """(pod, its trainer's `terminated` state) for each pod whose trainer has ended, newest pod first."""
    for pod in sorted(pods, key=_created, reverse=True):
        for cs in (pod.get("status") or {}).get("containerStatuses") or []:
            ended = (cs.get("state") or {}).get("terminated")
            if cs.get("name") == c.TRAINER_CONTAINER and ended:
                yield pod, ended


def _kubelet_failure(pod: Mapping[str, Any], ended: Mapping[str, Any]) -> tuple[str, str]:
    """A trainer that died without writing its termination message (killed, crashed before it could)."""
    if ended.get("reason") == "OOMKilled":
        limit = next((str(((ct.get("resources") or {}).get("limits") or {}).get("memory") or "")
                      for ct in (pod.get("spec") or {}).get("containers") or []
                      if ct.get("name") == c.TRAINER_CONTAINER), "")
        return "OOMKilled", (f"the trainer ran out of memory{f' (limit {limit})' if limit else ''}: "
                             "raise spec.resources.memory or lower spec.training.batchSize")
    code, why = ended.get("exitCode"), ended.get("reason")
    return clean_reason(str(why or "TrainerExited")), f"the trainer exited with code {code}" + (
        f" ({why})" if why else "")


def pod_problem(pod: Mapping[str, Any]) -> Observation | None:
    """A pod stuck on something a user must fix: a missing Secret, a bad image, no node to run on."""
    pstatus = pod.get("status") or {}
    for cs in pstatus.get("containerStatuses") or []:
        waiting = (cs.get("state") or {}).get("waiting") or {}
        reason, message = waiting.get("reason"), str(waiting.get("message") or "")
        if reason == "CreateContainerConfigError":
            if "secret" in message.lower():
                return Observation("Pending", "MissingSecret", f"missing Secret: {message}")
            return Observation("Pending", "ContainerConfigError", message or reason)
        if reason in IMAGE_ERRORS:
            return Observation("Pending", "ImagePullError", f"cannot pull the trainer image: {message or reason}")
    for cond in pstatus.get("conditions") or []:
        unschedulable = cond.get("status") == "False" and cond.get("reason") == "Unschedulable"
        if cond.get("type") == "PodScheduled" and unschedulable:
            return Observation("Pending", "Unschedulable", str(cond.get("message") or "no node fits the trainer pod"))
    return None


def termination_result(pods: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The newest trainer termination message among the pods (a retry's pod supersedes an earlier one); of a
    multi-node run, rank 0's (the others are stopped once it succeeds, and publish nothing)."""
    for pod, ended in _trainer_endings(pods):
        if completion_index(pod) not in (None, 0):
            continue
        result = parse_termination_message(ended.get("message"))
        if result is not None:
            return result
    return None


def derive_status(
    tb: Mapping[str, Any],
    job: Mapping[str, Any] | None,
    pods: Sequence[Mapping[str, Any]],
    now: datetime,
    progress: Mapping[str, Any] | None = None,
    *,
    creation_failure: str | None = None,
) -> dict[str, Any]:
    """The whole status for a valid TweetBot. `progress` is freshly read from the trainer's log, if it was;
    `creation_failure` is why the Job cannot create its pod, if it was looked for."""
    old = tb.get("status") or {}
    obs = observe(tb, job, pods, creation_failure)
    status: dict[str, Any] = {"phase": obs.phase, "observedGeneration": _generation(tb)}
    if old.get("lastScheduleTime"):
        status["lastScheduleTime"] = old["lastScheduleTime"]
    if job is not None:
        jmeta, jstatus = job.get("metadata") or {}, job.get("status") or {}
        status["jobName"] = jmeta.get("name")
        status["runId"] = (jmeta.get("annotations") or {}).get(c.ANNOTATION_RUN_ID) or jmeta.get("name")
        slot = (jmeta.get("labels") or {}).get(c.LABEL_SLOT)
        if slot:
            status["lastScheduleTime"] = timestamp(datetime.strptime(slot, "%Y%m%d%H%M").replace(tzinfo=UTC))
        if jstatus.get("startTime"):
            status["startTime"] = jstatus["startTime"]
        if jstatus.get("failed"):
            status["failedAttempts"] = failed_attempts(job)
        if obs.phase in ("Succeeded", "Failed"):
            earlier = old.get("completionTime") if old.get("jobName") == jmeta.get("name") else None
            status["completionTime"] = (
                jstatus.get("completionTime") or _condition_time(jstatus) or earlier or timestamp(now)
            )
    result = obs.result if obs.phase == "Succeeded" else None
    quality, failures = judge(tb.get("spec") or {}, result, status.get("runId"), old)
    if failures:  # succeeded, but the previous model keeps serving (training/quality_gate.py)
        obs = replace(obs, reason=HELD, message=f"{obs.message}, held by the quality gate", promoted=False)
    status |= model_fields(old, None if failures else result, status)
    if quality:
        status["quality"] = quality
    status |= tracking_status(old, obs.result if obs.phase == "Succeeded" else None)
    data = data_status(obs.result if obs.phase == "Succeeded" else None, old.get("data"), now)
    if data:
        status["data"] = data
    if job is not None:
        status["latestRun"] = {key: status[key] for key in ("runId", "jobName", "startTime", "completionTime")
                               if status.get(key)} | {"phase": "Skipped" if obs.reason == "Skipped" else obs.phase}

    same_run = job is not None and old.get("jobName") == status.get("jobName")
    if obs.phase == "Running":
        kept = old.get("progress") if same_run and old.get("phase") == "Running" else None
        if progress or kept:
            status["progress"] = dict(progress or kept or {})
    elif obs.phase == "Succeeded":
        last = old.get("progress") if same_run else None
        status["progress"] = {**(last or {}), "percent": 100.0, "etaSeconds": 0.0}
        if "totalSteps" in status["progress"]:  # the last log line read may predate the last step
            status["progress"]["step"] = status["progress"]["totalSteps"]

    status["conditions"] = build_conditions(obs, _generation(tb), now, old.get("conditions") or [],
                                            serving=_serving(status))
    old_gate = next((cnd for cnd in old.get("conditions") or [] if cnd.get("type") == GATE), None)
    gate = gate_condition(tb.get("spec") or {}, quality, failures, generation=_generation(tb),
                          now_stamp=timestamp(now), old=old_gate) \
        if result else old_gate
    status["conditions"] += [gate] if gate else []
    status["conditions"] += tracking_condition(status, old, _generation(tb), now)
    return status


# What status says about the model of the last successful run: kept until a newer run succeeds.
MODEL_FIELDS = ("modelURI", "evalLossBefore", "evalLoss", "perplexity", "stats", "keptPosts", "lastSuccessfulRun")


def model_fields(old: Mapping[str, Any], result: Mapping[str, Any] | None,
                 status: Mapping[str, Any]) -> dict[str, Any]:
    """The model fields: from `result` (the trainer's success message for the run in `status`), else as they
    were (a run in progress, a failed one, an invalid spec leave the last good model in place)."""
    if not result or not result.get("modelURI"):
        return {key: old[key] for key in MODEL_FIELDS if key in old}
    fields: dict[str, Any] = {key: result[key] for key in ("modelURI", "evalLossBefore", "evalLoss", "perplexity")
                              if result.get(key) is not None}
    fields.update(stats_fields(result.get("stats")))
    fields["lastSuccessfulRun"] = {key: value for key, value in (
        ("runId", status.get("runId")), ("modelURI", result["modelURI"]),
        ("completionTime", status.get("completionTime")), ("generation", status.get("observedGeneration"))) if value}
    fields["lastSuccessfulRun"].update(published_fields(result))
    return fields


def _serving(status: Mapping[str, Any]) -> str | None:
    """The model that is there to use, as a phrase for Ready's message; None without one."""
    last = status.get("lastSuccessfulRun") or {}
    uri = status.get("modelURI")
    if not uri:
        return None
    return f"the model of run {last['runId']} ({uri})" if last.get("runId") else f"the model {uri}"


def invalid_status(tb: Mapping[str, Any], errors: Sequence[str], now: datetime) -> dict[str, Any]:
    """Failed with an InvalidSpec condition: nothing runs until the spec is fixed (a new generation)."""
    return held_status(tb, Observation("Failed", "InvalidSpec", "invalid spec: " + "; ".join(errors)), now)


def held_status(tb: Mapping[str, Any], obs: Observation, now: datetime) -> dict[str, Any]:
    """`obs` for a run that cannot start (an invalid spec, a name taken by an object not ours); the latest run's
    name and the last good model stay."""
    old = tb.get("status") or {}
    status: dict[str, Any] = {"phase": obs.phase, "observedGeneration": _generation(tb)}
    for key in ("jobName", "runId", "lastScheduleTime", "latestRun", "serving", "tracking", "data", *MODEL_FIELDS):
        if old.get(key):  # (serving: which serving objects exist, for their cleanup later)
            status[key] = old[key]
    conditions = build_conditions(obs, _generation(tb), now, old.get("conditions") or [], serving=_serving(status))
    kept = [cnd for cnd in old.get("conditions") or [] if cnd.get("type") not in CONDITION_TYPES]  # KServe's
    status["conditions"] = conditions + kept
    return status


def build_conditions(
    obs: Observation, generation: int, now: datetime, old: Sequence[Mapping[str, Any]], serving: str | None = None
) -> list[dict[str, Any]]:
    """`serving`: the last successful run's model, which keeps Ready True while a newer run trains or failed."""
    previous = {cond.get("type"): cond for cond in old}
    truth = {
        "Ready": (obs.phase == "Succeeded" and obs.promoted) or serving is not None,  # a model is there to use
        "Running": obs.phase == "Running",
        "Succeeded": obs.phase == "Succeeded",
        "Failed": obs.phase == "Failed",
        "Suspended": obs.phase == "Suspended",
    }
    conditions = []
    for ctype in CONDITION_TYPES:
        value = "True" if truth[ctype] else "False"
        before = previous.get(ctype) or {}
        # Ready carries the full story either way; the others explain only themselves when True.
        message = obs.message if truth[ctype] or ctype == "Ready" else ""
        if ctype == "Ready" and serving and (obs.phase != "Succeeded" or not obs.promoted or obs.reason == "Skipped"):
            message = f"{message}; serving {serving}"
        conditions.append({
            "type": ctype,
            "status": value,
            "reason": clean_reason(obs.reason),
            "message": message,
            "observedGeneration": generation,
            "lastTransitionTime": before.get("lastTransitionTime") if before.get("status") == value
            and before.get("lastTransitionTime") else timestamp(now),
        })
    return conditions


def ready_condition(status: Mapping[str, Any]) -> Mapping[str, Any]:
    for cond in status.get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond
    return {}


def transition_events(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Event]:
    """An event when the phase or its reason changes (Warning for failures and things a user must fix), and a
    Warning for each attempt that failed while the Job retries (the next attempt may already be running)."""
    old_ready, new_ready = ready_condition(old), ready_condition(new)
    reason = str(new_ready.get("reason") or new.get("phase") or "Unknown")
    message = str(new_ready.get("message") or f"phase {new.get('phase')}")
    run = str(new.get("runId") or "")
    if run and run not in message:
        message = f"run {run}: {message}"
    events = []
    failed_before = int(old.get("failedAttempts") or 0) if old.get("jobName") == new.get("jobName") else 0
    if int(new.get("failedAttempts") or 0) > failed_before and new.get("phase") in ("Pending", "Running"):
        events.append(Event("Warning", "AttemptFailed", message[:1024]))
    changed = (old.get("phase"), old_ready.get("reason")) != (new.get("phase"), new_ready.get("reason"))
    if changed and not (events and reason == RETRYING):  # AttemptFailed already told it
        warning = new.get("phase") == "Failed" or reason in ACTIONABLE
        events.append(Event("Warning" if warning else "Normal", reason, message[:1024]))
    return events + tracking_events(old, new)


def status_patch(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any] | None:
    """A JSON merge patch turning `old` into `new` (None for removed keys), or None when nothing changed."""
    if dict(old) == dict(new):
        return None
    patch: dict[str, Any] = {key: None for key in old if key not in new}
    patch.update({key: value for key, value in new.items() if old.get(key) != value})
    return patch


def clean_reason(reason: str) -> str:
    cleaned = _REASON_OK.sub("", reason)
    if not cleaned or not cleaned[0].isalpha():
        cleaned = "R" + cleaned
    return cleaned.rstrip(",:")[:1024] or "Unknown"


def _generation(tb: Mapping[str, Any]) -> int:
    return int((tb.get("metadata") or {}).get("generation") or 1)


def _created(obj: Mapping[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("creationTimestamp") or "")


def _trainer_running(pod: Mapping[str, Any]) -> bool:
    for cs in (pod.get("status") or {}).get("containerStatuses") or []:
        if cs.get("name") == c.TRAINER_CONTAINER and (cs.get("state") or {}).get("running") is not None:
            return True
    return False


def _condition_time(jstatus: Mapping[str, Any]) -> str | None:
    for cond in jstatus.get("conditions") or []:
        final = cond.get("type") in ("Failed", "Complete", "FailureTarget", "SuccessCriteriaMet")
        if final and cond.get("status") == "True":
            return cond.get("lastTransitionTime")
    return None
