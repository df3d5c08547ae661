"""spec.podTemplate (issue 14): the CRD admits the subset and refuses collisions with what the operator owns; the
Job builders apply it over the chart's defaults; a Job built from it passes the API server's validation."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from tweetbot_operator.deletion.cleanup_job import build_cleanup_job
from tweetbot_operator.k8s import pod_template
from tweetbot_operator.settings import Settings
from tweetbot_operator.training.job import build_training_job

from tests.operator.factories import KEY, NS, SCHEMA, TB, readme_example, started, tweetbot
from tests.support.k8s_schema import admit, iter_rules

TEMPLATE: dict[str, Any] = {
    "serviceAccountName": "trainer-wi",
    "imagePullSecrets": [{"name": "ghcr"}],
    "env": [{"name": "HTTPS_PROXY", "value": "http://proxy:3128"},
            {"name": "NO_PROXY", "valueFrom": {"configMapKeyRef": {"name": "proxy", "key": "no_proxy"}}}],
    "envFrom": [{"configMapRef": {"name": "team-settings"}, "prefix": "TEAM_"}],
    "volumes": [{"name": "datasets", "persistentVolumeClaim": {"claimName": "datasets", "readOnly": True}}],
    "volumeMounts": [{"name": "datasets", "mountPath": "/data", "readOnly": True}],
    "labels": {"cost-center": "ml-42"},
    "annotations": {"sidecar.istio.io/inject": "false"},
    "runtimeClassName": "nvidia",
    "schedulerName": "volcano",
    "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                                   "whenUnsatisfiable": "ScheduleAnyway",
                                   "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "tweetbot"}}}],
    "ephemeralStorage": "50Gi",
}


@pytest.fixture(scope="module")
def schema():
    return SCHEMA


def with_template(template):
    obj = readme_example()
    obj["spec"]["podTemplate"] = copy.deepcopy(template)
    return obj


def test_the_crd_admits_the_whole_subset(schema):
    stored, errors = admit(schema, with_template(TEMPLATE))
    assert errors == [] and stored["spec"]["podTemplate"] == TEMPLATE


COLLISIONS = [
    ({"env": [{"name": "AWS_ACCESS_KEY_ID", "value": "x"}]}, "env names the operator sets"),
    ({"env": [{"name": "HF_TOKEN", "value": "x"}]}, "env names the operator sets"),
    ({"env": [{"name": "A", "value": "x", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]}, "not both"),
    ({"envFrom": [{"prefix": "X_"}]}, "exactly one of secretRef"),
    ({"volumes": [{"name": "cache", "emptyDir": {}}]}, "volume names the operator uses"),
    ({"volumes": [{"name": "v"}]}, "exactly one of persistentVolumeClaim"),
    ({"volumes": [{"name": "v", "emptyDir": {}}], "volumeMounts": [{"name": "v", "mountPath": "/tmp/x"}]},
     "mount paths the operator uses"),
    ({"volumeMounts": [{"name": "nowhere", "mountPath": "/data"}]}, "must be one of podTemplate.volumes"),
    ({"labels": {"app.kubernetes.io/name": "mine"}}, "not the operator's"),
    ({"labels": {"tweetbot.io/run-id": "x"}}, "not the operator's"),
    ({"labels": {"job-name": "x"}}, "not the operator's"),
    ({"annotations": {"tweetbot.io/run-id": "x"}}, "operator's own"),
    ({"ephemeralStorage": "-1Gi"}, "ephemeralStorage"),
]


@pytest.mark.parametrize(("template", "words"), COLLISIONS, ids=[str(i) for i in range(len(COLLISIONS))])
def test_the_crd_refuses_what_the_operator_owns(schema, template, words):
    errors = admit(schema, with_template(template))[1]
    assert errors and words in " ".join(errors), errors


def test_the_crd_lists_the_names_the_builders_reserve(schema):
    rules = " ".join(rule["rule"] for path, _, rule in iter_rules(schema) if path.startswith("spec.podTemplate"))
    for name in (*pod_template.RESERVED_ENV, *pod_template.RESERVED_VOLUMES, *pod_template.RESERVED_MOUNT_PATHS,
                 *pod_template.RESERVED_LABEL_PREFIXES):
        assert f"'{name}'" in rules, name


def test_the_training_job_carries_the_template():
    job = build_training_job(tweetbot(podTemplate=TEMPLATE), Settings(trainer_service_account="global"))
    pod = job["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert pod["serviceAccountName"] == "trainer-wi"  # the TweetBot's wins over the global setting
    assert pod["imagePullSecrets"] == [{"name": "ghcr"}] and pod["runtimeClassName"] == "nvidia"
    assert pod["schedulerName"] == "volcano" and pod["topologySpreadConstraints"][0]["maxSkew"] == 1
    assert {"name": "datasets", "persistentVolumeClaim": {"claimName": "datasets", "readOnly": True}} in pod["volumes"]
    assert [v["name"] for v in pod["volumes"]][:3] == ["tmp", "cache", "dshm"]  # the operator's stay
    assert {"name": "datasets", "mountPath": "/data", "readOnly": True} in container["volumeMounts"]
    names = [e["name"] for e in container["env"]]
    assert names[:2] == ["HTTPS_PROXY", "NO_PROXY"] and "PYTHONUNBUFFERED" in names
    assert container["envFrom"] == TEMPLATE["envFrom"]
    assert container["resources"]["limits"]["ephemeral-storage"] == "50Gi"
    meta = job["spec"]["template"]["metadata"]
    assert meta["labels"]["cost-center"] == "ml-42" and meta["labels"]["app.kubernetes.io/name"] == "tweetbot"
    assert meta["annotations"]["sidecar.istio.io/inject"] == "false"


def test_the_cleanup_job_gets_the_pod_settings_too():
    pod = build_cleanup_job(tweetbot(podTemplate=TEMPLATE, deletionPolicy="Delete"), Settings())[
        "spec"]["template"]
    assert pod["spec"]["serviceAccountName"] == "trainer-wi" and pod["metadata"]["labels"]["cost-center"]
    assert pod["spec"]["containers"][0]["env"][0]["name"] == "HTTPS_PROXY"


def test_chart_defaults_come_first_and_the_tweetbots_values_win():
    defaults = {"env": [{"name": "HTTPS_PROXY", "value": "http://corp:3128"}, {"name": "NO_PROXY", "value": "."}],
                "labels": {"team": "platform", "cost-center": "shared"}, "runtimeClassName": "runc",
                "imagePullSecrets": [{"name": "corp"}]}
    settings = Settings.from_env({"TWEETBOT_DEFAULT_POD_TEMPLATE": json.dumps(defaults)})
    own = {"env": [{"name": "HTTPS_PROXY", "value": "http://team:3128"}], "labels": {"cost-center": "ml-42"},
           "runtimeClassName": "nvidia"}
    job = build_training_job(tweetbot(podTemplate=own), settings)
    pod, meta = job["spec"]["template"]["spec"], job["spec"]["template"]["metadata"]
    env = {e["name"]: e.get("value") for e in pod["containers"][0]["env"]}
    assert env["HTTPS_PROXY"] == "http://team:3128" and env["NO_PROXY"] == "."
    assert meta["labels"]["team"] == "platform" and meta["labels"]["cost-center"] == "ml-42"
    assert pod["runtimeClassName"] == "nvidia" and pod["imagePullSecrets"] == [{"name": "corp"}]
    plain = build_training_job(tweetbot(), settings)["spec"]["template"]["spec"]
    assert plain["runtimeClassName"] == "runc"  # no podTemplate: the defaults alone


async def test_a_job_with_every_pod_setting_passes_the_api_server(cluster, client, ctx):
    body = copy.deepcopy(TB)
    body["spec"]["podTemplate"] = copy.deepcopy(TEMPLATE)
    job = await started(cluster, client, ctx, body["spec"])
    stored = cluster.read("batch/v1/jobs", NS, job)  # built-in validation (k8s 1.29 schema + Job rules) passed
    assert stored["spec"]["template"]["spec"]["runtimeClassName"] == "nvidia"
    assert (await client.get(f"/apis/tweetbot.io/v1alpha1/namespaces/{NS}/tweetbots/{KEY[1]}"))["status"][
        "phase"] == "Pending"


def test_a_private_s3_endpoints_ca_bundle_is_trusted_in_every_pod(schema):
    output = {"s3": "s3://bots/x/", "endpoint": "https://s3.internal:9000", "caBundle": {"name": "corp-ca"}}
    stored, errors = admit(schema, {**readme_example(), "spec": {**readme_example()["spec"], "output": output}})
    assert errors == [] and stored["spec"]["output"]["caBundle"] == {"name": "corp-ca", "key": "ca.crt"}
    tb = tweetbot(output=stored["spec"]["output"], deletionPolicy="Delete")
    for job in (build_training_job(tb, Settings()), build_cleanup_job(tb, Settings())):
        pod = job["spec"]["template"]["spec"]
        [container] = pod["containers"]
        assert {"name": "ca-bundle", "configMap": {"name": "corp-ca", "items": [{"key": "ca.crt", "path": "ca.crt"}]}} \
            in pod["volumes"]
        assert {"name": "ca-bundle", "mountPath": "/etc/tweetbot/ca", "readOnly": True} in container["volumeMounts"]
        assert {"name": "AWS_CA_BUNDLE", "value": "/etc/tweetbot/ca/ca.crt"} in container["env"]
    refused = admit(schema, with_template({"env": [{"name": "AWS_CA_BUNDLE", "value": "/mine"}]}))[1]
    assert "env names the operator sets" in " ".join(refused)
