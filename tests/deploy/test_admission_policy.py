"""The chart's opt-in ValidatingAdmissionPolicy (issue 24, item 3): the tenancy rules enforced at admission, its
CEL evaluated here against TweetBots (cel-python, as the test bed evaluates the CRD's own rules)."""

from __future__ import annotations

import copy
from typing import Any

import celpy
import pytest

from tests.deploy.render import all_errors, helm_template
from tests.operator.factories import tweetbot

VALUES = ("--set", "tenancy.admissionPolicy=true",
          "--set-json", 'tenancy.allowedImagePrefixes=["registry.example.com/tweetbot/"]',
          "--set-json", 'tenancy.allowedServiceAccounts=["trainer"]',
          "--set-json", 'tenancy.allowedRuntimeClasses=["gvisor"]',
          "--set-json", 'tenancy.allowedSecretNames=["shared-s3"]',
          "--set-json", 'tenancy.s3Roots=["s3://bots/{namespace}/"]')


@pytest.fixture(scope="module")
def policy() -> dict[str, Any]:
    objects = helm_template(*VALUES)
    assert all_errors(objects) == []
    [vap] = [o for o in objects if o["kind"] == "ValidatingAdmissionPolicy"]
    [binding] = [o for o in objects if o["kind"] == "ValidatingAdmissionPolicyBinding"]
    assert binding["spec"]["policyName"] == vap["metadata"]["name"] and binding["spec"]["validationActions"] == ["Deny"]
    return vap


def evaluate(expression: str, obj: dict[str, Any], variables: dict[str, Any] | None = None) -> Any:
    env = celpy.Environment()
    activation = {"object": celpy.json_to_cel(obj), "variables": celpy.json_to_cel(variables or {})}
    return env.program(env.compile(expression)).evaluate(activation)


def refusals(policy: dict[str, Any], obj: dict[str, Any]) -> list[str]:
    """The messages of the allow-list rules `obj` breaks (the authorizer rule needs an API server: compiled only)."""
    [secrets] = policy["spec"]["variables"]
    names = [str(n) for n in evaluate(secrets["expression"], obj)]
    out = []
    for rule in policy["spec"]["validations"]:
        if "authorizer." in rule["expression"]:
            continue
        if not bool(evaluate(rule["expression"], obj, {"secrets": names})):
            out.append(rule["message"])
    return out


def test_off_by_default():
    assert not [o for o in helm_template() if o["kind"].startswith("ValidatingAdmissionPolicy")]


def test_every_rule_compiles(policy):
    env = celpy.Environment()
    for expression in [v["expression"] for v in policy["spec"]["variables"] + policy["spec"]["validations"]]:
        env.compile(expression)


def test_allowed_tweetbots_pass_and_each_rule_names_itself(policy):
    good = tweetbot(namespace="team-a", image="registry.example.com/tweetbot/trainer:1",
                    podTemplate={"serviceAccountName": "trainer", "runtimeClassName": "gvisor"},
                    output={"s3": "s3://bots/team-a/spiraltoo/", "credentialsSecret": {"name": "shared-s3"}})
    assert refusals(policy, good) == []
    cases = {
        "image": ({"image": "evil.example.com/miner"}, "spec.image is not under an allowed image prefix"),
        "account": ({"podTemplate": {"serviceAccountName": "admin"}}, "the ServiceAccount is not an allowed one"),
        "runtime": ({"podTemplate": {"runtimeClassName": "runc"}}, "runtimeClassName is not an allowed runtime"),
        "s3": ({"output": {"s3": "s3://bots/team-b/x/"}}, "spec.output.s3 is outside this namespace's S3 roots"),
    }
    for name, (change, message) in cases.items():
        bad = copy.deepcopy(good)
        bad["spec"].update(change)
        [refused] = refusals(policy, bad)
        assert message in refused, name


def test_the_secrets_a_tweetbot_names_are_checked_for_its_creator(policy):
    [secrets] = policy["spec"]["variables"]
    spec = tweetbot(source={"xApi": {"tokenSecret": {"name": "x-token"}}}, baseModelTokenSecret={"name": "hf"},
                    serving={"enabled": True, "apiKeySecret": {"name": "key"}})
    assert sorted(map(str, evaluate(secrets["expression"], spec))) == ["hf", "key", "s3-creds", "x-token"]
    [rule] = [r for r in policy["spec"]["validations"] if "authorizer." in r["expression"]]
    assert "check('get').allowed()" in rule["expression"] and '"shared-s3"' in rule["expression"]
