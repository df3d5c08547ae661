"""Pure builders of the batch/v1 Jobs the operator creates (plain dicts, nothing sent anywhere).

`build_training_job` turns a TweetBot into the Job running `tweetbot-train run`; `build_cleanup_job` into the
Job running `tweetbot-train delete --owner ...` (deletionPolicy: Delete; this TweetBot's runs only). The pods'
parts (env, resources, volumes, security) are in trainer_pod.py.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tweetbot_operator.k8s.pod_template import apply_ca_bundle, apply_to_metadata, apply_to_pod, effective_template
from tweetbot_operator.k8s.pods import (
    TOKEN_ENVS,
    base_env,
    base_model_env,
    container_resources,
    container_security,
    credential_env,
    gpu_count,
    hub_env,
    push_token_env,
    s3_endpoint,
    source_env,
    trainer_pod_spec,
    trainer_volume_mounts,
)
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.naming import cleanup_job_name, indexed_job_name, job_name, label_value, run_id
from tweetbot_operator.spec.validation import source_kind
from tweetbot_operator.training.multinode import make_indexed, node_count, rendezvous_service

# The same defaults as the CRD schema, for objects the API server did not default.
TRAINING_DEFAULTS: dict[str, Any] = {
    "epochs": 4,
    "learningRate": 1.372e-4,
    "blockSize": 1024,
    "seed": 42,
    "precision": "auto",
}
SOURCE_FLAGS = {"xApi": "x-api", "archive": "archive", "mastodon": "mastodon", "bluesky": "bluesky", "file": "file"}
# With spec.baseModelTokenSecret, HF_TOKEN holds that (read) token for downloads, and the push token moves here.
TERMINATION_LOG = "/dev/termination-log"
TRAINER_EXIT_INPUT_ERROR = 2  # docs/design.md: a retry cannot fix it
# docs/design.md (the trainer's exit codes, multi-node): EX_TEMPFAIL, "this process stopped, checkpointed, because
# another process of the group was asked to stop (SIGTERM: preemption, a drain): resume". Not a failure. A process
# that lost a peer exits 1 like any failure: an ignored exit there could retry a broken group forever.
TRAINER_EXIT_GROUP_STOPPED = 75
# The spec in three kinds (the CRD's descriptions say which field is which):
# - model fields: an edit starts a new run (a new run id, trained from step 0);
MODEL_FIELDS = ("users", "source", "baseModel", "training", "output")
MODEL_FIELDS_IGNORED = {"output": ("keepRuns",)}  # read when a run succeeds: changes no model
# - in-place fields: the current Job is kept (suspended/resumed in place, or read by the operator only);
NON_RUN_FIELDS = frozenset({"suspend", "schedule", "deletionPolicy", "ttlSecondsAfterFinished", "serving"})
# - placement fields (all the others: backoffLimit, activeDeadlineSeconds, priorityClassName, tolerations,
#   nodeSelector, affinity, resources, image): the run continues in a new Job, same run id, from its checkpoint.
DEFAULT_KEEP_RUNS = 3  # spec.output.keepRuns' default, as in the CRD


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


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def run_spec_hash(spec: Mapping[str, Any]) -> str:
    """Hash of the model fields: equal hashes mean the same model, so the same run."""
    essence = {}
    for key in MODEL_FIELDS:
        value = spec.get(key)
        if isinstance(value, Mapping) and key in MODEL_FIELDS_IGNORED:
            value = {k: v for k, v in value.items() if k not in MODEL_FIELDS_IGNORED[key]}
        essence[key] = value
    return _digest(essence)


def placement_hash(spec: Mapping[str, Any]) -> str:
    """Hash of the placement fields: a different one means the run must continue in a new Job."""
    placement = {k: v for k, v in spec.items() if k not in NON_RUN_FIELDS and k not in MODEL_FIELDS}
    resources = placement.get("resources")
    if isinstance(resources, Mapping) and resources.get("nodes") == 1:
        # The CRD's default: the API server adds it to every stored TweetBot with resources once the CRD has
        # the field, which must not move their runs to new Jobs.
        placement["resources"] = {k: v for k, v in resources.items() if k != "nodes"}
    return _digest(placement)


def owner_reference(tb: Mapping[str, Any]) -> dict[str, Any]:
    meta = tb["metadata"]
    return {
        "apiVersion": c.API_VERSION,
        "kind": c.KIND,
        "name": meta["name"],
        "uid": meta.get("uid", ""),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def base_labels(name: str, component: str) -> dict[str, str]:
    return {
        c.LABEL_APP: c.APP_NAME,
        c.LABEL_COMPONENT: component,
        c.LABEL_MANAGED_BY: c.MANAGER,
        c.LABEL_NAME: label_value(name),
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
    if queue:
        job_labels[c.LABEL_KUEUE_QUEUE] = queue

    env = base_env() + credential_env(spec, settings) + source_env(spec) + hub_env(spec) + base_model_env(spec)
    container = {
        "name": c.TRAINER_CONTAINER,
        "image": spec.get("image") or settings.trainer_image,
        "imagePullPolicy": "IfNotPresent",
        "command": ["tweetbot-train"],
        "args": trainer_args(spec, rid, settings, ["--owner", owner_arg(meta), *_protected_run(tb)]),
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
    template = effective_template(settings.default_pod_template, spec.get("podTemplate"))
    apply_to_pod(template, pod_spec, container)
    apply_ca_bundle(spec["output"], pod_spec, container)
    pod_meta = {"labels": labels, "annotations": {c.ANNOTATION_RUN_ID: rid}}
    apply_to_metadata(template, pod_meta)
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
            **({"activeDeadlineSeconds": spec["activeDeadlineSeconds"]} if spec.get("activeDeadlineSeconds") else {}),
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
    args += [*(run_flags or []), "--termination-log", TERMINATION_LOG]  # run_flags: whose run, what to keep
    return args


def _protected_run(tb: Mapping[str, Any]) -> list[str]:
    """The run status.modelURI points at when this Job starts: keepRuns never prunes it, even before the
    operator has moved modelURI to this run."""
    last = ((tb.get("status") or {}).get("lastSuccessfulRun") or {}).get("runId")
    return ["--protect-run", str(last)] if last else []


def owner_arg(meta: Mapping[str, Any]) -> str:
    """`namespace/name/uid`: whose runs these are (the run marker, manifest.json, `delete --owner`)."""
    return f"{meta.get('namespace')}/{meta['name']}/{meta.get('uid') or ''}"


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


def build_cleanup_job(tb: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """The Job removing this TweetBot's runs under spec.output.s3 (deletionPolicy: Delete): the run folders whose
    marker names it, nothing else. With the trainer's credentials, on any node (it needs no GPU)."""
    meta, spec = tb["metadata"], tb["spec"]
    args = ["delete", "--output", str(spec["output"]["s3"]), "--owner", owner_arg(meta)]
    endpoint = s3_endpoint(spec, settings)
    if endpoint:
        args += ["--s3-endpoint", endpoint]
    container = {
        "name": c.TRAINER_CONTAINER,
        "image": spec.get("image") or settings.trainer_image,
        "imagePullPolicy": "IfNotPresent",
        "command": ["tweetbot-train"],
        "args": args,
        "env": base_env() + credential_env(spec, settings),
        "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "1Gi"}},
        "volumeMounts": trainer_volume_mounts(),
        "terminationMessagePath": TERMINATION_LOG,
        "terminationMessagePolicy": "FallbackToLogsOnError",
        "securityContext": container_security(),
    }
    cleanup_spec = {k: v for k, v in spec.items() if k not in ("nodeSelector", "tolerations", "affinity", "resources")}
    pod_spec = trainer_pod_spec({**cleanup_spec, "resources": {"gpus": 0}}, settings, container, gpu_defaults=False)
    template = effective_template(settings.default_pod_template, spec.get("podTemplate"))
    apply_to_pod(template, pod_spec, container)  # the same ServiceAccount, proxies, pull secrets
    apply_ca_bundle(spec["output"], pod_spec, container)
    labels = base_labels(meta["name"], c.COMPONENT_CLEANUP)
    pod_meta: dict[str, Any] = {"labels": labels}
    apply_to_metadata(template, pod_meta)
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": cleanup_job_name(meta["name"]),
            "namespace": meta.get("namespace"),
            "labels": labels,
            "ownerReferences": [owner_reference(tb)],
        },
        "spec": {
            "backoffLimit": 3,
            "activeDeadlineSeconds": 600,
            "ttlSecondsAfterFinished": 3600,
            "template": {"metadata": pod_meta, "spec": pod_spec},
        },
    }
