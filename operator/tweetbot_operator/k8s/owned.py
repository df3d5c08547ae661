"""Children of a TweetBot: their owner reference and labels, the one meaning of "owned", and `create_owned`,
the create -> 409 -> GET -> ours-or-foreign step every child (Job, Service, Deployment, InferenceService) takes.

An object of a child's name that this TweetBot does not own (another TweetBot's, a user's) is never patched or
deleted: the caller reports it (a condition or event) and waits for its owner to rename or delete it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tweetbot_operator.k8s.client import ApiError, Kube
from tweetbot_operator.spec import constants as c
from tweetbot_operator.spec.naming import label_value


def owner_reference(tb: Mapping[str, Any]) -> dict[str, Any]:
    meta = tb["metadata"]
    return {
        "apiVersion": c.API_VERSION,
        "kind": c.KIND,
        "name": meta["name"],
        "uid": meta.get("uid", ""),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def base_labels(name: str, component: str) -> dict[str, str]:
    return {
        c.LABEL_APP: c.APP_NAME,
        c.LABEL_COMPONENT: component,
        c.LABEL_MANAGED_BY: c.MANAGER,
        c.LABEL_NAME: label_value(name),
    }


def is_owned_by(obj: Mapping[str, Any] | None, tb: Mapping[str, Any]) -> bool:
    """`obj` is this TweetBot's: an owner reference to its uid (a same-named, recreated TweetBot's is not)."""
    uid = tb["metadata"].get("uid")
    return obj is not None and any(ref.get("uid") == uid
                                   for ref in (obj.get("metadata") or {}).get("ownerReferences") or [])


@dataclass(frozen=True)
class Created:
    """What `create_owned` found: `obj` the live object; `new` it was created now; `foreign` it is another's."""

    obj: dict[str, Any]
    new: bool = False
    foreign: bool = False


async def create_owned(kube: Kube, collection: str, body: Mapping[str, Any], tb: Mapping[str, Any], *,
                       look_first: bool = False) -> Created:
    """Create `body` under `collection`, or find the object of its name (409: created before, by an earlier
    attempt; deterministic names make that idempotent). `look_first`: GET before the POST, where the object is
    nearly always there already. Other API errors are raised."""
    path = f"{collection}/{body['metadata']['name']}"
    existing = await kube.get(path) if look_first else None
    if existing is None:
        try:
            return Created(await kube.create(collection, body), new=True)
        except ApiError as exc:
            if exc.status != 409:
                raise
            existing = await kube.get(path)
            if existing is None:  # deleted between the 409 and the GET: the next reconcile creates it
                raise
    return Created(existing, foreign=not is_owned_by(existing, tb))
