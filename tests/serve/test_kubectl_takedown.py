"""`kubectl tweetbot takedown` (issue 28) against a constructed cluster and the real S3 test server: the handle
is blocked, every run (checkpoints and posts included) of each TweetBot training on it is deleted whatever its
deletionPolicy, the hub repository where the token allows, then the TweetBot; another bot's runs stay."""

from __future__ import annotations

from typing import Any

import pytest
from kubectl_tweetbot import takedown
from kubernetes.client.exceptions import ApiException
from tweetbot_trainer.publish.ownership import Owner, claim_run
from tweetbot_trainer.s3 import S3Uri, list_keys


class ConfigMap:
    def __init__(self, data: dict[str, str]) -> None:
        self.data = data


class FakeCore:
    def __init__(self) -> None:
        self.maps: dict[tuple[str, str], dict[str, str]] = {}

    def read_namespaced_config_map(self, name: str, namespace: str) -> ConfigMap:
        if (namespace, name) not in self.maps:
            raise ApiException(status=404, reason="NotFound")
        return ConfigMap(self.maps[(namespace, name)])

    def create_namespaced_config_map(self, namespace: str, body: dict[str, Any]) -> None:
        self.maps[(namespace, body["metadata"]["name"])] = dict(body["data"])

    def patch_namespaced_config_map(self, name: str, namespace: str, body: dict[str, Any]) -> None:
        self.maps[(namespace, name)].update(body["data"])


class FakeCustom:
    def __init__(self) -> None:
        self.deleted: list[tuple[str, str]] = []

    def delete_namespaced_custom_object(self, group: str, version: str, namespace: str, plural: str,
                                        name: str) -> None:
        self.deleted.append((namespace, name))


class FakeCluster:
    default_namespace = "default"

    def __init__(self, bots: list[dict[str, Any]]) -> None:
        self.bots, self.core, self.custom = bots, FakeCore(), FakeCustom()

    def tweetbots(self, namespace: str | None) -> list[dict[str, Any]]:
        return [b for b in self.bots if namespace is None or b["metadata"]["namespace"] == namespace]


def bot(name: str, namespace: str, users: list[str], output: str, **extra: Any) -> dict[str, Any]:
    return {"metadata": {"name": name, "namespace": namespace, "uid": f"uid-{name}"},
            "spec": {"users": users, "output": {"s3": output, **extra}}}


def make_run(client: Any, tb: dict[str, Any], run_id: str) -> S3Uri:
    run = S3Uri.parse(tb["spec"]["output"]["s3"]).as_dir().child(run_id).as_dir()
    meta = tb["metadata"]
    claim_run(client, run, Owner(meta["namespace"], meta["name"], meta["uid"]))
    for key in ("model.safetensors", "data/posts.jsonl.gz", "checkpoints/step-10/state.pt"):
        client.put_object(Bucket=run.bucket, Key=run.child(key).key, Body=b"x")
    return run


def test_takedown_blocks_the_handle_and_removes_every_bot_of_it(
    s3_env: dict[str, str], s3_bucket: str, s3_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = f"s3://{s3_bucket}/bots/"
    mine = bot("spiral", "team-a", ["@SpiralToo"], prefix, hub={"repo": "someone/spiral"})
    again = bot("spiral-copy", "team-b", ["spiraltoo", "other"], prefix)
    other = bot("other", "team-a", ["other"], prefix)
    runs = {name: make_run(s3_client, tb, f"{name}-g1") for name, tb in
            (("spiral", mine), ("spiral-copy", again), ("other", other))}
    cluster = FakeCluster([mine, again, other])
    cluster.core.maps[("tweetbot-system", "tweetbot-blocked-handles")] = {"handles": "# requests\nsomeone\n"}
    monkeypatch.setenv("HF_TOKEN", "hf-test-token-not-a-secret")
    deleted_repos: list[str] = []

    report = takedown.takedown(cluster, "@spiraltoo", None, delete_repo=lambda repo, _token: deleted_repos.append(repo))

    assert cluster.core.maps[("tweetbot-system", "tweetbot-blocked-handles")]["handles"] == \
        "# requests\nsomeone\nspiraltoo\n"
    assert sorted(cluster.custom.deleted) == [("team-a", "spiral"), ("team-b", "spiral-copy")]
    assert deleted_repos == ["someone/spiral"] and report.left == []
    for name in ("spiral", "spiral-copy"):
        assert list(list_keys(s3_client, runs[name])) == []
    assert len(list(list_keys(s3_client, runs["other"]))) == 4  # marker + 3 files: not this handle's
    assert any("posts" in line for line in report.lines())


def test_takedown_says_what_it_could_not_remove(
    s3_env: dict[str, str], s3_bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    cluster = FakeCluster([bot("spiral", "default", ["spiraltoo"], f"s3://{s3_bucket}/b/", hub={"repo": "a/b"})])
    report = takedown.takedown(cluster, "spiraltoo", "default")
    assert report.left == ["hub repository a/b: no HF_TOKEN in this shell; delete it on the hub"]
    assert cluster.core.maps[("tweetbot-system", "tweetbot-blocked-handles")] == {"handles": "spiraltoo\n"}
    assert cluster.custom.deleted == [("default", "spiral")]


def test_the_plugin_parses_takedown() -> None:
    from kubectl_tweetbot.cli import build_parser

    args = build_parser().parse_args(["takedown", "@spiraltoo", "-A"])
    assert args.handler is takedown.run and args.all_namespaces and args.handle == "@spiraltoo"
