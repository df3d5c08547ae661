"""The pure Job builder: the training Job's spec follows the TweetBot and the design's contract."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tweetbot_operator.deletion.cleanup_job import build_cleanup_job
from tweetbot_operator.settings import Settings, SettingsError
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.fields import placement_hash, run_spec_hash
from tweetbot_operator.spec.validation import validate_spec
from tweetbot_operator.training.job import build_training_job

from tests.operator.factories import specs, tweetbot, uid_of

UID = uid_of("spiraltoo")
UID8 = UID.replace("-", "")[:8]

SETTINGS = Settings(default_s3_endpoint="http://minio:9000", trainer_service_account="trainer")


def container(job: dict[str, Any]) -> dict[str, Any]:
    return job["spec"]["template"]["spec"]["containers"][0]


def env_of(job: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container(job)["env"]}


def test_training_job_runs_the_trainer_with_the_design_arguments():
    tb = tweetbot(training={"epochs": 2, "maxSteps": 50, "batchSize": 8, "globalBatchSize": 32})
    job = build_training_job(tb, SETTINGS)
    assert job["metadata"]["name"] == "spiraltoo-g1"
    assert container(job)["command"] == ["tweetbot-train"]
    assert container(job)["args"] == [
        "run", "--user", "spiraltoo", "--source", "archive", "--source-uri", "s3://bots/archives/spiraltoo.zip",
        "--base-model", "gpt2", "--output", "s3://bots/spiraltoo/", "--run-id", f"spiraltoo-{UID8}-g1",
        "--epochs", "2", "--learning-rate", "0.0001372", "--block-size", "1024", "--seed", "42",
        "--batch-size", "8", "--global-batch-size", "32", "--max-steps", "50", "--precision", "auto",
        "--s3-endpoint", "http://minio:9000", "--keep-runs", "3", "--no-local-sources",
        "--owner", f"default/spiraltoo/{UID}",
        "--termination-log", "/dev/termination-log",
    ]


def test_lora_and_gradient_checkpointing_reach_the_trainer():
    tb = tweetbot(training={"lora": {"rank": 16, "alpha": 32, "dropout": 0.1, "targetModules": ["q_proj", "v_proj"]},
                            "gradientCheckpointing": "on"})
    tb["spec"]["output"]["merge"] = False
    args = container(build_training_job(tb, SETTINGS))["args"]
    start = args.index("--lora-rank")
    assert args[start : start + 9] == ["--lora-rank", "16", "--lora-alpha", "32", "--lora-dropout", "0.1",
                                       "--lora-target-modules", "q_proj,v_proj", "--no-merge"]
    assert args[args.index("--gradient-checkpointing") + 1] == "on"
    assert validate_spec(tb["spec"]) == []


def test_rank_0_is_a_full_fine_tune_and_merge_matters_only_with_lora():
    tb = tweetbot(training={"lora": {"rank": 0, "alpha": 8}})
    tb["spec"]["output"]["merge"] = False
    args = container(build_training_job(tb, SETTINGS))["args"]
    assert not {"--lora-rank", "--lora-alpha", "--no-merge"} & set(args)
    peft_defaults = container(build_training_job(tweetbot(training={"lora": {"rank": 8}}), SETTINGS))["args"]
    start = peft_defaults.index("--lora-rank")
    assert peft_defaults[start + 1] == "8"  # alpha, dropout and targets: the trainer's and peft's defaults
    assert not {"--lora-alpha", "--lora-dropout", "--lora-target-modules", "--no-merge"} & set(peft_defaults)


def test_training_job_metadata_owner_and_labels():
    tb = tweetbot(generation=3)
    tb["metadata"]["labels"] = {c.LABEL_KUEUE_QUEUE: "gpu-queue", "other": "x"}
    job = build_training_job(tb, SETTINGS)
    meta = job["metadata"]
    assert meta["ownerReferences"] == [{
        "apiVersion": "tweetbot.io/v1alpha1", "kind": "TweetBot", "name": "spiraltoo", "uid": UID,
        "controller": True, "blockOwnerDeletion": True,
    }]
    assert meta["labels"][c.LABEL_APP] == "tweetbot"
    assert meta["labels"][c.LABEL_NAME] == "spiraltoo"
    assert meta["labels"][c.LABEL_GENERATION] == "3"
    assert meta["labels"][c.LABEL_RUN_ID] == f"spiraltoo-{UID8}-g3"
    assert meta["labels"][c.LABEL_KUEUE_QUEUE] == "gpu-queue"
    assert "other" not in meta["labels"]
    assert c.LABEL_KUEUE_QUEUE not in job["spec"]["template"]["metadata"]["labels"]
    assert job["spec"]["suspend"] is True  # Kueue unsuspends on admission


def test_training_job_pod_spec_is_locked_down_and_uses_gpus():
    tb = tweetbot(resources={"gpus": 2, "cpu": "8", "memory": "32Gi"}, priorityClassName="batch-high",
                  nodeSelector={"pool": "a100"}, affinity={"nodeAffinity": {}},
                  tolerations=[{"key": "spot", "operator": "Exists"}])
    job = build_training_job(tb, SETTINGS)
    spec = job["spec"]
    pod = spec["template"]["spec"]
    assert spec["podFailurePolicy"]["rules"][0] == {
        "action": "FailJob", "onExitCodes": {"containerName": "trainer", "operator": "In", "values": [2]}}
    assert spec["podFailurePolicy"]["rules"][1]["action"] == "Ignore"
    assert spec["podFailurePolicy"]["rules"][1]["onPodConditions"][0]["type"] == "DisruptionTarget"
    assert spec["backoffLimit"] == 2 and spec["ttlSecondsAfterFinished"] == 86400 and spec["suspend"] is False
    assert pod["restartPolicy"] == "Never"
    assert pod["automountServiceAccountToken"] is False
    assert pod["serviceAccountName"] == "trainer"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["nodeSelector"] == {"pool": "a100"}
    assert pod["priorityClassName"] == "batch-high"
    assert pod["affinity"] == {"nodeAffinity": {}}
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in pod["tolerations"]
    assert {"key": "spot", "operator": "Exists"} in pod["tolerations"]
    ctr = container(job)
    assert ctr["resources"] == {"requests": {"nvidia.com/gpu": "2", "cpu": "8", "memory": "32Gi"},
                                "limits": {"nvidia.com/gpu": "2", "memory": "32Gi"}}
    assert ctr["terminationMessagePath"] == "/dev/termination-log"
    assert ctr["terminationMessagePolicy"] == "FallbackToLogsOnError"
    assert ctr["securityContext"]["readOnlyRootFilesystem"] is True
    mounts = {m["mountPath"] for m in ctr["volumeMounts"]}
    assert {"/tmp", "/cache"} <= mounts
    assert env_of(job)["HF_HOME"] == "/cache/huggingface"


def test_secrets_only_by_reference():
    tb = tweetbot(source={"xApi": {"tokenSecret": {"name": "x-token"}}},
                  output={"s3": "s3://bots/x/", "credentialsSecret": {"name": "s3"},
                          "hub": {"repo": "me/bot", "tokenSecret": {"name": "hf", "key": "write"}}})
    job = build_training_job(tb, SETTINGS)
    env = env_of(job)
    assert env["X_BEARER_TOKEN"] == {"secretKeyRef": {"name": "x-token", "key": "token", "optional": False}}
    assert env["AWS_ACCESS_KEY_ID"] == {"secretKeyRef": {"name": "s3", "key": "AWS_ACCESS_KEY_ID", "optional": False}}
    assert env["HF_TOKEN"] == {"secretKeyRef": {"name": "hf", "key": "write", "optional": False}}
    args = container(job)["args"]
    assert args[args.index("--source") + 1] == "x-api"
    assert args[args.index("--token-env") + 1] == "X_BEARER_TOKEN"
    assert args[args.index("--hub-repo") + 1] == "me/bot"


def test_defaults_from_settings():
    settings = Settings(default_credentials_secret="shared-s3", default_gpus=0,
                        default_node_selector={"gpu": "yes"}, trainer_image="registry/trainer:9")
    job = build_training_job(tweetbot(output={"s3": "s3://b/p/"}), settings)
    pod = job["spec"]["template"]["spec"]
    assert container(job)["image"] == "registry/trainer:9"
    assert "resources" not in container(job) or "nvidia.com/gpu" not in str(container(job)["resources"])
    assert pod["nodeSelector"] == {"gpu": "yes"}
    assert env_of(job)["AWS_SECRET_ACCESS_KEY"]["secretKeyRef"]["name"] == "shared-s3"
    assert "--s3-endpoint" not in container(job)["args"]


def test_scheduled_run_and_long_names_fit_63_characters():
    long_name = "a" * 200
    slot = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    job = build_training_job(tweetbot(name=long_name, generation=12), SETTINGS, slot=slot)
    assert len(job["metadata"]["name"]) <= 63
    expected = f"{long_name}-{uid_of(long_name)[:8]}-g12-202611250300"
    assert job["metadata"]["annotations"][c.ANNOTATION_RUN_ID] == expected
    assert all(len(v) <= 63 for v in job["metadata"]["labels"].values())
    other = build_training_job(tweetbot(name=long_name, generation=13), SETTINGS, slot=slot)
    assert other["metadata"]["name"] != job["metadata"]["name"]


def test_spec_hash_ignores_fields_that_do_not_start_a_run():
    spec = tweetbot()["spec"]
    assert run_spec_hash(spec) == run_spec_hash({**spec, "suspend": True, "schedule": "0 3 * * *"})
    assert run_spec_hash(spec) != run_spec_hash({**spec, "baseModel": "gpt2-medium"})
    # Placement fields move the run to a new Job, same run: they change the placement hash, not the model's.
    placed = {**spec, "backoffLimit": 5, "priorityClassName": "low", "tolerations": [{"key": "spot"}]}
    assert run_spec_hash(placed) == run_spec_hash(spec) and placement_hash(placed) != placement_hash(spec)
    kept = {**spec, "output": {**spec["output"], "keepRuns": 7}}
    assert run_spec_hash(kept) == run_spec_hash(spec) and placement_hash(kept) == placement_hash(spec)
    assert placement_hash({**spec, "suspend": True}) == placement_hash(spec)


def test_cleanup_job_deletes_all_runs_with_the_same_credentials():
    job = build_cleanup_job(tweetbot(deletionPolicy="Delete", resources={"gpus": 4}), SETTINGS)
    ctr = container(job)
    assert ctr["args"] == ["delete", "--output", "s3://bots/spiraltoo/", "--owner", f"default/spiraltoo/{UID}",
                           "--s3-endpoint", "http://minio:9000"]
    assert env_of(job)["AWS_ACCESS_KEY_ID"]["secretKeyRef"]["name"] == "s3-creds"
    assert "nvidia.com/gpu" not in str(ctr["resources"])
    assert job["metadata"]["labels"][c.LABEL_COMPONENT] == "cleanup"
    assert job["spec"]["activeDeadlineSeconds"] > 0




@settings(max_examples=150, deadline=None)
@given(spec=specs, name=st.from_regex(r"[a-z][a-z0-9-]{0,80}[a-z0-9]", fullmatch=True), gen=st.integers(1, 10**6))
def test_generated_specs_give_consistent_jobs(spec, name, gen):
    tb = tweetbot(name=name, generation=gen)
    tb["spec"] = spec
    assert validate_spec(spec) == []
    job = build_training_job(tb, SETTINGS)
    args = container(job)["args"]
    assert len(job["metadata"]["name"]) <= 63
    assert all(len(v) <= 63 for v in job["metadata"]["labels"].values())
    assert args[:1] == ["run"]
    assert args.count("--user") == len(spec["users"])
    assert args[args.index("--run-id") + 1] == f"{name}-{uid_of(name).replace('-', '')[:8]}-g{gen}"
    assert args[args.index("--output") + 1] == "s3://bucket/prefix/"
    gpus = spec.get("resources", {}).get("gpus", SETTINGS.default_gpus)
    limits = container(job).get("resources", {}).get("limits", {})
    assert limits.get("nvidia.com/gpu") == (str(gpus) if gpus else None)
    assert job["spec"]["suspend"] == spec.get("suspend", False)
    # Secrets appear only as references, never as values.
    for entry in container(job)["env"]:
        assert "value" in entry or entry["valueFrom"]["secretKeyRef"]["optional"] is False
    assert build_training_job(tb, SETTINGS) == job  # deterministic


def test_gpus_n_starts_one_training_process_per_gpu():
    def args(gpus: int) -> list[str]:
        return container(build_training_job(tweetbot(resources={"gpus": gpus}), SETTINGS))["args"]

    four = args(4)
    assert four[four.index("--nproc-per-node") + 1] == "4"
    assert four[-2:] == ["--termination-log", "/dev/termination-log"]
    assert "--nproc-per-node" not in args(1) and "--nproc-per-node" not in args(0)


def test_a_model_cache_claim_keeps_base_models_across_runs():
    cached = Settings(**{**SETTINGS.__dict__, "model_cache_claim": "hf-cache"})
    job = build_training_job(tweetbot(), cached)
    volumes = {v["name"]: v for v in job["spec"]["template"]["spec"]["volumes"]}
    assert volumes["cache"] == {"name": "cache", "persistentVolumeClaim": {"claimName": "hf-cache"}}
    assert env_of(job)["HF_HOME"] == "/cache/huggingface"
    assert {"name": "cache", "mountPath": "/cache"} in container(job)["volumeMounts"]
    assert "emptyDir" in {v["name"]: v for v in build_training_job(tweetbot(), SETTINGS)["spec"]["template"]["spec"]
                          ["volumes"]}["cache"]
    cleanup = {v["name"]: v for v in build_cleanup_job(tweetbot(), cached)["spec"]["template"]["spec"]["volumes"]}
    assert "emptyDir" in cleanup["cache"]  # the cleanup needs no model
def test_gpu_resource_name_comes_from_the_tweetbot_else_the_operator():
    """Issue 14: a GPU that is not NVIDIA's. The TweetBot's resources.gpuResourceName wins over the setting."""
    amd = build_training_job(tweetbot(resources={"gpus": 2, "gpuResourceName": "amd.com/gpu"}), SETTINGS)
    pod = amd["spec"]["template"]["spec"]
    assert pod["containers"][0]["resources"]["limits"] == {"amd.com/gpu": "2"}
    assert [t["key"] for t in pod["tolerations"]] == ["amd.com/gpu"]  # its taint, not nvidia.com/gpu's
    intel = Settings(default_gpu_resource="gpu.intel.com/i915")
    pod = build_training_job(tweetbot(resources={"gpus": 1}), intel)["spec"]["template"]["spec"]
    assert pod["containers"][0]["resources"]["limits"] == {"gpu.intel.com/i915": "1"}
    env = {"TWEETBOT_DEFAULT_GPU_RESOURCE_NAME": "amd.com/gpu"}
    assert Settings.from_env(env).default_gpu_resource == "amd.com/gpu"
    with pytest.raises(SettingsError, match="TWEETBOT_DEFAULT_GPU_RESOURCE_NAME"):
        Settings.from_env({"TWEETBOT_DEFAULT_GPU_RESOURCE_NAME": "gpu"})


def test_a_gated_base_model_gets_its_own_token():
    """Issue 14: spec.baseModelTokenSecret is HF_TOKEN (downloads); the push token then has its own variable."""
    hub = {"repo": "me/bot", "tokenSecret": {"name": "hf", "key": "write"}}
    tb = tweetbot(baseModel="meta/gated", baseModelTokenSecret={"name": "hf-read"},
                  output={"s3": "s3://bots/x/", "hub": hub})
    job = build_training_job(tb, SETTINGS)
    env = env_of(job)
    assert env["HF_TOKEN"] == {"secretKeyRef": {"name": "hf-read", "key": "token", "optional": False}}
    assert env["HF_HUB_PUSH_TOKEN"] == {"secretKeyRef": {"name": "hf", "key": "write", "optional": False}}
    args = container(job)["args"]
    assert args[args.index("--hub-token-env") + 1] == "HF_HUB_PUSH_TOKEN"
    only_read = env_of(build_training_job(tweetbot(baseModelTokenSecret={"name": "r", "key": "k"}), SETTINGS))
    assert only_read["HF_TOKEN"] == {"secretKeyRef": {"name": "r", "key": "k", "optional": False}}
    assert "HF_HUB_PUSH_TOKEN" not in only_read
    assert validate_spec(tweetbot(baseModelTokenSecret={})["spec"]) == [
        "spec.baseModelTokenSecret.name is required (the Secret holding the Hub read token)"]
