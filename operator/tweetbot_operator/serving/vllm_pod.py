"""serving.engine vllm, pure builders: the pod's init container fetching the run from S3 (checked against its
manifest), vLLM's OpenAI server on the pod's loopback, and tweetbot-serve as the pod's one front door.

Why a front door rather than vLLM on the Service: the playground page, /api/bot, the API key, the Host checks and
the request limits are tweetbot-serve's, and a client must meet the same ones whichever engine generates. vLLM
listens on 127.0.0.1 only, so no other pod can reach it around them. The init container is the trainer image
(the same credentials and CA bundle rules as training); vLLM's image then loads a local folder, offline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_operator.k8s.container_env import base_env, base_model_env, credential_env, s3_endpoint
from tweetbot_operator.k8s.pods import container_security, gpu_resource
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec.engines import VLLM_LORA_RANKS, Adapter, served_adapter, vllm_lora_rank

VLLM_CONTAINER = "vllm"
FETCH_CONTAINER = "fetch-model"
VLLM_PORT = 8001  # on the pod's loopback only
RUN_DIR = "/models/run"
BASE_DIR = "/models/base"
VLLM_MODULE = "vllm.entrypoints.openai.api_server"
# vLLM writes caches under HOME, XDG and its own roots: all on the /tmp emptyDir (the root filesystem is read-only).
VLLM_ENV = {"HOME": "/tmp", "XDG_CACHE_HOME": "/tmp/.cache", "XDG_CONFIG_HOME": "/tmp/.config",
            "HF_HOME": "/tmp/huggingface", "VLLM_CACHE_ROOT": "/tmp/vllm", "VLLM_CONFIG_ROOT": "/tmp/vllm-config",
            "TRITON_CACHE_DIR": "/tmp/triton", "HF_HUB_OFFLINE": "1", "VLLM_NO_USAGE_STATS": "1",
            "DO_NOT_TRACK": "1"}
FRONT_DOOR_RESOURCES = {"requests": {"cpu": "250m", "memory": "1Gi"}, "limits": {"memory": "1Gi"}}


def vllm_args(name: str, spec: Mapping[str, Any], adapter: Adapter | None) -> list[str]:
    """The run under the bot's name; an adapter-only LoRA run as its base model plus the adapter, named so."""
    extra = [str(arg) for arg in ((spec.get("serving") or {}).get("vllm") or {}).get("args") or []]
    where = ["--host", "127.0.0.1", "--port", str(VLLM_PORT)]
    if adapter is None:
        return ["--model", RUN_DIR, "--served-model-name", name, *where, *extra]
    rank = vllm_lora_rank(adapter.rank) or VLLM_LORA_RANKS[-1]  # a larger rank fails in vLLM, which says so
    return ["--model", base_model_arg(adapter), "--served-model-name", f"{name}-base", *where, "--enable-lora",
            "--max-lora-rank", str(rank), "--lora-modules", f"{name}={RUN_DIR}/adapter", *extra]


def base_model_arg(adapter: Adapter) -> str:
    """Where vLLM loads an adapter-only run's base: fetched by the init container when on S3, else by vLLM."""
    return BASE_DIR if adapter.base_model.startswith("s3://") else adapter.base_model


def fetch_container(spec: Mapping[str, Any], model_uri: str, adapter: Adapter | None,
                    settings: Settings) -> dict[str, Any]:
    """The init container: the run's files into the models volume, each checked against the run's manifest."""
    endpoint = s3_endpoint(spec, settings)
    return {
        "name": FETCH_CONTAINER,
        "image": spec.get("image") or settings.trainer_image,
        "imagePullPolicy": "IfNotPresent",
        "command": ["tweetbot-train"],
        "args": ["fetch-model", "--model", model_uri, "--to", RUN_DIR,
                 *(["--base", adapter.base_model, "--base-to", BASE_DIR]
                   if adapter is not None and base_model_arg(adapter) == BASE_DIR else []),
                 *(["--s3-endpoint", endpoint] if endpoint else [])],
        "env": base_env() + credential_env(spec, settings),
        "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": {"memory": "512Mi"}},
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}, {"name": "models", "mountPath": "/models"}],
        "securityContext": container_security(),
    }


def vllm_container(tb: Mapping[str, Any], adapter: Adapter | None, resources: dict[str, Any],
                   settings: Settings) -> dict[str, Any]:
    """vLLM's OpenAI server on the fetched run, with the serving pod's resources (its GPUs) and no probes of its
    own: it answers on loopback only, and the front door's readiness asks it (/health) for the pod."""
    return {
        "name": VLLM_CONTAINER,
        "image": settings.vllm_image,
        "imagePullPolicy": "IfNotPresent",
        "command": ["python3", "-m", VLLM_MODULE],
        "args": vllm_args(tb["metadata"]["name"], tb["spec"], adapter),
        "env": vllm_env(tb["spec"], adapter),
        "resources": resources,
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}, {"name": "dshm", "mountPath": "/dev/shm"},
                         {"name": "models", "mountPath": "/models", "readOnly": True}],
        "securityContext": container_security(),
    }


def vllm_env(spec: Mapping[str, Any], adapter: Adapter | None) -> list[dict[str, Any]]:
    """Offline on the fetched files; a hub base model (adapter-only runs) is downloaded, with its token if any."""
    if adapter is None or base_model_arg(adapter) == BASE_DIR:
        return [{"name": key, "value": value} for key, value in VLLM_ENV.items()]
    online = [{"name": key, "value": value} for key, value in VLLM_ENV.items() if key != "HF_HUB_OFFLINE"]
    return online + base_model_env(spec)


def front_door_args(args: list[str], name: str) -> list[str]:
    """tweetbot-serve's arguments as the front door: the run from the models volume (no S3), generation upstream."""
    out: list[str] = []
    pairs = iter(args)
    for arg in pairs:
        if arg in ("--model", "--s3-endpoint", "--cache-dir"):
            next(pairs, None)  # its value
            out += ["--model", RUN_DIR] if arg == "--model" else []
        else:
            out.append(arg)
    return [*out, "--upstream", f"http://127.0.0.1:{VLLM_PORT}", "--upstream-model", name]


def vllm_pod(tb: Mapping[str, Any], model_uri: str, settings: Settings, pod_spec: dict[str, Any],
             front: dict[str, Any]) -> None:
    """Turns the tweetbot engine's pod (`pod_spec`, whose container `front` is tweetbot-serve) into the vllm
    engine's: the GPUs and memory move to vLLM, the front door keeps a small share, both read the models volume."""
    spec, adapter = tb["spec"], served_adapter(tb, model_uri)
    gpu = gpu_resource(spec, settings)
    engine_resources = front["resources"]
    front["args"] = front_door_args(front["args"], tb["metadata"]["name"])
    front["env"] = [env for env in front["env"] if not env["name"].startswith("AWS_")]  # it reads no S3
    front["resources"] = {part: dict(values) for part, values in FRONT_DOOR_RESOURCES.items()}
    front["volumeMounts"] = [*front["volumeMounts"], {"name": "models", "mountPath": "/models", "readOnly": True}]
    pod_spec["initContainers"] = [fetch_container(spec, model_uri, adapter, settings)]
    pod_spec["containers"] = [front, vllm_container(tb, adapter, engine_resources, settings)]
    pod_spec["volumes"] = [*pod_spec["volumes"], {"name": "models", "emptyDir": {}},
                           {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}}]
    if gpu in (engine_resources.get("limits") or {}):
        pod_spec["terminationGracePeriodSeconds"] = 60  # vLLM frees the GPU before the next pod gets it
