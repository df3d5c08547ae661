"""The operator tests' shared factories: TweetBot, Job and Pod dicts (plain data), generated specs, and the few
helpers that put such objects into the emulated cluster or read them back."""

from __future__ import annotations

import copy
import json
import re
import uuid
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from tweetbot_operator.k8s.client import jobs_path, pods_path, tweetbot_path
from tweetbot_operator.reconcile import reconcile
from tweetbot_operator.spec import constants as c

from tests.support.k8s_fixtures import eventually
from tests.support.k8s_schema import version_schema


def uid_of(name: str, namespace: str = "default") -> str:
    """A uid as the API server gives one (a UUID), fixed per namespace and name."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{namespace}.{name}"))


def tweetbot(name: str = "spiraltoo", namespace: str = "default", generation: int = 1, **spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "users": ["spiraltoo"],
        "source": {"archive": {"uri": "s3://bots/archives/spiraltoo.zip"}},
        "output": {"s3": "s3://bots/spiraltoo/", "credentialsSecret": {"name": "s3-creds"}},
    }
    body.update(copy.deepcopy(spec))
    return {
        "apiVersion": c.API_VERSION,
        "kind": c.KIND,
        "metadata": {"name": name, "namespace": namespace, "uid": uid_of(name, namespace), "generation": generation},
        "spec": body,
    }


def job(name: str = "spiraltoo-g1", *, conditions: list[dict[str, Any]] | None = None, suspend: bool = False,
        run_id: str | None = None, **status: Any) -> dict[str, Any]:
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name, "namespace": "default", "annotations": {c.ANNOTATION_RUN_ID: run_id or name},
                     "labels": {}},
        "spec": {"suspend": suspend},
        "status": {**status, **({"conditions": conditions} if conditions else {})},
    }


def condition(ctype: str, reason: str = "", message: str = "") -> dict[str, Any]:
    return {"type": ctype, "status": "True", "reason": reason, "message": message,
            "lastTransitionTime": "2026-11-25T10:00:00Z"}


def pod(name: str = "spiraltoo-g1-abcde", *, phase: str = "Running", created: str = "2026-11-25T10:00:00Z",
        state: dict[str, Any] | None = None, conditions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "creationTimestamp": created},
        "status": {
            "phase": phase,
            "conditions": conditions or [],
            "containerStatuses": [{"name": c.TRAINER_CONTAINER, "state": state or {"running": {}}}],
        },
    }


def terminated(message: dict[str, Any] | str, exit_code: int = 0) -> dict[str, Any]:
    text = message if isinstance(message, str) else json.dumps(message)
    return {"terminated": {"exitCode": exit_code, "message": text}}


SUCCESS_MESSAGE = {
    "status": "succeeded", "runId": "spiraltoo-g1", "modelURI": "s3://bots/spiraltoo/spiraltoo-g1/",
    "evalLossBefore": 3.9, "evalLoss": 3.1, "perplexity": 22.2,
    "stats": {"spiraltoo": {"downloaded": 1986, "retweets": 643, "short": 230, "kept": 1113}},
    "durationSeconds": 300.0,
}


NS = "default"


TB = {
    "apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot",
    "metadata": {"name": "spiraltoo", "namespace": NS},
    "spec": {
        "users": ["spiraltoo"],
        "source": {"archive": {"uri": "s3://bots/archives/spiraltoo.zip"}},
        "output": {"s3": "s3://bots/spiraltoo/", "credentialsSecret": {"name": "s3-creds"}},
        "resources": {"gpus": 1},
    },
}


def jobs_of(cluster, name="spiraltoo"):
    return sorted((j for j in cluster.list_objects("batch/v1/jobs", NS)
                   if j["metadata"]["labels"].get(c.LABEL_NAME) == name), key=lambda j: j["metadata"]["name"])


def status_of(cluster, name="spiraltoo"):
    return (cluster.read("tweetbot.io/v1alpha1/tweetbots", NS, name) or {}).get("status") or {}


def events_of(cluster, name="spiraltoo"):
    return [(e["type"], e["reason"], e["message"]) for e in cluster.list_objects("v1/events", NS)
            if e.get("involvedObject", {}).get("name") == name and e.get("source", {}).get("component") == c.MANAGER]


def condition_of(status, ctype):
    return next(cond for cond in status["conditions"] if cond["type"] == ctype)


async def set_job_status(client, job_name, status):
    await client.merge_patch(jobs_path(NS, job_name) + "/status", {"status": status})


KEY = (NS, "spiraltoo")


async def started(cluster, client, ctx, spec=None):
    body = copy.deepcopy(TB)
    body["spec"].update(spec or {})
    await client.create(tweetbot_path(NS), body)
    await reconcile(ctx, KEY)
    return "spiraltoo-g1"


async def succeed_job(client, job_name: str, model: str) -> None:
    pod = await client.create(pods_path("default"), {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": f"{job_name}-abcde", "labels": {"batch.kubernetes.io/job-name": job_name}},
        "spec": {"containers": [{"name": "trainer", "image": "x"}]}})
    message = {**SUCCESS_MESSAGE, "modelURI": model, "runId": job_name}
    await client.merge_patch(pods_path("default", pod["metadata"]["name"]) + "/status", {"status": {
        "phase": "Succeeded", "containerStatuses": [
            {"name": "trainer", "state": {"terminated": {"exitCode": 0, "message": json.dumps(message)}}}]}})
    await set_job_status(client, job_name, {
        "active": 0, "succeeded": 1, "completionTime": "2026-11-25T10:05:00Z",
        "conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": "2026-11-25T10:05:00Z"}]})


REPO = Path(__file__).resolve().parents[2]


CRD_PATH = REPO / "manifests" / "crd" / "tweetbot.io_tweetbots.yaml"


SCHEMA = version_schema(yaml.safe_load(CRD_PATH.read_text()), "v1alpha1")


def readme_example() -> dict[str, Any]:
    text = (REPO / "README.md").read_text()
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block, "the README shows a TweetBot"
    return yaml.safe_load(block.group(1))


async def make_pod(client, job_name, state, phase="Running", name=None):
    pod = await client.create(pods_path(NS), {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name or f"{job_name}-abcde", "labels": {"batch.kubernetes.io/job-name": job_name}},
        "spec": {"containers": [{"name": "trainer", "image": "x"}]},
    })
    await client.merge_patch(pods_path(NS, pod["metadata"]["name"]) + "/status", {"status": {
        "phase": phase, "containerStatuses": [{"name": "trainer", "state": state}]}})
    return pod["metadata"]["name"]


async def event_reasons_become(cluster, expected, name="spiraltoo"):
    """Waits for the TweetBot's event reasons to read `expected`: events are posted just after the status write
    they report, so a test that has seen the status may not see its event yet."""
    await eventually(lambda: [reason for _, reason, _ in events_of(cluster, name)] == expected)


TWEETBOTS = "tweetbot.io/v1alpha1/tweetbots"


COMPLETE = {"conditions": [{"type": "Complete", "status": "True"}], "succeeded": 1}


def with_policy(policy: str, name: str = "spiraltoo") -> dict:
    body = copy.deepcopy(TB)
    body["metadata"]["name"] = name
    body["spec"]["deletionPolicy"] = policy
    return body


# Generated specs (hypothesis): valid TweetBot specs of every source kind.
handles = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.]{0,14}", fullmatch=True)


secret_names = st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)


sources = st.one_of(
    st.builds(lambda u: {"archive": {"uri": u}}, st.sampled_from(["s3://b/{user}.zip", "https://x/{user}.zip"])),
    st.builds(lambda n: {"xApi": {"tokenSecret": {"name": n}}}, secret_names),
    st.just({"mastodon": {"url": "https://mastodon.social"}}),
    st.just({"bluesky": {}}),
    st.builds(lambda u: {"file": {"uri": u}}, st.just("s3://bots/data/{user}.jsonl")),
)


specs = st.fixed_dictionaries(
    {
        "users": st.lists(handles, min_size=1, max_size=3, unique=True),
        "source": sources,
        "output": st.fixed_dictionaries({"s3": st.just("s3://bucket/prefix/")},
                                         optional={"credentialsSecret": st.builds(lambda n: {"name": n}, secret_names),
                                                   "endpoint": st.just("http://s3:9000")}),
    },
    optional={
        "training": st.fixed_dictionaries({}, optional={
            "epochs": st.integers(1, 100), "learningRate": st.floats(1e-6, 1e-2),
            "batchSize": st.integers(1, 64), "maxSteps": st.integers(1, 10_000),
            "precision": st.sampled_from(["auto", "bf16", "fp16", "fp32"])}),
        "resources": st.fixed_dictionaries({}, optional={"gpus": st.integers(0, 8)}),
        "suspend": st.booleans(),
        "backoffLimit": st.integers(0, 20),
        "activeDeadlineSeconds": st.integers(1, 10**6),
        "baseModel": st.sampled_from(["gpt2", "distilgpt2", "s3://models/tiny/"]),
    },
)
