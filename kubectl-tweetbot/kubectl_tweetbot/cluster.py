"""The few API calls the plugin makes, through the official kubernetes client and the user's kubeconfig."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from typing import Any

from kubectl_tweetbot.errors import TweetBotInputError

GROUP, VERSION, PLURAL = "tweetbot.io", "v1alpha1", "tweetbots"
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"
# An Indexed Job's pods carry their completion index (the rank of a multi-node run) as a label and an annotation.
INDEX_KEY = "batch.kubernetes.io/job-completion-index"


def completion_index(pod: Any) -> str | None:
    meta = pod.metadata
    return (meta.labels or {}).get(INDEX_KEY) or (meta.annotations or {}).get(INDEX_KEY)


def pick_pod(pods: list[Any], rank: int) -> Any | None:
    """The newest pod of rank `rank` (a one-pod Job's pods have no index: any of them is rank 0)."""
    indexed = [p for p in pods if completion_index(p) is not None]
    candidates = [p for p in indexed if completion_index(p) == str(rank)] if indexed else pods
    if not candidates:
        return None
    return max(candidates, key=lambda p: str(p.metadata.creation_timestamp or ""))


class Cluster:
    def __init__(self, context: str | None = None, kubeconfig: str | None = None) -> None:
        from kubernetes import client, config  # lazy: `kubectl tweetbot --help` stays fast

        config.load_kube_config(config_file=kubeconfig, context=context)
        self.api = client.ApiClient()
        self.custom = client.CustomObjectsApi(self.api)
        self.core = client.CoreV1Api(self.api)
        contexts, active = config.list_kube_config_contexts(config_file=kubeconfig)
        chosen = next((c for c in contexts if c.get("name") == context), active) if context else active
        self.default_namespace = str((chosen or {}).get("context", {}).get("namespace") or "default")

    def tweetbots(self, namespace: str | None) -> list[dict[str, Any]]:
        if namespace is None:
            listed = self.custom.list_cluster_custom_object(GROUP, VERSION, PLURAL)
        else:
            listed = self.custom.list_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL)
        return sorted(listed.get("items", []), key=lambda t: (t["metadata"].get("namespace"), t["metadata"]["name"]))

    def tweetbot(self, namespace: str, name: str) -> dict[str, Any]:
        return dict(self.custom.get_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, name))

    def trainer_log(self, namespace: str, job_name: str, follow: bool = False, rank: int = 0) -> Iterator[str]:
        """The trainer log of the Job's pod of rank `rank` (0: the one that logs progress), as it arrives."""
        pods = self.core.list_namespaced_pod(namespace, label_selector=f"{JOB_NAME_LABEL}={job_name}").items
        pod = pick_pod(pods, rank)
        if pod is None:
            return
        # Raw bytes: with its content preloaded the client parses a log of JSON lines and returns their repr.
        raw = self.core.read_namespaced_pod_log(pod.metadata.name, namespace, container="trainer", follow=follow,
                                                _preload_content=False)
        for chunk in raw.stream(1 << 14) if follow else [raw.data]:
            yield chunk.decode("utf-8", "replace")

    def secret_value(self, namespace: str, name: str, key: str) -> str | None:
        """One value of a Secret, read with the user's own credentials; None when the Secret has no such key."""
        from kubernetes.client.exceptions import ApiException

        try:
            data = self.core.read_namespaced_secret(name, namespace).data or {}
        except ApiException as exc:
            raise TweetBotInputError("ApiKeyUnreadable", f"spec.serving.apiKeySecret: cannot read Secret {name}: "
                                     f"the API server answered {exc.status} {exc.reason}") from None
        if key not in data:
            return None
        try:
            return base64.b64decode(data[key], validate=True).decode("utf-8").strip()
        except (binascii.Error, UnicodeDecodeError):
            raise TweetBotInputError("ApiKeyUnreadable", f"spec.serving.apiKeySecret: Secret {name}, key {key}: "
                                     "not UTF-8 text") from None

    def post_to_service(self, namespace: str, service: str, path: str, body: dict[str, Any],
                        headers: dict[str, str] | None = None) -> Any:
        """POST through the API server's service proxy (no port-forward, no cluster DNS needed)."""
        response = self.api.call_api(
            f"/api/v1/namespaces/{namespace}/services/{service}:http/proxy/{path}", "POST",
            header_params={"Content-Type": "application/json", "Accept": "application/json", **(headers or {})},
            body=body, auth_settings=["BearerToken"], _preload_content=False, _return_http_data_only=True)
        return json.loads(response.data)
