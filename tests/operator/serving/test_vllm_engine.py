"""serving.engine vllm, the pure side: the pod (an init container fetching the run, vLLM on the pod's loopback,
tweetbot-serve as the one front door), the default engine, and the spec checks (the CRD and the operator's own)
that keep vLLM behind the front door."""

from __future__ import annotations

from typing import Any

import pytest
from tweetbot_operator.serving.deployment import build_deployment, serving_status
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec.engines import owned_flag, serving_engine
from tweetbot_operator.spec.validation import serving_errors, validate_spec

from tests.deploy.render import all_errors
from tests.operator.factories import tweetbot
from tests.support.k8s_fixtures import CRD
from tests.support.k8s_schema import admit, version_schema

MODEL = "s3://bots/spiraltoo/spiraltoo-g1/"
VLLM = {"enabled": True, "engine": "vllm", "apiKeySecret": {"name": "bot-key"},
        "vllm": {"args": ["--max-model-len=512", "--enforce-eager"]}}
OUTPUT = {"s3": "s3://bots/spiraltoo/", "endpoint": "https://minio.internal:9000",
          "credentialsSecret": {"name": "s3-creds"}, "caBundle": {"name": "corp-ca"}}


def pod_of(serving: dict[str, Any], settings: Settings | None = None, **spec: Any) -> dict[str, Any]:
    deployment = build_deployment(tweetbot(serving=serving, **spec), MODEL, settings or Settings())
    assert all_errors([deployment]) == []  # a pod the API server takes
    return dict(deployment["spec"]["template"]["spec"])


def env_names(container: dict[str, Any]) -> set[str]:
    return {e["name"] for e in container.get("env", [])}


def test_the_init_container_fetches_the_run_and_alone_reads_s3() -> None:
    pod = pod_of(VLLM, output=OUTPUT)
    [fetch] = pod["initContainers"]
    assert fetch["command"] == ["tweetbot-train"]
    assert fetch["args"] == ["fetch-model", "--model", MODEL, "--to", "/models/run",
                             "--s3-endpoint", "https://minio.internal:9000"]
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_CA_BUNDLE"} <= env_names(fetch)
    assert {"name": "ca-bundle", "mountPath": "/etc/tweetbot/ca", "readOnly": True} in fetch["volumeMounts"]
    front, engine = pod["containers"]
    for container in (front, engine):  # neither holds S3 credentials nor the run's address
        assert not any(name.startswith("AWS_") for name in env_names(container)), container["name"]
        assert MODEL not in container["args"]
        assert {"name": "models", "mountPath": "/models", "readOnly": True} in container["volumeMounts"]
    assert all(c["securityContext"]["readOnlyRootFilesystem"] for c in [fetch, front, engine])


def test_vllm_listens_on_loopback_behind_the_front_door_with_the_key() -> None:
    front, engine = pod_of(VLLM, Settings(vllm_image="registry.internal/vllm-openai:v0.32.0"))["containers"]
    assert engine["image"] == "registry.internal/vllm-openai:v0.32.0"
    assert engine["command"] == ["python3", "-m", "vllm.entrypoints.openai.api_server"]
    assert engine["args"] == ["--model", "/models/run", "--served-model-name", "spiraltoo", "--host", "127.0.0.1",
                              "--port", "8001", "--max-model-len=512", "--enforce-eager"]
    assert "ports" not in engine and "readinessProbe" not in engine  # nothing of it faces the pod network
    assert engine["env"][0] == {"name": "HOME", "value": "/tmp"}
    assert front["command"] == ["tweetbot-serve"] and front["args"][:2] == ["--model", "/models/run"]
    assert front["args"][-4:] == ["--upstream", "http://127.0.0.1:8001", "--upstream-model", "spiraltoo"]
    assert "--api-key-env" in front["args"] and "TWEETBOT_API_KEY" in env_names(front)
    assert "TWEETBOT_API_KEY" not in env_names(engine)
    assert front["readinessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}


def test_gpus_go_to_vllm_which_is_the_default_engine_on_gpus() -> None:
    gpu = {"enabled": True, "resources": {"gpus": 1, "memory": "24Gi"}}
    pod = pod_of(gpu)
    front, engine = pod["containers"]
    assert engine["resources"]["limits"] == {"memory": "24Gi", "nvidia.com/gpu": "1"}
    assert "nvidia.com/gpu" not in str(front["resources"]) and front["resources"]["limits"] == {"memory": "1Gi"}
    assert {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}} in pod["volumes"]
    [torch] = pod_of({**gpu, "engine": "tweetbot"})["containers"]  # asked for: the torch engine on the GPU
    assert torch["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert [c["name"] for c in pod_of({"enabled": True})["containers"]] == ["serve"]  # CPU: tweetbot
    assert (serving_engine({}), serving_engine(gpu), serving_engine({**gpu, "engine": "tweetbot"})) == (
        "tweetbot", "vllm", "tweetbot")


def test_status_names_the_engine_the_deployment_runs() -> None:
    tb = tweetbot(serving=VLLM)
    assert serving_status(tb, build_deployment(tb, MODEL, Settings()))["engine"] == "vllm"  # type: ignore[index]


@pytest.mark.parametrize("arg, owned", [
    ("--host=0.0.0.0", "--host"), ("--hos", "--host"), ("--served_model_name", "--served-model-name"),
    ("--port", "--port"), ("--model=/elsewhere", "--model"), ("--api-key=x", "--api-key"),
    ("--data-parallel-address=0.0.0.0", "--data-parallel-address"), ("--headless", "--headless"),
    ("--max-model-len=2048", None), ("--enforce-eager", None), ("float32", None), ("--m", None),
])
def test_vllm_args_may_not_set_the_operators_flags(arg: str, owned: str | None) -> None:
    assert owned_flag(arg) == owned
    errors = serving_errors({"enabled": True, "vllm": {"args": ["--dtype", arg]}})
    assert bool(errors) == (owned is not None)
    if owned:
        assert errors[0].startswith(f"spec.serving.vllm.args[1] sets {owned}, which the operator sets")


def test_crd_and_operator_refuse_an_engine_with_kserve() -> None:
    schema = version_schema(CRD, "v1alpha1")
    stored, errors = admit(schema, tweetbot(serving=VLLM))
    assert errors == [] and stored["spec"]["serving"]["vllm"]["args"] == ["--max-model-len=512", "--enforce-eager"]
    for serving in ({"enabled": True, "runtime": "kserve", "engine": "vllm"},
                    {"enabled": True, "runtime": "kserve", "vllm": {"args": []}}):
        _, errors = admit(schema, tweetbot(serving=serving))
        assert errors and "apply only with serving.runtime: deployment" in errors[0], errors
        assert "apply only with serving.runtime: deployment" in validate_spec(tweetbot(serving=serving)["spec"])[0]
    _, errors = admit(schema, tweetbot(serving={"enabled": True, "engine": "tgi"}))
    assert errors
    assert serving_errors({"engine": "tgi"}) == ["spec.serving.engine must be one of tweetbot, vllm"]


def test_an_adapter_only_lora_run_is_served_as_base_plus_adapter() -> None:
    lora = {"training": {"lora": {"rank": 12}}, "output": {**OUTPUT, "merge": False}}
    pod = pod_of(VLLM, baseModel="s3://models/llama-8b/", **lora)
    [fetch] = pod["initContainers"]
    assert fetch["args"][:8] == ["fetch-model", "--model", MODEL, "--to", "/models/run",
                                 "--base", "s3://models/llama-8b/", "--base-to"]
    engine = pod["containers"][1]
    assert engine["args"][:4] == ["--model", "/models/base", "--served-model-name", "spiraltoo-base"]
    assert engine["args"][8:14] == ["--enable-lora", "--max-lora-rank", "16", "--lora-modules",
                                    "spiraltoo=/models/run/adapter", "--max-model-len=512"]
    assert {"name": "HF_HUB_OFFLINE", "value": "1"} in engine["env"]
    hub = pod_of(VLLM, baseModel="meta-llama/Llama-3.1-8B", baseModelTokenSecret={"name": "hf"}, **lora)
    assert "--base" not in hub["initContainers"][0]["args"]  # vLLM downloads a hub model itself, with the token
    engine = hub["containers"][1]
    assert engine["args"][:2] == ["--model", "meta-llama/Llama-3.1-8B"]
    assert "HF_HUB_OFFLINE" not in env_names(engine) and "HF_TOKEN" in env_names(engine)
    merged = pod_of(VLLM, **{**lora, "output": OUTPUT})["containers"][1]  # merge (the default): the run itself
    assert merged["args"][:2] == ["--model", "/models/run"] and "--enable-lora" not in merged["args"]


def test_a_lora_rank_above_vllms_largest_is_refused_for_an_adapter_only_run() -> None:
    spec = tweetbot(serving=VLLM, training={"lora": {"rank": 1024}}, output={**OUTPUT, "merge": False})["spec"]
    assert validate_spec(spec) == ["spec.training.lora.rank 1024 is above vLLM's largest LoRA rank (512): serve "
                                   "the merged model (output.merge) or lower the rank"]
    assert validate_spec({**spec, "output": OUTPUT}) == []  # the merged model: no LoRA in vLLM
    assert validate_spec({**spec, "output": OUTPUT, "serving": {"enabled": True}}) == []  # tweetbot, merged


@pytest.mark.parametrize("serving", [{"enabled": True}, {"enabled": True, "engine": "tweetbot"},
                                     {"enabled": True, "runtime": "kserve"}])
def test_an_adapter_only_run_is_refused_where_no_vllm_serves_it(serving: dict[str, Any]) -> None:
    """The torch engine and KServe's huggingface runtime load a full model: an adapter alone would crash-loop."""
    spec = tweetbot(serving=serving, training={"lora": {"rank": 8}}, output={**OUTPUT, "merge": False})["spec"]
    assert validate_spec(spec) == ["spec.output.merge false publishes only a LoRA adapter, which only "
                                   "serving.engine vllm serves (runtime deployment): set serving.engine vllm, "
                                   "or output.merge true for the full model"]
    assert validate_spec({**spec, "serving": {"enabled": False}}) == []  # trained, not served: fine


def served(last_run: dict[str, Any], **spec: Any) -> dict[str, Any]:
    """The vLLM pod of a TweetBot whose status says the run at MODEL published `last_run`."""
    tb = tweetbot(serving=VLLM, **spec)
    tb["status"] = {"modelURI": MODEL, "lastSuccessfulRun": {"runId": "spiraltoo-g1", "modelURI": MODEL, **last_run}}
    deployment = build_deployment(tb, MODEL, Settings())
    return dict(deployment["spec"]["template"]["spec"])


def test_the_served_run_is_served_as_it_was_published_not_as_the_spec_says_now() -> None:
    """An edit of merge, rank or baseModel starts a new run; until it succeeds the old run is still served, and
    vLLM must load it as that run was published (its trainer reports it: status.lastSuccessfulRun)."""
    adapter_run = {"published": "adapter", "baseModel": "s3://models/llama-8b/", "loraRank": 12}
    pod = served(adapter_run, baseModel="s3://models/qwen-7b/", training={"lora": {"rank": 64}})  # merge now on
    assert pod["initContainers"][0]["args"][5:7] == ["--base", "s3://models/llama-8b/"]
    assert pod["containers"][1]["args"][8:12] == ["--enable-lora", "--max-lora-rank", "16", "--lora-modules"]
    merged_run = {"published": "model", "baseModel": "gpt2", "loraRank": 8}
    pod = served(merged_run, training={"lora": {"rank": 8}}, output={**OUTPUT, "merge": False})  # merge now off
    assert pod["containers"][1]["args"][:2] == ["--model", "/models/run"]
    assert "--enable-lora" not in pod["containers"][1]["args"] and "--base" not in pod["initContainers"][0]["args"]
    # A run of an older trainer (nothing reported) is taken as the spec says.
    pod = served({}, training={"lora": {"rank": 8}}, output={**OUTPUT, "merge": False})
    assert "--enable-lora" in pod["containers"][1]["args"]


def test_a_report_of_another_run_is_not_applied() -> None:
    """status.lastSuccessfulRun speaks for the run at its own modelURI only."""
    tb = tweetbot(serving=VLLM)
    tb["status"] = {"lastSuccessfulRun": {"modelURI": "s3://bots/spiraltoo/spiraltoo-g0/", "published": "adapter",
                                          "baseModel": "gpt2", "loraRank": 8}}
    engine = build_deployment(tb, MODEL, Settings())["spec"]["template"]["spec"]["containers"][1]
    assert "--enable-lora" not in engine["args"]
