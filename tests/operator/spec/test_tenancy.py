"""A TweetBot is a tenant boundary (issue 24, items 2-4): allow-lists, S3 roots, token hosts, and Secrets that
must opt in by label before a TweetBot may name them; checked by the operator before any Job exists."""

from __future__ import annotations

import copy
import dataclasses

from tweetbot_operator.context import Context
from tweetbot_operator.k8s.client import jobs_path, secrets_path, tweetbot_path
from tweetbot_operator.reconcile import reconcile
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec.tenancy import SECRET_LABEL, Tenancy, named_secrets, policy_errors

from tests.operator.factories import KEY, NS, TB, condition_of, events_of, status_of, tweetbot
from tests.support.k8s_fixtures import eventually

LOCKED = Tenancy(image_prefixes=("registry.example.com/tweetbot/",), service_accounts=("trainer",),
                 runtime_classes=("gvisor",), s3_roots=("s3://bots/{namespace}/",))


def test_allow_lists_name_the_field_and_the_rule():
    spec = tweetbot(image="evil.example.com/miner:1", podTemplate={"serviceAccountName": "admin",
                                                                    "runtimeClassName": "privileged"},
                    output={"s3": "s3://bots/other-team/spiraltoo/"}, baseModel="s3://bots/other-team/model/")["spec"]
    errors = policy_errors(spec, "default", LOCKED)
    assert any(e.startswith("spec.image evil.example.com/miner:1 is not under an allowed image prefix") for e in errors)
    assert any("spec.podTemplate.serviceAccountName admin is not an allowed ServiceAccount" in e for e in errors)
    assert any("spec.podTemplate.runtimeClassName privileged" in e for e in errors)
    assert any(e.startswith("spec.output.s3 s3://bots/other-team/spiraltoo/ is outside this namespace's S3 roots "
                            "(s3://bots/default/)") for e in errors)
    assert any(e.startswith("spec.baseModel s3://bots/other-team/model/") for e in errors)
    assert any(e.startswith("spec.source.archive.uri s3://bots/archives/") for e in errors)
    allowed = tweetbot(image="registry.example.com/tweetbot/trainer:1", podTemplate={"serviceAccountName": "trainer"},
                       output={"s3": "s3://bots/default/spiraltoo/"},
                       source={"archive": {"uri": "s3://bots/default/archive.zip"}})["spec"]
    assert policy_errors(allowed, "default", LOCKED) == []
    assert policy_errors(spec, "default", Tenancy()) == []  # no rules: a single-tenant cluster


def test_a_mastodon_token_goes_only_to_the_instance_the_handles_name():
    spec = tweetbot(users=["alice@mastodon.social"],
                    source={"mastodon": {"url": "https://attacker.example", "tokenSecret": {"name": "t"}}})["spec"]
    [error] = policy_errors(spec, "default", Tenancy())
    assert "spec.source.mastodon.url https://attacker.example is not the instance the handles name" in error
    spec["source"]["mastodon"]["url"] = "https://Mastodon.Social/"
    assert policy_errors(spec, "default", Tenancy()) == []


def test_every_secret_a_pod_would_read_is_named():
    spec = tweetbot(source={"xApi": {"tokenSecret": {"name": "x"}}}, baseModelTokenSecret={"name": "hf-read"},
                    output={"s3": "s3://b/p/", "credentialsSecret": {"name": "s3"},
                            "hub": {"repo": "o/r", "tokenSecret": {"name": "hf"}}},
                    serving={"enabled": True, "apiKeySecret": {"name": "key", "key": "k"}},
                    podTemplate={"envFrom": [{"secretRef": {"name": "env-all"}}],
                                 "env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "one", "key": "a"}}}],
                                 "volumes": [{"name": "v", "secret": {"secretName": "vol"}}]})["spec"]
    assert {name for _, name in named_secrets(spec)} == {"x", "hf-read", "s3", "hf", "key", "env-all", "one", "vol"}


def _secret(name: str, labels: dict[str, str] | None = None) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "labels": labels or {}},
            "data": {"token": "c2VjcmV0LXZhbHVlLW5ldmVyLXNob3du"}}  # "secret-value-never-shown"


async def test_an_unlabelled_secret_holds_the_run_until_its_owner_opts_it_in(cluster, client, ctx):
    """The operator reads the label with the chart's RBAC (get on secrets), as metadata only."""
    ctx.settings = dataclasses.replace(ctx.settings, tenancy=Tenancy(secret_label=SECRET_LABEL))
    admin = client  # the test's own login creates the Secret and labels it
    await admin.create(secrets_path(NS), _secret("s3-creds"))
    await client.create(tweetbot_path(NS), copy.deepcopy(TB))
    await reconcile(ctx, KEY)
    status = status_of(cluster)
    failed = condition_of(status, "Failed")
    assert failed["reason"] == "NotPermitted"
    assert ('spec.output.credentialsSecret: Secret s3-creds is not labelled tweetbot.io/usable: "true"'
            in failed["message"])
    assert "c2VjcmV0" not in str(status) and "secret-value" not in str(status)
    assert cluster.read("batch/v1/jobs", NS, "spiraltoo-g1") is None  # nothing ran with the Secret
    assert KEY in ctx.active  # the poller looks again: a label needs no spec change
    await eventually(lambda: "NotPermitted" in [reason for _, reason, _ in events_of(cluster)])

    await admin.merge_patch(secrets_path(NS, "s3-creds"), {"metadata": {"labels": {SECRET_LABEL: "true"}}})
    await reconcile(ctx, KEY)
    assert await client.get(jobs_path(NS, "spiraltoo-g1")) is not None


async def test_a_missing_secret_holds_the_run_and_names_it(cluster, client):
    ctx = Context(settings=Settings(tenancy=Tenancy(secret_label=SECRET_LABEL, secret_names=("shared",))),
                  kube=client)
    body = copy.deepcopy(TB)
    body["spec"]["source"] = {"xApi": {"tokenSecret": {"name": "x-token"}}}
    body["spec"]["output"]["credentialsSecret"] = {"name": "shared"}  # allowed by name: not looked up
    await client.create(tweetbot_path(NS), body)
    await reconcile(ctx, KEY)
    message = condition_of(status_of(cluster), "Failed")["message"]
    assert "spec.source.xApi.tokenSecret: Secret x-token does not exist" in message
    assert "shared" not in message
