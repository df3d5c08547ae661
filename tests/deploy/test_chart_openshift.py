"""Issue 22 item 2 and issue 24 item 8, the chart's side: podSecurity.fixedIds (OpenShift) and the training
Jobs' default deadline reach the operator, and the operator's own pod drops its fixed IDs too."""

from __future__ import annotations

from tests.deploy.render import all_errors, container_env, helm_template, one, pod_security_problems


def test_fixed_ids_off_reaches_the_operator_and_its_own_pod() -> None:
    objects = helm_template("--set", "podSecurity.fixedIds=false", "--set", "trainer.activeDeadlineSeconds=3600")
    deployment = one(objects, "Deployment")
    env = container_env(deployment)
    assert env["TWEETBOT_FIXED_POD_IDS"] == "false" and env["TWEETBOT_TRAINING_DEADLINE_SECONDS"] == "3600"
    security = deployment["spec"]["template"]["spec"]["securityContext"]
    assert not {"runAsUser", "runAsGroup", "fsGroup"} & set(security) and security["runAsNonRoot"] is True
    assert pod_security_problems(deployment) == [] and all_errors([deployment]) == []


def test_defaults_keep_the_images_user_and_a_week_long_deadline() -> None:
    deployment = one(helm_template(), "Deployment")
    env = container_env(deployment)
    assert env["TWEETBOT_FIXED_POD_IDS"] == "true" and env["TWEETBOT_TRAINING_DEADLINE_SECONDS"] == "604800"
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == 10001
