"""Pure builders for spec.serving.runtime: kserve: the KServe InferenceService (serving.kserve.io/v1beta1) that
serves the latest successful run with KServe's huggingface runtime (vLLM or transformers), status.serving and the
Serving condition from its status. Plain dicts, nothing sent anywhere.

KServe downloads `storageUri` itself (its storage initializer, with the S3 credentials of the predictor's
ServiceAccount), so the operator passes no credentials: a newer run changes storageUri and KServe rolls to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tweetbot_operator.k8s.events import timestamp
from tweetbot_operator.k8s.owned import owner_reference
from tweetbot_operator.k8s.pod_template import apply_to_metadata, apply_to_pod, effective_template
from tweetbot_operator.k8s.pods import gpu_resource, gpu_tolerations
from tweetbot_operator.serving.deployment import (
    ANNOTATION_MODEL,
    annotation_ops,
    labels,
    resources,
    serving_name,
    serving_spec,
)
from tweetbot_operator.settings import Settings
from tweetbot_operator.spec.hashing import short_hash
from tweetbot_operator.training.status import clean_reason

GROUP, VERSION, PLURAL, KIND = "serving.kserve.io", "v1beta1", "inferenceservices", "InferenceService"
API_VERSION = f"{GROUP}/{VERSION}"
RUNTIME = "kserve"
MODEL_FORMAT = "huggingface"
DEFAULT_BACKEND = "huggingface"
LEGACY_MODES = {"RawDeployment": "Standard", "Serverless": "Knative"}
# What the operator last wrote into the InferenceService: a webhook (KServe's defaulter) may add fields, so the
# live object is compared by this hash of the built one, not field by field.
ANNOTATION_HASH = "tweetbot.io/serving-hash"
ANNOTATION_DEPLOYMENT_MODE = "serving.kserve.io/deploymentMode"
CONDITION = "Serving"
NOT_INSTALLED = "KServeNotInstalled"
NOT_INSTALLED_MESSAGE = f"KServe is not installed: {API_VERSION} {KIND} not found"


def inferenceservices_path(namespace: str, name: str | None = None) -> str:
    return f"/apis/{GROUP}/{VERSION}/namespaces/{namespace}/{PLURAL}" + (f"/{name}" if name else "")


def uses_kserve(spec: Mapping[str, Any]) -> bool:
    serving = serving_spec(spec)
    return bool(serving["enabled"]) and serving.get("runtime") == RUNTIME


def _kserve(spec: Mapping[str, Any]) -> dict[str, Any]:
    return dict(serving_spec(spec).get("kserve") or {})


def backend_args(ks: Mapping[str, Any]) -> list[str]:
    """The backend, explicitly (KServe's `auto` picks vLLM where it is installed), and `--task` only for the
    huggingface backend: huggingfaceserver's __main__ adds its own --task only when vLLM is not enabled, and
    vLLM's --task means something else (kserve python/huggingfaceserver/huggingfaceserver/__main__.py)."""
    given = [str(arg).split("=", 1)[1] for arg in ks.get("args") or [] if str(arg).startswith("--backend=")]
    backend = given[-1] if given else str(ks.get("backend") or DEFAULT_BACKEND)
    return [*([] if given else [f"--backend={backend}"]),
            *(["--task=text_generation"] if backend == DEFAULT_BACKEND else [])]


def deployment_mode(mode: str | None) -> str | None:
    """The current name of a deploymentMode: KServe >= 0.16 records Standard/Knative and its webhook refuses
    changing the recorded mode, so the legacy name in a spec would be refused on every update (kserve #4798)."""
    return LEGACY_MODES.get(mode, mode) if mode else None


def _model(tb: Mapping[str, Any], model_uri: str, settings: Settings) -> dict[str, Any]:
    spec = tb["spec"]
    ks = _kserve(spec)
    model: dict[str, Any] = {
        "modelFormat": {"name": MODEL_FORMAT},
        "storageUri": model_uri,
        # The OpenAI model id is the bot's name, as with tweetbot-serve; every TweetBot is a causal LM.
        "args": [f"--model_name={tb['metadata']['name']}", *backend_args(ks), *ks.get("args", [])],
        "resources": resources(serving_spec(spec), gpu_resource(spec, settings)),
    }
    for key in ("runtime", "protocolVersion"):
        if ks.get(key):
            model[key] = ks[key]
    return model


def build_predictor(tb: Mapping[str, Any], model_uri: str, settings: Settings) -> dict[str, Any]:
    """The predictor: the model, replicas, and the pod settings of spec.podTemplate that a predictor takes (it
    inlines a PodSpec: ServiceAccount, pull secrets, runtime class, scheduler, spread, volumes; env, envFrom
    and mounts on the model container; labels and annotations of its pods)."""
    spec = tb["spec"]
    serving, ks = serving_spec(spec), _kserve(spec)
    model = _model(tb, model_uri, settings)
    predictor: dict[str, Any] = {"minReplicas": int(serving["replicas"])}
    if ks.get("maxReplicas"):
        predictor["maxReplicas"] = int(ks["maxReplicas"])
    template = effective_template(settings.default_pod_template, spec.get("podTemplate"))
    apply_to_pod(template, predictor, model)
    if ks.get("serviceAccountName"):
        predictor["serviceAccountName"] = ks["serviceAccountName"]
    gpus = int((serving.get("resources") or {}).get("gpus") or 0)
    tolerations = gpu_tolerations([], gpu_resource(spec, settings), gpus)
    if tolerations:
        predictor["tolerations"] = tolerations
    meta: dict[str, Any] = {}
    apply_to_metadata(template, meta)
    predictor.update({key: meta[key] for key in ("labels", "annotations") if meta.get(key)})
    predictor["model"] = model
    return predictor


def build_inference_service(tb: Mapping[str, Any], model_uri: str, settings: Settings) -> dict[str, Any]:
    """The InferenceService serving `model_uri` (a finished run's s3:// folder). Expects a valid spec."""
    meta = tb["metadata"]
    body: dict[str, Any] = {"predictor": build_predictor(tb, model_uri, settings)}
    annotations = {ANNOTATION_MODEL: model_uri}
    mode = deployment_mode(_kserve(tb["spec"]).get("deploymentMode"))
    if mode:
        annotations[ANNOTATION_DEPLOYMENT_MODE] = mode
    annotations[ANNOTATION_HASH] = short_hash({"spec": body, "annotations": annotations})
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {"name": serving_name(meta["name"]), "namespace": meta.get("namespace"), "labels": labels(tb),
                     "annotations": annotations, "ownerReferences": [owner_reference(tb)]},
        "spec": body,
    }


def _annotations(obj: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return ((obj or {}).get("metadata") or {}).get("annotations") or {}


def needs_update(live: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    return _annotations(live).get(ANNOTATION_HASH) != _annotations(wanted).get(ANNOTATION_HASH)


def update_patch(wanted: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A JSON patch putting the built predictor in place of the live one (a merge patch would keep fields the
    spec no longer sets) and our annotations over the live ones (anyone else's stay)."""
    return [{"op": "replace", "path": "/spec/predictor", "value": wanted["spec"]["predictor"]},
            *annotation_ops(wanted)]


def served_model(isvc: Mapping[str, Any] | None) -> str | None:
    model = (((isvc or {}).get("spec") or {}).get("predictor") or {}).get("model") or {}
    uri = model.get("storageUri")
    return str(uri) if uri else None


def isvc_ready_condition(isvc: Mapping[str, Any]) -> Mapping[str, Any]:
    return next((cnd for cnd in (isvc.get("status") or {}).get("conditions") or [] if cnd.get("type") == "Ready"),
                {})


def is_ready(isvc: Mapping[str, Any]) -> bool:
    """Ready for its current spec: KServe's Ready condition, observed at the object's generation (just after a
    new storageUri, Ready still speaks of the previous model)."""
    status = isvc.get("status") or {}
    generation = (isvc.get("metadata") or {}).get("generation")
    observed = status.get("observedGeneration")
    current = generation is None or observed is None or int(observed) >= int(generation)
    return current and isvc_ready_condition(isvc).get("status") == "True"


def serving_status(isvc: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """status.serving: KServe's URL (status.url, else its in-cluster address), the run served, readiness."""
    model = served_model(isvc)
    if isvc is None or model is None:
        return None
    status = isvc.get("status") or {}
    url = status.get("url") or (status.get("address") or {}).get("url")
    return {**({"url": str(url)} if url else {}), "modelURI": model, "ready": is_ready(isvc)}


def observed_condition(isvc: Mapping[str, Any]) -> tuple[bool, str, str]:
    """(ready, reason, message) of the Serving condition for a live InferenceService."""
    name, model = (isvc.get("metadata") or {}).get("name"), served_model(isvc)
    if is_ready(isvc):
        url = serving_status(isvc) or {}
        return True, "InferenceServiceReady", f"InferenceService {name} serves {model}" + (
            f" at {url['url']}" if url.get("url") else "")
    cond = isvc_ready_condition(isvc)
    why = str(cond.get("message") or "KServe has not reported it Ready for its current spec yet")
    return False, clean_reason(str(cond.get("reason") or "InferenceServiceNotReady")), \
        f"InferenceService {name} (serving {model}) is not ready: {why}"


def serving_condition(observed: tuple[bool, str, str], generation: int, now: datetime,
                      old: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The Serving condition (metav1.Condition) for (ready, reason, message); lastTransitionTime changes only
    with its status."""
    ready, reason, message = observed
    value = "True" if ready else "False"
    before = next((cnd for cnd in old if cnd.get("type") == CONDITION), {})
    since = before.get("lastTransitionTime") if before.get("status") == value else None
    return {"type": CONDITION, "status": value, "reason": clean_reason(reason), "message": message[:32768],
            "observedGeneration": generation, "lastTransitionTime": since or timestamp(now)}


def with_condition(status: dict[str, Any], condition: Mapping[str, Any]) -> dict[str, Any]:
    others = [cnd for cnd in status.get("conditions") or [] if cnd.get("type") != CONDITION]
    return {**status, "conditions": [*others, dict(condition)]}


def had_kserve(status: Mapping[str, Any]) -> bool:
    """Whether a status written before status.serving.runtime came from the kserve runtime (only it writes the
    Serving condition)."""
    return any(cnd.get("type") == CONDITION for cnd in status.get("conditions") or [])
