"""Multi-node training (spec.resources.nodes > 1): what turns a training Job into one pod per node, and the
headless Service through which the pods find node 0. Pure: plain dicts, nothing sent anywhere.

The Job is Indexed: one pod per node, whose completion index is its node rank (the Job controller puts it in the
pod's JOB_COMPLETION_INDEX and names the pod's host `<job>-<index>`); with the Service as the pods' subdomain,
node 0 answers at `<job>-0.<service>`. Rank 0 succeeding is the run succeeding (successPolicy). Why these
Kubernetes features and not others: docs/design.md, "Multi-node training".
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.naming import label_value, rendezvous_service_name

INDEXED = "Indexed"
# The Job succeeds when index 0 (rank 0, which publishes the model) does; the controller then stops the others.
SUCCESS_POLICY: dict[str, Any] = {"rules": [{"succeededIndexes": "0"}]}
DEFAULT_BACKOFF_LIMIT = 6  # batch/v1's default, for a Job that does not say
NODE_RANK = "$(JOB_COMPLETION_INDEX)"  # expanded by the kubelet from the env var the Job controller injects


def node_count(spec: Mapping[str, Any]) -> int:
    """spec.resources.nodes (the CRD's default, 1, where absent)."""
    nodes = (spec.get("resources") or {}).get("nodes")
    return 1 if nodes is None else int(nodes)


def job_nodes(job: Mapping[str, Any] | None) -> int:
    """How many nodes a training Job spans: its completions when Indexed, else 1."""
    spec = (job or {}).get("spec") or {}
    return int(spec.get("completions") or 1) if spec.get("completionMode") == INDEXED else 1


def failed_attempts(job: Mapping[str, Any]) -> int:
    """Failed attempts of a run: failed pods, or with several nodes failed groups (a pod per node each, the
    failed one and its peers that lost it; a group whose first pod failed is a failed attempt already)."""
    failed, nodes = int((job.get("status") or {}).get("failed") or 0), job_nodes(job)
    return -(-failed // nodes)


def attempt_limit(job: Mapping[str, Any]) -> int:
    """Attempts the Job allows: the TweetBot's backoffLimit + 1 (a multi-node Job's limit counts pods)."""
    return (int((job.get("spec") or {}).get("backoffLimit", DEFAULT_BACKOFF_LIMIT)) + 1) // job_nodes(job)


def completion_index(pod: Mapping[str, Any]) -> int | None:
    """A pod's node rank (the Job controller's completion-index annotation, or its label); None for the pod of
    a single-node Job."""
    meta = pod.get("metadata") or {}
    value = (meta.get("annotations") or {}).get(c.ANNOTATION_COMPLETION_INDEX)
    if value is None:
        value = (meta.get("labels") or {}).get(c.ANNOTATION_COMPLETION_INDEX)
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def pod_selector(name: str) -> dict[str, str]:
    """Every training pod of the TweetBot `name`: what the headless Service selects."""
    return {c.LABEL_APP: c.APP_NAME, c.LABEL_COMPONENT: c.COMPONENT_TRAIN, c.LABEL_NAME: label_value(name)}


def master_addr(job_name: str, service: str) -> str:
    """Node 0's address, short form: pods of the same namespace resolve it through their DNS search path."""
    return f"{job_name}-0.{service}"


def rendezvous_service(tb: Mapping[str, Any], labels: Mapping[str, str],
                       owner: Mapping[str, Any]) -> dict[str, Any]:
    """The headless Service: a DNS record per pod (ready or not: the trainers rendezvous before any is ready),
    no virtual IP, no load balancing."""
    meta = tb["metadata"]
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": rendezvous_service_name(meta["name"]), "namespace": meta.get("namespace"),
                     "labels": dict(labels), "ownerReferences": [dict(owner)]},
        "spec": {
            "clusterIP": "None",
            "publishNotReadyAddresses": True,
            "selector": pod_selector(meta["name"]),
            "ports": [{"name": c.RENDEZVOUS_PORT_NAME, "port": c.RENDEZVOUS_PORT, "targetPort": c.RENDEZVOUS_PORT,
                       "protocol": "TCP"}],
        },
    }


def multinode_args(args: list[str], job_name: str, service: str, nodes: int) -> list[str]:
    """The trainer's arguments with the group's: how many nodes, this pod's rank, where node 0 listens. One
    process per node when the TweetBot asks for no more than one GPU (the trainer's launcher runs it)."""
    extra = ["--nnodes", str(nodes), "--node-rank", NODE_RANK, "--master-addr", master_addr(job_name, service),
             "--master-port", str(c.RENDEZVOUS_PORT)]
    if "--nproc-per-node" not in args:
        extra = ["--nproc-per-node", "1", *extra]
    end = args.index("--termination-log") if "--termination-log" in args else len(args)
    return [*args[:end], *extra, *args[end:]]


def make_indexed(job: dict[str, Any], tb_name: str, job_name: str, nodes: int,
                 pod_failure_policy: Mapping[str, Any]) -> dict[str, Any]:
    """`job` (a single-node training Job, as jobs.py builds it) as one pod per node: the same pod template for
    every node, so placement (node selector, tolerations, affinity, podTemplate, resources) applies to all.
    parallelism == completions and no Kueue min-parallelism: Kueue admits all the pods or none."""
    job = copy.deepcopy(job)
    service = rendezvous_service_name(tb_name)
    job["metadata"]["name"] = job_name
    spec = job["spec"]
    # A group failure is a failed pod per node (the failed one and the peers that lost it): the TweetBot's
    # backoffLimit counts group attempts.
    spec["backoffLimit"] = (int(spec["backoffLimit"]) + 1) * nodes - 1
    spec.update(completions=nodes, parallelism=nodes, completionMode=INDEXED,
                successPolicy=copy.deepcopy(SUCCESS_POLICY), podFailurePolicy=copy.deepcopy(pod_failure_policy))
    pod = spec["template"]["spec"]
    pod["subdomain"] = service
    for container in pod["containers"]:
        if container["name"] == c.TRAINER_CONTAINER:
            container["args"] = multinode_args(container["args"], job_name, service, nodes)
            container["ports"] = [{"name": c.RENDEZVOUS_PORT_NAME, "containerPort": c.RENDEZVOUS_PORT,
                                   "protocol": "TCP"}]
    return job
