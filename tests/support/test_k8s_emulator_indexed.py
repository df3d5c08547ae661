"""The emulator refuses what a real API server refuses about Indexed Jobs, pod subdomains and ports, and Services
(pkg/apis/batch/validation, pkg/apis/core/validation), with 422, and accepts the operator's multi-node objects."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from tweetbot_operator.k8s.client import ApiError, jobs_path, services_path
from tweetbot_operator.settings import Settings
from tweetbot_operator.training.job import build_rendezvous_service, build_training_job

from tests.operator.factories import tweetbot
from tests.support.k8s_builtin import builtin_errors, index_set, schema_version

NS = "default"


def multinode_job(name: str = "spiraltoo") -> dict[str, Any]:
    return build_training_job(tweetbot(name, resources={"nodes": 2, "gpus": 0}), Settings())


def pod_spec(job: dict[str, Any]) -> dict[str, Any]:
    return job["spec"]["template"]["spec"]


async def test_the_operators_multinode_objects_are_accepted(client):
    tb = tweetbot(resources={"nodes": 2})
    assert (await client.create(services_path(NS), build_rendezvous_service(tb)))["metadata"]["uid"]
    assert (await client.create(jobs_path(NS), multinode_job()))["spec"]["completionMode"] == "Indexed"


JOB_MUTATIONS: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("indexed-without-completions", lambda j: j["spec"].pop("completions"), "spec.completions: Required value"),
    ("success-policy-non-indexed", lambda j: j["spec"].pop("completionMode"), "requires indexed completion mode"),
    ("success-policy-out-of-range", lambda j: j["spec"]["successPolicy"]["rules"][0].update(succeededIndexes="2"),
     "succeededIndexes"),
    ("success-policy-empty", lambda j: j["spec"]["successPolicy"].update(rules=[]), "at least one rules"),
    ("bad-completion-mode", lambda j: j["spec"].update(completionMode="Sorted"), "spec.completionMode"),
    ("subdomain-not-a-label", lambda j: pod_spec(j).update(subdomain="a.b"), "spec.template.spec.subdomain"),
    ("port-name-too-long", lambda j: pod_spec(j)["containers"][0]["ports"][0].update(name="rendezvous-of-nodes"),
     "ports[0].name"),
    ("pod-failure-policy-unknown-container", lambda j: j["spec"]["podFailurePolicy"]["rules"][2]["onExitCodes"]
     .update(containerName="sidecar"), "containerName"),
    ("pod-failure-policy-unordered", lambda j: j["spec"]["podFailurePolicy"]["rules"][2]["onExitCodes"]
     .update(values=[75, 2]), "onExitCodes.values"),
    ("host-name-not-a-label", lambda j: j["metadata"].update(name="spiral.too-g1"), "invalid DNS label"),
    ("per-index-limit-non-indexed", lambda j: (j["spec"].pop("completionMode"), j["spec"].pop("successPolicy"),
                                               j["spec"].update(backoffLimitPerIndex=1)), "backoffLimitPerIndex"),
]


@pytest.mark.parametrize(("mutate", "words"), [m[1:] for m in JOB_MUTATIONS], ids=[m[0] for m in JOB_MUTATIONS])
async def test_invalid_indexed_jobs_are_refused(client, mutate, words):
    job = multinode_job()
    mutate(job)
    with pytest.raises(ApiError) as err:
        await client.create(jobs_path(NS), job)
    assert err.value.status == 422 and words in err.value.message


SERVICE_MUTATIONS: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("name-starts-with-a-digit", lambda s: s["metadata"].update(name="1bot-nodes"), "DNS-1035"),
    ("name-with-dots", lambda s: s["metadata"].update(name="a.b-nodes"), "DNS-1035"),
    ("headless-node-port", lambda s: s["spec"].update(type="NodePort"), "may only be set to 'None'"),
    ("no-ports-not-headless", lambda s: (s["spec"].pop("clusterIP"), s["spec"].pop("ports")), "spec.ports"),
    ("unnamed-second-port", lambda s: s["spec"]["ports"].append({"port": 1}), "spec.ports[1].name"),
    ("bad-selector", lambda s: s["spec"]["selector"].update({"bad key!": "x"}), "spec.selector"),
]


@pytest.mark.parametrize(("mutate", "words"), [m[1:] for m in SERVICE_MUTATIONS],
                         ids=[m[0] for m in SERVICE_MUTATIONS])
async def test_invalid_services_are_refused(client, mutate, words):
    service = copy.deepcopy(build_rendezvous_service(tweetbot(resources={"nodes": 2})))
    mutate(service)
    with pytest.raises(ApiError) as err:
        await client.create(services_path(NS), service)
    assert err.value.status == 422 and words in err.value.message


def test_a_headless_service_needs_no_ports():
    service = build_rendezvous_service(tweetbot(resources={"nodes": 2}))
    service["spec"].pop("ports")
    assert builtin_errors(service) == []


def test_success_policy_is_checked_against_the_first_version_that_acts_on_it():
    assert schema_version(multinode_job()) == "1.31.0"
    assert schema_version(build_training_job(tweetbot(), Settings())) == "1.29.0"


@pytest.mark.parametrize(("text", "found"), [("0", {0}), ("0,2-3", {0, 2, 3}), ("", set()), ("3-1", None),
                                              ("1,0", None), ("4", None), ("x", None), ("1-2,2", None)])
def test_index_sets_parse_as_the_job_controller_writes_them(text, found):
    assert index_set(text, 4) == found
