"""Pure builders of the batch/v1 Jobs the operator creates (plain dicts, nothing sent anywhere).

`build_training_job` turns a TweetBot into the Job running `tweetbot-train run` (the cleanup Job is
deletion/cleanup_job.py's). The pods' parts are k8s/pods.py's (skeleton) and k8s/container_env.py's.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tweetbot_operator.k8s.container_env import (
    TOKEN_ENVS,
    base_env,
    base_model_env,
    credential_env,
    hub_env,
    push_token_env,
    s3_endpoint,
    source_env,
)
from tweetbot_operator.k8s.owned import base_labels, owner_reference
from tweetbot_operator.k8s.pods import (
    TERMINATION_LOG,
    container_resources,
    container_security,
    finish_pod,
    gpu_count,
    trainer_pod_spec,
    trainer_volume_mounts,
)
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.exit_codes import TRAINER_EXIT_GROUP_STOPPED, TRAINER_EXIT_INPUT_ERROR
from tweetbot_operator.spec.fields import DEFAULT_KEEP_RUNS, placement_hash, run_spec_hash
from tweetbot_operator.spec.naming import indexed_job_name, job_name, label_value, owner_arg, run_id
from tweetbot_operator.spec.validation import source_kind
from tweetbot_operator.training.incremental import incremental_flags
from tweetbot_operator.training.multinode import make_indexed, node_count, rendezvous_service
from tweetbot_operator.training.tracking import tracking_args, tracking_env

# The same defaults as the CRD schema, for objects the API server did not default.
TRAINING_DEFAULTS: dict[str, Any] = {
    "epochs": 4,
    "learningRate": 1.372e-4,
    "blockSize": 1024,
    "seed": 42,
    "precision": "auto",
}
SOURCE_FLAGS = {"xApi": "x-api", "archive": "archive", "mastodon": "mastodon", "bluesky": "bluesky", "file": "file"}


# What a failed trainer pod means to the Job controller.
POD_FAILURE_POLICY: dict[str, Any] = {
    "rules": [
        {  # the trainer's "your input is wrong" exit: retrying cannot help
            "action": "FailJob",
            "onExitCodes": {"containerName": c.TRAINER_CONTAINER, "operator": "In",
                            "values": [TRAINER_EXIT_INPUT_ERROR]},
        },
        {  # preemption, eviction, node drain: retry without counting against backoffLimit
            "action": "Ignore",
            "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}],
        },
    ]
}
# A multi-node Job's: the same, and the pods that stopped because another node's process did are not failures.
MULTINODE_POD_FAILURE_POLICY: dict[str, Any] = {
    "rules": [
        *POD_FAILURE_POLICY["rules"],
        {  # the rest of a group whose node was preempted: they stopped with it at its checkpoint
            "action": "Ignore",
            "onExitCodes": {"containerName": c.TRAINER_CONTAINER, "operator": "In",
                            "values": [TRAINER_EXIT_GROUP_STOPPED]},
        },
    ]
}


def uses_kueue(tb: Mapping[str, Any]) -> bool:
    return bool((tb["metadata"].get("labels") or {}).get(c.LABEL_KUEUE_QUEUE))


def build_training_job(tb: Mapping[str, Any], settings: Settings, slot: datetime | None = None,
                       rid: str | None = None, replaces: str | None = None) -> dict[str, Any]:
    """The Job for the TweetBot's current generation (and schedule slot, for cron runs). Expects a valid spec.
    `rid`: an existing run this Job continues (a placement edit), in place of the Job named `replaces`."""
    meta, spec = tb["metadata"], tb["spec"]
    name, generation = meta["name"], int(meta.get("generation") or 1)
    rid = rid or run_id(name, str(meta.get("uid") or ""), generation, slot)
    labels = base_labels(name, c.COMPONENT_TRAIN) | {
        c.LABEL_GENERATION: str(generation),
        c.LABEL_RUN_ID: label_value(rid),
    }
    if slot is not None:
        labels[c.LABEL_SLOT] = slot.strftime("%Y%m%d%H%M")
    job_labels = dict(labels)
    queue = (meta.get("labels") or {}).get(c.LABEL_KUEUE_QUEUE)
    if queue and not replaces and not spec.get("suspend"):
        # Kueue starts any admitted Job, so a Job continuing a run joins the queue only once the Job it replaces
        # is gone (never two Jobs of one run writing checkpoints at once), and a suspended TweetBot's Job only
        # when it resumes (training/kueue.py).
        job_labels[c.LABEL_KUEUE_QUEUE] = queue

    env = base_env() + credential_env(spec, settings) + source_env(spec) + hub_env(spec) + base_model_env(spec)
    env += tracking_env(spec, settings)
    container = {
        "name": c.TRAINER_CONTAINER,
        "image": spec.get("image") or settings.trainer_image,
        "imagePullPolicy": "IfNotPresent",
        "command": ["tweetbot-train"],
        "args": trainer_args(spec, rid, settings, ["--owner", owner_arg(meta), *_protected_run(tb),
                                                   *incremental_flags(tb, slot)]),
        "env": env,
        "resources": container_resources(spec, settings),
        "volumeMounts": trainer_volume_mounts(),
        "terminationMessagePath": TERMINATION_LOG,
        "terminationMessagePolicy": "FallbackToLogsOnError",
        "securityContext": container_security(),
    }
    pod_spec = trainer_pod_spec(spec, settings, container)
    if settings.model_cache_claim:  # base models downloaded once, not on every run
        pod_spec["volumes"] = [{"name": "cache", "persistentVolumeClaim": {"claimName": settings.model_cache_claim}}
                               if v["name"] == "cache" else v for v in pod_spec["volumes"]]
    pod_meta: dict[str, Any] = {"labels": labels, "annotations": {c.ANNOTATION_RUN_ID: rid}}
    finish_pod(spec, settings, pod_spec, container, pod_meta)
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": job_name(name, generation, slot),
            "namespace": meta.get("namespace"),
            "labels": job_labels,
            "annotations": {c.ANNOTATION_RUN_ID: rid, c.ANNOTATION_SPEC_HASH: run_spec_hash(spec),
                            c.ANNOTATION_PLACEMENT_HASH: placement_hash(spec),
                            **({c.ANNOTATION_REPLACES: replaces} if replaces else {})},
            "ownerReferences": [owner_reference(tb)],
        },
        "spec": {
            "completions": 1,
            "parallelism": 1,
            "backoffLimit": int(spec.get("backoffLimit", 2)),
            **_deadline(spec, settings),
            "ttlSecondsAfterFinished": int(spec.get("ttlSecondsAfterFinished", 86400)),
            # Kueue admits a queued Job by unsuspending it, so such a Job must start suspended; a replacing
            # one waits for the Job it replaces.
            "suspend": bool(spec.get("suspend", False)) or bool(queue) or bool(replaces),
            "podFailurePolicy": copy.deepcopy(POD_FAILURE_POLICY),  # builders hand out fresh dicts
            "template": {"metadata": pod_meta, "spec": pod_spec},
        },
    }
    nodes = node_count(spec)
    return job if nodes == 1 else make_indexed(job, name, indexed_job_name(name, generation, slot), nodes,
                                               MULTINODE_POD_FAILURE_POLICY)


def _deadline(spec: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """The spec's activeDeadlineSeconds, else the operator's default (TWEETBOT_TRAINING_DEADLINE_SECONDS), so
    that no run holds its GPUs forever (a stalled download, a hung collective)."""
    seconds = spec.get("activeDeadlineSeconds") or settings.training_deadline
    return {"activeDeadlineSeconds": int(seconds)} if seconds else {}


def build_rendezvous_service(tb: Mapping[str, Any]) -> dict[str, Any]:
    """The headless Service of a multi-node TweetBot's training pods (multinode.py), owned by the TweetBot."""
    return rendezvous_service(tb, base_labels(tb["metadata"]["name"], c.COMPONENT_NODES), owner_reference(tb))


def trainer_args(spec: Mapping[str, Any], rid: str, settings: Settings,
                 run_flags: list[str] | None = None) -> list[str]:
    """`tweetbot-train run ...` arguments (docs/design.md), after the `tweetbot-train` command."""
    args = ["run"]
    for user in spec["users"]:
        args += ["--user", str(user)]
    kind = source_kind(spec) or "archive"
    source = spec["source"][kind]
    args += ["--source", SOURCE_FLAGS[kind]]
    if kind in ("archive", "file"):
        args += ["--source-uri", str(source["uri"])]
    if source.get("url"):
        args += ["--source-url", str(source["url"])]
    if kind in TOKEN_ENVS and (kind == "xApi" or source.get("tokenSecret")):
        args += ["--token-env", TOKEN_ENVS[kind]]

    training = {**TRAINING_DEFAULTS, **(spec.get("training") or {})}
    args += ["--base-model", str(spec.get("baseModel") or "gpt2")]
    args += ["--output", str(spec["output"]["s3"]), "--run-id", rid]
    args += ["--epochs", str(training["epochs"]), "--learning-rate", repr(float(training["learningRate"]))]
    args += ["--block-size", str(training["blockSize"]), "--seed", str(training["seed"])]
    for key, flag in (("batchSize", "--batch-size"), ("globalBatchSize", "--global-batch-size"),
                      ("checkpointEvery", "--checkpoint-every"), ("checkpointMinutes", "--checkpoint-minutes"),
                      ("maxSteps", "--max-steps")):
        if training.get(key) is not None:
            args += [flag, str(training[key])]
    args += ["--precision", str(training["precision"])]
    args += lora_args(training.get("lora") or {}, spec["output"].get("merge", True))
    if training.get("gradientCheckpointing"):
        args += ["--gradient-checkpointing", str(training["gradientCheckpointing"])]
    endpoint = s3_endpoint(spec, settings)
    if endpoint:
        args += ["--s3-endpoint", endpoint]
    args += ["--keep-runs", str(int(spec["output"].get("keepRuns", DEFAULT_KEEP_RUNS)))]
    hub = spec["output"].get("hub")
    if hub:
        args += ["--hub-repo", str(hub["repo"]), "--hub-token-env", push_token_env(spec)]
    gpus = gpu_count(spec, settings)
    if gpus > 1:  # one training process per GPU, started by the trainer's own launcher
        args += ["--nproc-per-node", str(gpus)]
    args += tracking_args(spec, settings)
    # In a pod a local path may be a mounted Secret or /proc/self/environ: sources come from s3:// or https://.
    # run_flags: whose run, what to keep.
    args += ["--no-local-sources", *(run_flags or []), "--termination-log", TERMINATION_LOG]
    return args


def _protected_run(tb: Mapping[str, Any]) -> list[str]:
    """The run status.modelURI points at when this Job starts: keepRuns never prunes it, even before the
    operator has moved modelURI to this run."""
    last = ((tb.get("status") or {}).get("lastSuccessfulRun") or {}).get("runId")
    return ["--protect-run", str(last)] if last else []


def lora_args(lora: Mapping[str, Any], merge: bool) -> list[str]:
    """spec.training.lora and spec.output.merge as trainer flags; nothing for a full fine-tune."""
    if not lora.get("rank"):
        return []
    args = ["--lora-rank", str(lora["rank"])]
    if lora.get("alpha"):
        args += ["--lora-alpha", str(lora["alpha"])]
    if lora.get("dropout") is not None:
        args += ["--lora-dropout", repr(float(lora["dropout"]))]
    if lora.get("targetModules"):
        args += ["--lora-target-modules", ",".join(str(m) for m in lora["targetModules"])]
    return args + ([] if merge else ["--no-merge"])
