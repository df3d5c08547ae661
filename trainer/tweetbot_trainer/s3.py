"""S3 plumbing: URI parsing, a client honouring --s3-endpoint, parallel managed uploads, prefix download/delete.

Everything S3-specific lives here so the training code only sees local directories.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError, NoCredentialsError

from tweetbot_trainer.errors import TweetBotInputError

# Errors no retry can fix: wrong keys, a bucket that does not exist, a policy that forbids us.
_INPUT_ERROR_CODES = {
    "InvalidAccessKeyId": "BadCredentials",
    "SignatureDoesNotMatch": "BadCredentials",
    "AccessDenied": "AccessDenied",
    "403": "AccessDenied",
    "NoSuchBucket": "MissingBucket",
    "404": "MissingBucket",
}

MiB = 1024 * 1024


@dataclass(frozen=True)
class S3Uri:
    bucket: str
    key: str  # no leading slash; a "directory" key ends with "/"

    @classmethod
    def parse(cls, uri: str) -> S3Uri:
        if not uri.startswith("s3://"):
            raise TweetBotInputError("BadOutputURI", f"not an s3:// URI: {uri!r}")
        bucket, _, key = uri[len("s3://") :].partition("/")
        if not bucket:
            raise TweetBotInputError("BadOutputURI", f"no bucket in {uri!r}")
        return cls(bucket, key)

    def child(self, *parts: str) -> S3Uri:
        """A key below this one, treating this one as a directory."""
        base = self.key if not self.key or self.key.endswith("/") else self.key + "/"
        return S3Uri(self.bucket, base + "/".join(p.strip("/") for p in parts))

    def as_dir(self) -> S3Uri:
        return self if not self.key or self.key.endswith("/") else S3Uri(self.bucket, self.key + "/")

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


def is_s3(uri: str | os.PathLike[str]) -> bool:
    return str(uri).startswith("s3://")


def make_client(endpoint: str | None = None) -> Any:
    """A boto3 S3 client; without `endpoint` boto3 reads AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL itself."""
    config = Config(retries={"max_attempts": 5, "mode": "standard"}, max_pool_connections=32)
    # A fresh session: boto3's default one caches the credentials it first found.
    return boto3.session.Session().client("s3", endpoint_url=endpoint or None, config=config)


def input_error_from(exc: Exception, what: str) -> Exception:
    """Turns a botocore ClientError that no retry can fix into a TweetBotInputError; returns others as-is."""
    if isinstance(exc, NoCredentialsError):
        return TweetBotInputError("BadCredentials", f"{what}: no S3 credentials (AWS_ACCESS_KEY_ID)")
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in _INPUT_ERROR_CODES:
            return TweetBotInputError(_INPUT_ERROR_CODES[code], f"{what}: {code}")
    return exc


def check_bucket(client: Any, uri: S3Uri) -> None:
    """Fails fast (before hours of training) when the output bucket is missing or the keys are wrong."""
    try:
        # A listing, not HeadBucket: some S3 servers answer HeadBucket without checking the signature.
        client.list_objects_v2(Bucket=uri.bucket, Prefix=uri.key, MaxKeys=1)
    except Exception as exc:
        raise input_error_from(exc, f"s3://{uri.bucket}") from exc


def transfer_config() -> Any:
    # 16 MiB parts, 8 parts in flight per file: a 500 MB model goes up as ~32 parallel parts.
    return TransferConfig(multipart_threshold=16 * MiB, multipart_chunksize=16 * MiB, max_concurrency=8)


def upload_files(client: Any, files: Iterable[tuple[Path, S3Uri]], parallel_files: int = 4) -> None:
    """Uploads with boto3's managed transfer: large files multipart, several files at once."""
    config = transfer_config()

    def one(item: tuple[Path, S3Uri]) -> None:
        local, dest = item
        client.upload_file(str(local), dest.bucket, dest.key, Config=config)

    with ThreadPoolExecutor(max_workers=parallel_files) as pool:
        for _ in pool.map(one, list(files)):
            pass


def upload_dir(client: Any, local_dir: Path, dest: S3Uri, parallel_files: int = 4) -> list[str]:
    """Uploads every file below `local_dir`; returns the relative paths uploaded."""
    rel_paths = sorted(p.relative_to(local_dir).as_posix() for p in local_dir.rglob("*") if p.is_file())
    upload_files(client, ((local_dir / rel, dest.child(rel)) for rel in rel_paths), parallel_files)
    return rel_paths


def list_keys(client: Any, prefix: S3Uri) -> Iterator[dict[str, Any]]:
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=prefix.bucket, Prefix=prefix.key):
        yield from page.get("Contents", [])


def download_prefix(client: Any, prefix: S3Uri, local_dir: Path, skip: tuple[str, ...] = ()) -> list[str]:
    """Downloads every object below `prefix` (minus keys starting with a `skip` entry) into `local_dir`."""
    base = prefix.as_dir()
    wanted = []
    for obj in list_keys(client, base):
        rel = obj["Key"][len(base.key) :]
        if rel and not rel.endswith("/") and not rel.startswith(skip):
            wanted.append(rel)
    config = transfer_config()

    def one(rel: str) -> None:
        target = local_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        client.download_file(base.bucket, base.key + rel, str(target), Config=config)

    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in pool.map(one, wanted):
            pass
    return wanted


def delete_prefix(client: Any, prefix: S3Uri) -> int:
    """Deletes every object below `prefix`; returns how many."""
    keys = [obj["Key"] for obj in list_keys(client, prefix)]
    for start in range(0, len(keys), 1000):
        batch = [{"Key": k} for k in keys[start : start + 1000]]
        client.delete_objects(Bucket=prefix.bucket, Delete={"Objects": batch, "Quiet": True})
    return len(keys)


def exists(client: Any, uri: S3Uri) -> bool:
    try:
        client.head_object(Bucket=uri.bucket, Key=uri.key)
    except ClientError as exc:
        if str(exc.response.get("Error", {}).get("Code")) in {"404", "NoSuchKey", "NotFound"}:
            return False
        raise
    return True
