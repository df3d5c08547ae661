"""Builders of TweetBot, Job and Pod dicts for the operator's tests (plain data, no API)."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

from tweetbot_operator.spec import constants as c


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
