"""Whose run a run folder is: a small marker (`tweetbot-run.json`: namespace, name, uid of the TweetBot) written
before anything else of the run, checked on every attempt. A folder that is someone else's is never trained into,
adopted, pruned or deleted; `delete --owner` and `--keep-runs` touch only folders whose marker names the owner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from botocore.exceptions import ClientError

from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.s3 import S3Uri, delete_prefix

RUN_MARKER = "tweetbot-run.json"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Owner:
    namespace: str
    name: str
    uid: str

    @classmethod
    def parse(cls, value: str) -> Owner:
        """`namespace/name/uid`, as the operator passes it (`--owner`)."""
        parts = value.split("/")
        if len(parts) != 3 or not all(parts):
            raise TweetBotInputError("BadOwner", f"--owner must be namespace/name/uid, not {value!r}")
        return cls(*parts)

    def __str__(self) -> str:
        return f"TweetBot {self.namespace}/{self.name} (uid {self.uid})"


def read_json(client: Any, uri: S3Uri) -> dict[str, Any] | None:
    try:
        body = client.get_object(Bucket=uri.bucket, Key=uri.key)["Body"].read()
    except ClientError as exc:
        if str(exc.response.get("Error", {}).get("Code")) in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    try:
        value = json.loads(body)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def marker_owner(marker: dict[str, Any] | None) -> Owner | None:
    if not marker:
        return None
    try:
        return Owner(str(marker["namespace"]), str(marker["name"]), str(marker["uid"]))
    except KeyError:
        return None


def claim_run(client: Any, run_uri: S3Uri, owner: Owner) -> None:
    """Writes the marker of a new run folder, or checks that an existing folder is this owner's; a folder of
    another TweetBot, or one with files but no marker, is `OutputConflict` (exit code 2)."""
    found = marker_owner(read_json(client, run_uri.child(RUN_MARKER)))
    if found is not None and found.uid == owner.uid:
        return
    if found is not None:
        raise TweetBotInputError("OutputConflict", f"{run_uri} belongs to {found}, not to {owner}: "
                                 "give this TweetBot its own spec.output.s3")
    listed = client.list_objects_v2(Bucket=run_uri.bucket, Prefix=run_uri.key, MaxKeys=1)
    if listed.get("KeyCount", 0):
        raise TweetBotInputError("OutputConflict", f"{run_uri} holds files of no TweetBot's run "
                                 f"(no {RUN_MARKER}): not adopting them; give {owner} its own spec.output.s3")
    body = json.dumps(asdict(owner), sort_keys=True).encode()
    client.put_object(Bucket=run_uri.bucket, Key=run_uri.child(RUN_MARKER).key, Body=body,
                      ContentType="application/json")


def owned_runs(client: Any, prefix: S3Uri, owner_uid: str) -> Iterator[S3Uri]:
    """The run folders directly below `prefix` whose marker names `owner_uid`."""
    base = prefix.as_dir()
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=base.bucket, Prefix=base.key, Delimiter="/"):
        for common in page.get("CommonPrefixes", []):
            run = S3Uri(base.bucket, common["Prefix"])
            found = marker_owner(read_json(client, run.child(RUN_MARKER)))
            if found is not None and found.uid == owner_uid:
                yield run


def delete_owned_runs(client: Any, prefix: S3Uri, owner_uid: str) -> list[tuple[str, int]]:
    """Deletes this owner's run folders below `prefix` (the marker last); (run uri, objects deleted) each."""
    deleted = []
    for run in list(owned_runs(client, prefix, owner_uid)):
        deleted.append((str(run), delete_run(client, run)))
    return deleted


def delete_run(client: Any, run: S3Uri) -> int:
    """Everything but the marker first, then the marker: an interrupted delete leaves an attributable folder."""
    marker = run.child(RUN_MARKER)
    keys = [o["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=run.bucket, Prefix=run.key)
            for o in page.get("Contents", []) if o["Key"] != marker.key]
    for start in range(0, len(keys), 1000):
        batch = [{"Key": k} for k in keys[start : start + 1000]]
        client.delete_objects(Bucket=run.bucket, Delete={"Objects": batch, "Quiet": True})
    return len(keys) + delete_prefix(client, marker)


def prune_runs(client: Any, prefix: S3Uri, owner_uid: str, keep: int, current: S3Uri, *,
               protect: str | None = None) -> list[str]:
    """After `current` succeeded: deletes this owner's finished runs (with a manifest) but the newest `keep`
    (`current` always among them) and the `protect` run id; unfinished folders (a run in progress, a stopped one)
    stay. The run ids that were deleted."""
    finished = []
    for run in owned_runs(client, prefix, owner_uid):
        manifest = read_json(client, run.child(MANIFEST))
        if manifest is not None and str(run) != str(current) and run_id_of(run) != protect:
            finished.append((float(manifest.get("created") or 0.0), run))
    finished.sort(key=lambda item: item[0], reverse=True)
    doomed = [run for _created, run in finished[max(0, keep - 1):]]
    for run in doomed:
        delete_run(client, run)
    return [run_id_of(run) for run in doomed]


def run_id_of(run: S3Uri) -> str:
    return run.key.rstrip("/").rsplit("/", 1)[-1]

