"""The few API calls the plugin makes, through the official kubernetes client and the user's kubeconfig."""

from __future__ import annotations

import json
from typing import Any

GROUP, VERSION, PLURAL = "tweetbot.io", "v1alpha1", "tweetbots"
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"


class Cluster:
    def __init__(self, context: str | None = None) -> None:
        from kubernetes import client, config  # lazy: `kubectl tweetbot --help` stays fast

        config.load_kube_config(context=context)
        self.api = client.ApiClient()
        self.custom = client.CustomObjectsApi(self.api)
        self.core = client.CoreV1Api(self.api)
        _, active = config.list_kube_config_contexts()
        self.default_namespace = str((active or {}).get("context", {}).get("namespace") or "default")

    def tweetbots(self, namespace: str | None) -> list[dict[str, Any]]:
        if namespace is None:
            listed = self.custom.list_cluster_custom_object(GROUP, VERSION, PLURAL)
        else:
            listed = self.custom.list_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL)
        return sorted(listed.get("items", []), key=lambda t: (t["metadata"].get("namespace"), t["metadata"]["name"]))

    def tweetbot(self, namespace: str, name: str) -> dict[str, Any]:
        return dict(self.custom.get_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, name))

    def trainer_log(self, namespace: str, job_name: str) -> str:
        pods = self.core.list_namespaced_pod(namespace, label_selector=f"{JOB_NAME_LABEL}={job_name}").items
        if not pods:
            return ""
        newest = max(pods, key=lambda p: p.metadata.creation_timestamp or "")
        # Raw bytes: with its content preloaded the client parses a log of JSON lines and returns their repr.
        raw = self.core.read_namespaced_pod_log(newest.metadata.name, namespace, container="trainer",
                                                _preload_content=False)
        return str(raw.data.decode("utf-8", "replace"))

    def post_to_service(self, namespace: str, service: str, path: str, body: dict[str, Any]) -> Any:
        """POST through the API server's service proxy (no port-forward, no cluster DNS needed)."""
        response = self.api.call_api(
            f"/api/v1/namespaces/{namespace}/services/{service}:http/proxy/{path}", "POST",
            header_params={"Content-Type": "application/json", "Accept": "application/json"},
            body=body, auth_settings=["BearerToken"], _preload_content=False, _return_http_data_only=True)
        return json.loads(response.data)
