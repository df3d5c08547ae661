"""A TweetBot is a tenant boundary (docs/security.md): who may create TweetBots in a namespace gains no more than
the platform team allows. The rules and their pure checks; the Secret label check's read is k8s/secrets.py's.

Every list empty means "anything" (the operator's own default, for a single-tenant cluster); the chart sets the
opt-in Secret label by default. A broken rule is a `NotPermitted` condition naming the rule, never a retry."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

SECRET_LABEL = "tweetbot.io/usable"


@dataclass(frozen=True)
class Tenancy:
    image_prefixes: tuple[str, ...] = ()  # spec.image must start with one of these
    service_accounts: tuple[str, ...] = ()  # podTemplate.serviceAccountName (and KServe's) must be one of these
    runtime_classes: tuple[str, ...] = ()  # podTemplate.runtimeClassName must be one of these
    secret_label: str = ""  # Secrets a TweetBot names must carry `<label>: "true"` (empty: no check)
    secret_names: tuple[str, ...] = ()  # Secrets usable without the label (the chart's shared ones)
    s3_roots: tuple[str, ...] = ()  # every s3:// URI must be under one of these; {namespace} is replaced

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Tenancy:
        def items(name: str) -> tuple[str, ...]:
            return tuple(item.strip() for item in env.get(name, "").split(",") if item.strip())

        return cls(
            image_prefixes=items("TWEETBOT_ALLOWED_IMAGE_PREFIXES"),
            service_accounts=items("TWEETBOT_ALLOWED_SERVICE_ACCOUNTS"),
            runtime_classes=items("TWEETBOT_ALLOWED_RUNTIME_CLASSES"),
            secret_label=env.get("TWEETBOT_SECRET_OPT_IN_LABEL", "").strip(),
            secret_names=items("TWEETBOT_ALLOWED_SECRET_NAMES"),
            s3_roots=items("TWEETBOT_S3_ROOTS"),
        )


def named_secrets(spec: Mapping[str, Any], settings_default: str = "") -> Iterator[tuple[str, str]]:
    """(field, Secret name) of every Secret the TweetBot's pods would read."""
    source = spec.get("source") or {}
    for kind, body in source.items() if isinstance(source, Mapping) else ():
        if isinstance(body, Mapping) and _name(body.get("tokenSecret")):
            yield f"spec.source.{kind}.tokenSecret", _name(body["tokenSecret"])
    output = spec.get("output") or {}
    credentials = _name(output.get("credentialsSecret"))
    if credentials:
        yield "spec.output.credentialsSecret", credentials
    if _name((output.get("hub") or {}).get("tokenSecret")):
        yield "spec.output.hub.tokenSecret", _name(output["hub"]["tokenSecret"])
    if _name(spec.get("baseModelTokenSecret")):
        yield "spec.baseModelTokenSecret", _name(spec["baseModelTokenSecret"])
    serving = spec.get("serving") or {}
    if _name(serving.get("apiKeySecret")):
        yield "spec.serving.apiKeySecret", _name(serving["apiKeySecret"])
    template = spec.get("podTemplate") or {}
    for i, ref in enumerate(template.get("envFrom") or []):
        if _name(ref.get("secretRef")):
            yield f"spec.podTemplate.envFrom[{i}].secretRef", _name(ref["secretRef"])
    for i, env in enumerate(template.get("env") or []):
        ref = (env.get("valueFrom") or {}).get("secretKeyRef")
        if _name(ref):
            yield f"spec.podTemplate.env[{i}].valueFrom.secretKeyRef", _name(ref)
    for i, volume in enumerate(template.get("volumes") or []):
        secret = volume.get("secret") or {}
        if isinstance(secret, Mapping) and secret.get("secretName"):
            yield f"spec.podTemplate.volumes[{i}].secret", str(secret["secretName"])


def policy_errors(spec: Mapping[str, Any], namespace: str, tenancy: Tenancy) -> list[str]:
    """The allow-list and S3-root rules this spec breaks, each naming the field and the rule."""
    errors: list[str] = []
    image = spec.get("image")
    if image and tenancy.image_prefixes and not str(image).startswith(tenancy.image_prefixes):
        errors.append(f"spec.image {image} is not under an allowed image prefix ({', '.join(tenancy.image_prefixes)})")
    template = spec.get("podTemplate") or {}
    kserve = (spec.get("serving") or {}).get("kserve") or {}
    for field, account in (("spec.podTemplate.serviceAccountName", template.get("serviceAccountName")),
                           ("spec.serving.kserve.serviceAccountName", kserve.get("serviceAccountName"))):
        if account and tenancy.service_accounts and account not in tenancy.service_accounts:
            errors.append(f"{field} {account} is not an allowed ServiceAccount ({', '.join(tenancy.service_accounts)})")
    runtime = template.get("runtimeClassName")
    if runtime and tenancy.runtime_classes and runtime not in tenancy.runtime_classes:
        errors.append(f"spec.podTemplate.runtimeClassName {runtime} is not an allowed runtime class "
                      f"({', '.join(tenancy.runtime_classes)})")
    roots = tuple(root.replace("{namespace}", namespace) for root in tenancy.s3_roots)
    for field, uri in s3_uris(spec):
        if roots and not uri.startswith(roots):
            errors.append(f"{field} {uri} is outside this namespace's S3 roots ({', '.join(roots)})")
    errors += token_host_errors(spec)
    return errors


def s3_uris(spec: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    output = spec.get("output") or {}
    if output.get("s3"):
        yield "spec.output.s3", str(output["s3"])
    for kind, body in (spec.get("source") or {}).items():
        if isinstance(body, Mapping) and str(body.get("uri") or "").startswith("s3://"):
            yield f"spec.source.{kind}.uri", str(body["uri"])
    if str(spec.get("baseModel") or "").startswith("s3://"):
        yield "spec.baseModel", str(spec["baseModel"])


def token_host_errors(spec: Mapping[str, Any]) -> list[str]:
    """A Mastodon token goes only to the instance its handles name (user@instance): a token sent to another URL
    would hand the Secret to that host."""
    body = (spec.get("source") or {}).get("mastodon")
    if not isinstance(body, Mapping) or not _name(body.get("tokenSecret")) or not body.get("url"):
        return []
    host = (urlparse(str(body["url"])).hostname or "").lower()
    instances = {str(user).rpartition("@")[2].lower() for user in spec.get("users") or [] if "@" in str(user)}
    if instances and instances != {host}:
        return [f"spec.source.mastodon.url {body['url']} is not the instance the handles name "
                f"({', '.join(sorted(instances))}): the token is sent only to its own instance"]
    return []


def unusable(name: str, labels: Mapping[str, str] | None, tenancy: Tenancy) -> bool:
    """A Secret the TweetBot may not name: neither labelled as usable nor allowed by name."""
    if not tenancy.secret_label or name in tenancy.secret_names:
        return False
    return (labels or {}).get(tenancy.secret_label) != "true"


def _name(ref: Any) -> str:
    return str(ref.get("name") or "") if isinstance(ref, Mapping) else ""
