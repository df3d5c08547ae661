"""Pure builders for serving a TweetBot's model (spec.serving): the Deployment running `tweetbot-serve` on the
latest successful run, its ClusterIP Service, and status.serving. Plain dicts, nothing sent anywhere.

The model a Deployment serves is in its pod template (args and an annotation), so a newer run changes the
template and the Deployment rolls to it the usual way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tweetbot_operator.k8s.container_env import base_env, credential_env, s3_endpoint
from tweetbot_operator.k8s.owned import base_labels, owner_reference
from tweetbot_operator.k8s.pods import container_security, finish_pod, gpu_resource, gpu_tolerations, pod_security
from tweetbot_operator.serving.vllm_pod import VLLM_CONTAINER, vllm_pod
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec.engines import serving_engine
from tweetbot_operator.spec.hashing import short_hash
from tweetbot_operator.spec.naming import dns_label

COMPONENT_SERVE = "serve"
SERVE_CONTAINER = "serve"
ANNOTATION_MODEL = "tweetbot.io/model-uri"
# The hash of the Deployment spec the operator last built: the live object carries the API server's defaults,
# so it is compared by this hash, and a change replaces the whole spec (keys the spec dropped go too).
ANNOTATION_HASH = "tweetbot.io/serving-hash"
DEFAULTS: dict[str, Any] = {"enabled": False, "runtime": "deployment", "replicas": 1, "port": 8000}
HEALTH_PATH = "/healthz"
API_KEY_ENV = "TWEETBOT_API_KEY"  # tweetbot-serve --api-key-env


def serving_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS, **(spec.get("serving") or {})}


def enabled(spec: Mapping[str, Any]) -> bool:
    return bool(serving_spec(spec)["enabled"])


def serving_name(name: str) -> str:
    """The Deployment's, Service's and InferenceService's name: a DNS-1035 label (a Service name), whatever the
    TweetBot's name (it may start with a digit or hold dots); `<name>-serve` when that already is one."""
    return dns_label(f"{name}-serve", letter_first=True)


def serving_url(tb: Mapping[str, Any]) -> str:
    meta = tb["metadata"]
    return f"http://{serving_name(meta['name'])}.{meta['namespace']}.svc:{serving_spec(tb['spec'])['port']}"


def labels(tb: Mapping[str, Any]) -> dict[str, str]:
    return base_labels(tb["metadata"]["name"], COMPONENT_SERVE)


def resources(serving: Mapping[str, Any], gpu: str = "nvidia.com/gpu") -> dict[str, Any]:
    """What each serving pod asks for; `gpu`: the extended resource its GPUs are asked for as."""
    res = serving.get("resources") or {}
    requests: dict[str, Any] = {"cpu": str(res.get("cpu", "500m")), "memory": str(res.get("memory", "2Gi"))}
    limits: dict[str, Any] = {"memory": requests["memory"]}
    if res.get("gpus"):
        requests[gpu] = limits[gpu] = str(res["gpus"])
    return {"requests": requests, "limits": limits}


def service_hosts(tb: Mapping[str, Any]) -> list[str]:
    """The names clients in the cluster reach the Service by: tweetbot-serve answers requests for these Hosts only
    (and for IP addresses: probes, scrapers), which keeps DNS-rebinding pages out when no key is set."""
    name, namespace = serving_name(tb["metadata"]["name"]), tb["metadata"].get("namespace")
    return [name, f"{name}.{namespace}", f"{name}.{namespace}.svc", f"{name}.{namespace}.svc.cluster.local"]


def serve_args(tb: Mapping[str, Any], model_uri: str, settings: Settings) -> list[str]:
    serving = serving_spec(tb["spec"])
    args = ["--model", model_uri, "--host", "0.0.0.0", "--port", str(int(serving["port"])),
            "--model-name", tb["metadata"]["name"], "--cache-dir", "/cache/model",
            "--allowed-host", *service_hosts(tb)]
    if serving.get("apiKeySecret"):
        args += ["--api-key-env", API_KEY_ENV]
    endpoint = s3_endpoint(tb["spec"], settings)
    return args + (["--s3-endpoint", endpoint] if endpoint else [])


def api_key_env(serving: Mapping[str, Any]) -> list[dict[str, Any]]:
    """spec.serving.apiKeySecret as the serving container's env var (by reference: the operator never reads it)."""
    ref = serving.get("apiKeySecret")
    if not ref:
        return []
    return [{"name": API_KEY_ENV, "valueFrom": {"secretKeyRef": {"name": ref["name"], "key": ref.get("key") or
                                                                  "apiKey", "optional": False}}}]


def build_deployment(tb: Mapping[str, Any], model_uri: str, settings: Settings) -> dict[str, Any]:
    """The Deployment serving `model_uri` (a finished run's s3:// folder). Expects a valid spec."""
    meta, spec = tb["metadata"], tb["spec"]
    serving = serving_spec(spec)
    pod_labels = labels(tb)
    probe = {"httpGet": {"path": HEALTH_PATH, "port": "http"}, "periodSeconds": 5}
    container = {
        "name": SERVE_CONTAINER,
        "image": spec.get("image") or settings.trainer_image,
        "imagePullPolicy": "IfNotPresent",
        "command": ["tweetbot-serve"],
        "args": serve_args(tb, model_uri, settings),
        "env": base_env() + credential_env(spec, settings) + api_key_env(serving),
        "ports": [{"name": "http", "containerPort": int(serving["port"]), "protocol": "TCP"}],
        "readinessProbe": probe,
        # Downloading and loading a model takes a while: liveness starts counting once it is ready.
        "startupProbe": {**probe, "failureThreshold": 120},
        "livenessProbe": {**probe, "periodSeconds": 20},
        "resources": resources(serving, gpu_resource(spec, settings)),
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}, {"name": "cache", "mountPath": "/cache"}],
        "securityContext": container_security(),
    }
    pod_spec: dict[str, Any] = {
        "automountServiceAccountToken": False,  # the server never talks to the API
        "enableServiceLinks": False,
        "securityContext": pod_security(settings),
        "containers": [container],
        "volumes": [{"name": "tmp", "emptyDir": {}}, {"name": "cache", "emptyDir": {}}],
    }
    gpus = int((serving.get("resources") or {}).get("gpus") or 0)
    tolerations = gpu_tolerations([], gpu_resource(spec, settings), gpus)  # GPU pools are tainted
    if tolerations:
        pod_spec["tolerations"] = tolerations
    pod_meta: dict[str, Any] = {"labels": pod_labels, "annotations": {ANNOTATION_MODEL: model_uri}}
    if serving_engine(serving) == "vllm":
        vllm_pod(tb, model_uri, settings, pod_spec, container)
        # The platform's pod settings and the S3 CA bundle go to the container that reads S3.
        finish_pod(spec, settings, pod_spec, pod_spec["initContainers"][0], pod_meta)
    else:
        finish_pod(spec, settings, pod_spec, container, pod_meta)
    # With GPUs, replace a pod at a time: a surge pod would wait for a spare GPU that a full pool never has.
    rolling = {"maxUnavailable": 1, "maxSurge": 0} if gpus else {"maxUnavailable": 0, "maxSurge": 1}
    body = {
        "replicas": int(serving["replicas"]),
        "selector": {"matchLabels": pod_labels},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": rolling},
        "template": {"metadata": pod_meta, "spec": pod_spec},
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": serving_name(meta["name"]), "namespace": meta.get("namespace"), "labels": pod_labels,
                     "annotations": {ANNOTATION_MODEL: model_uri, ANNOTATION_HASH: short_hash(body)},
                     "ownerReferences": [owner_reference(tb)]},
        "spec": body,
    }


def build_service(tb: Mapping[str, Any]) -> dict[str, Any]:
    meta = tb["metadata"]
    pod_labels = labels(tb)
    port = int(serving_spec(tb["spec"])["port"])
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": serving_name(meta["name"]), "namespace": meta.get("namespace"), "labels": pod_labels,
                     "ownerReferences": [owner_reference(tb)]},
        "spec": {"type": "ClusterIP", "selector": pod_labels,
                 "ports": [{"name": "http", "port": port, "targetPort": "http", "protocol": "TCP"}]},
    }


def deployment_model(deployment: Mapping[str, Any] | None) -> str | None:
    if not deployment:
        return None
    template = (deployment.get("spec") or {}).get("template") or {}
    return ((template.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION_MODEL)


def _annotations(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return (obj.get("metadata") or {}).get("annotations") or {}


def needs_update(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    """Whether the live Deployment was built from another spec than `wanted` (the hash annotation)."""
    return _annotations(current).get(ANNOTATION_HASH) != _annotations(wanted).get(ANNOTATION_HASH)


def update_patch(wanted: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A JSON patch putting the built replicas, strategy and pod template in place of the live ones (a merge
    patch would keep keys the spec no longer sets: runtimeClassName, serviceAccountName, labels) and our
    annotations over the live ones (anyone else's stay). The selector is immutable and never changes."""
    return [*({"op": "replace", "path": f"/spec/{key}", "value": wanted["spec"][key]}
              for key in ("replicas", "strategy", "template")), *annotation_ops(wanted)]


def annotation_ops(wanted: Mapping[str, Any]) -> list[dict[str, Any]]:
    """JSON patch ops setting `wanted`'s annotations on the live object, keeping anyone else's."""
    return [{"op": "add", "path": "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1"),
             "value": value} for key, value in _annotations(wanted).items()]


def rolled_out(deployment: Mapping[str, Any]) -> bool:
    """The rollout is done: the controller saw the current spec, every replica runs it and is available, and
    no replica of an older template is left (status.replicas counts old and new pods)."""
    status = deployment.get("status") or {}
    generation = (deployment.get("metadata") or {}).get("generation")
    want = int((deployment.get("spec") or {}).get("replicas", 1))
    observed = generation is None or int(status.get("observedGeneration") or 0) >= int(generation)
    updated, total = int(status.get("updatedReplicas") or 0), int(status.get("replicas") or 0)
    available = min(int(status.get("availableReplicas") or 0), int(status.get("readyReplicas") or 0))
    return observed and updated == want and total == updated and available >= want and want >= 1


def serving_status(tb: Mapping[str, Any], deployment: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """status.serving: where the bot answers, which run it serves, and whether a replica of that run is ready."""
    model = deployment_model(deployment)
    if deployment is None or model is None:
        return None
    containers = (((deployment.get("spec") or {}).get("template") or {}).get("spec") or {}).get("containers") or []
    engine = "vllm" if any(c.get("name") == VLLM_CONTAINER for c in containers) else "tweetbot"
    return {"url": serving_url(tb), "modelURI": model, "ready": rolled_out(deployment), "engine": engine}
