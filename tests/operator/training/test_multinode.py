"""The pure multi-node builders (issue 17): spec.resources.nodes > 1 makes an Indexed Job and a headless Service
that the API server accepts, with the contract's arguments, names and failure rules; nodes 1 changes nothing."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.exit_codes import TRAINER_EXIT_GROUP_STOPPED, TRAINER_EXIT_INPUT_ERROR
from tweetbot_operator.spec.fields import placement_hash
from tweetbot_operator.spec.naming import indexed_job_name, rendezvous_service_name
from tweetbot_operator.spec.validation import validate_spec
from tweetbot_operator.training.job import (
    MULTINODE_POD_FAILURE_POLICY,
    POD_FAILURE_POLICY,
    build_rendezvous_service,
    build_training_job,
)
from tweetbot_operator.training.multinode import node_count

from tests.operator.factories import tweetbot, uid_of
from tests.support.k8s_builtin import builtin_errors
from tests.support.k8s_fixtures import CRD
from tests.support.k8s_schema import admit, version_schema

SETTINGS = Settings(default_s3_endpoint="http://minio:9000")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")


def two_nodes(name: str = "spiraltoo", gpus: int = 4, **spec: Any) -> dict[str, Any]:
    tb = tweetbot(name, resources={"nodes": 2, "gpus": gpus}, **spec)
    tb["metadata"]["uid"] = uid_of(name)
    return tb


def trainer(job: dict[str, Any]) -> dict[str, Any]:
    return job["spec"]["template"]["spec"]["containers"][0]


def flag(args: list[str], name: str) -> str:
    assert args.count(name) == 1, f"{name} once in {args}"
    return args[args.index(name) + 1]


def test_a_two_node_job_is_indexed_with_one_pod_per_node():
    job = build_training_job(two_nodes(), SETTINGS)
    spec = job["spec"]
    assert (spec["completionMode"], spec["completions"], spec["parallelism"]) == ("Indexed", 2, 2)
    assert spec["successPolicy"] == {"rules": [{"succeededIndexes": "0"}]}  # rank 0 done = the run done
    # A group failure is one pod per node (the failed one, and its peers that lost it): the user's backoffLimit
    # 2 (three attempts of the group) is 3 x 2 - 1 pod failures.
    assert spec["backoffLimit"] == 5 and "backoffLimitPerIndex" not in spec and "maxFailedIndexes" not in spec
    assert spec["template"]["spec"]["subdomain"] == "spiraltoo-nodes"
    assert trainer(job)["ports"] == [{"name": "rendezvous", "containerPort": 29500, "protocol": "TCP"}]
    assert builtin_errors(job) == []


def test_the_trainer_joins_the_group_through_node_zero():
    args = trainer(build_training_job(two_nodes(), SETTINGS))["args"]
    assert flag(args, "--nnodes") == "2"
    assert flag(args, "--node-rank") == "$(JOB_COMPLETION_INDEX)"  # the kubelet expands the injected env var
    assert flag(args, "--master-addr") == "spiraltoo-g1-0.spiraltoo-nodes"
    assert flag(args, "--master-port") == "29500"
    assert flag(args, "--nproc-per-node") == "4"  # gpus stays per node
    assert args[-2:] == ["--termination-log", "/dev/termination-log"]
    # JOB_COMPLETION_INDEX is the Job controller's to inject; the operator does not define it.
    assert "JOB_COMPLETION_INDEX" not in {e["name"] for e in trainer(build_training_job(two_nodes(), SETTINGS))["env"]}


@pytest.mark.parametrize("gpus", [0, 1])
def test_one_process_per_node_without_several_gpus(gpus):
    args = trainer(build_training_job(two_nodes(gpus=gpus), SETTINGS))["args"]
    assert flag(args, "--nproc-per-node") == "1"


def test_only_a_clean_group_stop_is_not_counted():
    assert TRAINER_EXIT_GROUP_STOPPED == 75 and TRAINER_EXIT_INPUT_ERROR == 2
    rules = build_training_job(two_nodes(), SETTINGS)["spec"]["podFailurePolicy"]["rules"]
    assert rules == MULTINODE_POD_FAILURE_POLICY["rules"]
    assert [r["action"] for r in rules] == ["FailJob", "Ignore", "Ignore"]
    assert rules[0]["onExitCodes"] == {"containerName": "trainer", "operator": "In", "values": [2]}
    assert rules[1]["onPodConditions"] == [{"type": "DisruptionTarget", "status": "True"}]
    assert rules[2]["onExitCodes"] == {"containerName": "trainer", "operator": "In", "values": [75]}


def test_a_single_node_job_renders_as_before():
    """nodes: 1 (or none) is the Job of before multi-node: the same dict, the same hashes."""
    before = build_training_job(tweetbot(resources={"gpus": 1}), SETTINGS)
    assert build_training_job(tweetbot(resources={"gpus": 1, "nodes": 1}), SETTINGS) == before
    spec = before["spec"]
    assert (spec["completions"], spec["parallelism"]) == (1, 1)
    assert not {"completionMode", "successPolicy"} & set(spec)
    assert spec["podFailurePolicy"] == POD_FAILURE_POLICY
    assert "subdomain" not in spec["template"]["spec"] and "ports" not in trainer(before)
    assert not {"--nnodes", "--node-rank", "--master-addr"} & set(trainer(before)["args"])


def test_the_crd_default_nodes_1_moves_no_run():
    """The defect: with `nodes` in the CRD, the API server stores `nodes: 1` into every TweetBot that has
    resources, which changed their placement hash and so would have moved every unfinished run to a new Job."""
    tb = tweetbot(resources={"gpus": 1})
    before_crd = copy.deepcopy(version_schema(CRD, "v1alpha1"))
    del before_crd["properties"]["spec"]["properties"]["resources"]["properties"]["nodes"]
    (stored_before, _), (stored, errors) = admit(before_crd, tb), admit(version_schema(CRD, "v1alpha1"), tb)
    assert errors == [] and stored["spec"]["resources"]["nodes"] == 1
    assert placement_hash(stored["spec"]) == placement_hash(stored_before["spec"])
    two = copy.deepcopy(stored["spec"])
    two["resources"]["nodes"] = 2
    assert placement_hash(two) != placement_hash(stored_before["spec"])


@pytest.mark.parametrize("name", ["spiraltoo", "1bot", "bot.with.dots", "a" * 63, "9" + "x.y" * 20, "a-b"])
def test_names_are_valid_for_any_tweetbot_name(name):
    tb = two_nodes(name)
    job, service = build_training_job(tb, SETTINGS), build_rendezvous_service(tb)
    job_name, service_name = job["metadata"]["name"], service["metadata"]["name"]
    assert DNS_LABEL.match(f"{job_name}-63") and len(f"{job_name}-63") <= 63  # the pods' host names, 64 nodes
    assert DNS1035.match(service_name) and len(service_name) <= 63
    assert job["spec"]["template"]["spec"]["subdomain"] == service_name
    assert flag(trainer(job)["args"], "--master-addr") == f"{job_name}-0.{service_name}"
    assert builtin_errors(job) == [] and builtin_errors(service) == []
    assert (indexed_job_name(name, 1), rendezvous_service_name(name)) == (job_name, service_name)  # deterministic


def test_names_that_clean_up_alike_stay_apart():
    assert rendezvous_service_name("a.b") != rendezvous_service_name("a-b")
    assert indexed_job_name("a.b", 1) != indexed_job_name("a-b", 1)
    assert rendezvous_service_name("a-b") == "a-b-nodes" and indexed_job_name("a-b", 1) == "a-b-g1"


def test_the_headless_service_selects_the_training_pods():
    tb = two_nodes()
    service, job = build_rendezvous_service(tb), build_training_job(tb, SETTINGS)
    spec = service["spec"]
    assert spec["clusterIP"] == "None" and spec["publishNotReadyAddresses"] is True
    assert spec["ports"] == [{"name": "rendezvous", "port": 29500, "targetPort": 29500, "protocol": "TCP"}]
    pod_labels = job["spec"]["template"]["metadata"]["labels"]
    assert spec["selector"] == {k: pod_labels[k] for k in (c.LABEL_APP, c.LABEL_COMPONENT, c.LABEL_NAME)}
    assert service["metadata"]["ownerReferences"] == job["metadata"]["ownerReferences"]
    assert service["metadata"]["ownerReferences"][0]["controller"] is True
    assert service["metadata"]["labels"][c.LABEL_COMPONENT] == c.COMPONENT_NODES  # not a training pod itself


def test_kueue_admits_all_the_pods_or_none():
    tb = two_nodes()
    tb["metadata"]["labels"] = {c.LABEL_KUEUE_QUEUE: "gpu-queue"}
    job = build_training_job(tb, SETTINGS)
    assert job["spec"]["suspend"] is True and job["metadata"]["labels"][c.LABEL_KUEUE_QUEUE] == "gpu-queue"
    assert job["spec"]["parallelism"] == job["spec"]["completions"] == 2
    annotations = {**job["metadata"]["annotations"], **job["spec"]["template"]["metadata"].get("annotations", {})}
    assert "kueue.x-k8s.io/job-min-parallelism" not in annotations  # no partial admission


def test_placement_applies_to_every_pod():
    """One pod template for every node: the placement fields are in it, and it is the single-node template with
    the rendezvous added."""
    placement = {"nodeSelector": {"pool": "h100"}, "tolerations": [{"key": "dedicated", "operator": "Exists"}],
                 "affinity": {"nodeAffinity": {}}, "priorityClassName": "training",
                 "podTemplate": {"labels": {"team": "ml"}, "runtimeClassName": "nvidia"}}
    multi = build_training_job(two_nodes(**copy.deepcopy(placement)), SETTINGS)["spec"]["template"]
    single = build_training_job(tweetbot(resources={"gpus": 4}, **placement), SETTINGS)["spec"]["template"]
    pod = multi["spec"]
    assert pod["nodeSelector"] == {"pool": "h100"} and pod["priorityClassName"] == "training"
    assert pod["runtimeClassName"] == "nvidia" and multi["metadata"]["labels"]["team"] == "ml"
    assert {"key": "dedicated", "operator": "Exists"} in pod["tolerations"]
    assert {k: v for k, v in pod.items() if k not in ("subdomain", "containers")} == \
        {k: v for k, v in single["spec"].items() if k != "containers"}


def test_nodes_is_checked_by_the_crd_and_the_operator():
    schema = version_schema(CRD, "v1alpha1")
    for bad in (0, 65):
        assert admit(schema, tweetbot(resources={"nodes": bad}))[1] != []
        assert any("spec.resources.nodes" in e for e in validate_spec(tweetbot(resources={"nodes": bad})["spec"]))
    assert admit(schema, tweetbot(resources={"nodes": 64}))[1] == []
    assert node_count({}) == 1 and node_count({"resources": {"nodes": 3}}) == 3
