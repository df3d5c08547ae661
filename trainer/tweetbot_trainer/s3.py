"""S3 plumbing: URI parsing, a client honouring --s3-endpoint, parallel managed uploads, prefix download/delete.

Everything S3-specific lives here so the training code only sees local directories.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import boto3
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from tweetbot_trainer.errors import TweetBotInputError, one_line

# Errors no retry can fix: wrong keys, a bucket that does not exist, a policy that forbids us.
_INPUT_ERROR_CODES = {
    "InvalidAccessKeyId": "BadCredentials",
    "SignatureDoesNotMatch": "BadCredentials",
    "AccessDenied": "AccessDenied",
    "403": "AccessDenied",
    "NoSuchBucket": "MissingBucket",
    "404": "MissingBucket",
}

_INPUT_ERROR_MESSAGES = {
    "BadCredentials": "S3 credentials rejected ({code}): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    "AccessDenied": "access denied ({code}): the S3 credentials may not use this bucket",
    "MissingBucket": "the bucket does not exist ({code})",
}
# Failures that waiting can fix (besides no connection at all and 5xx answers).
_TRANSIENT_CODES = {"SlowDown", "RequestTimeout", "Throttling", "ThrottlingException", "RequestLimitExceeded"}

# Outer retries around each file upload, on top of boto3's own: long enough to outlive an S3 restart.
RETRY_SECONDS_ENV = "TWEETBOT_S3_RETRY_SECONDS"
DEFAULT_RETRY_SECONDS = 300.0
_FIRST_PAUSE, _MAX_PAUSE = 1.0, 30.0

MiB = 1024 * 1024
T = TypeVar("T")


class S3UnavailableError(Exception):
    """S3 kept failing with errors that waiting could fix, for longer than the retry budget (exit code 1)."""


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
    client_error = _client_error_in(exc)
    if client_error is not None:
        code = str(client_error.response.get("Error", {}).get("Code", ""))
        if code in _INPUT_ERROR_CODES:
            reason = _INPUT_ERROR_CODES[code]
            return TweetBotInputError(reason, f"{what}: " + _INPUT_ERROR_MESSAGES[reason].format(code=code))
    return exc


def _client_error_in(exc: BaseException) -> ClientError | None:
    """`exc` as a ClientError, also when boto3's managed upload wrapped it (S3UploadFailedError, raised while
    handling the ClientError); else None."""
    inner = (exc.__cause__ or exc.__context__) if isinstance(exc, S3UploadFailedError) else exc
    return inner if isinstance(inner, ClientError) else None


def is_transient(exc: BaseException) -> bool:
    """An S3 failure that waiting can fix: no connection, a timeout, a 5xx answer, throttling."""
    client_error = _client_error_in(exc)
    if client_error is not None:
        status = int(client_error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        code = str(client_error.response.get("Error", {}).get("Code", ""))
        return status >= 500 or status in (408, 429) or code in _TRANSIENT_CODES
    return isinstance(exc, (BotoCoreError, S3UploadFailedError)) and not isinstance(exc, NoCredentialsError)


def retry_seconds() -> float:
    """How long to keep retrying one batch of uploads ($TWEETBOT_S3_RETRY_SECONDS, default 300)."""
    raw = os.environ.get(RETRY_SECONDS_ENV, "").strip()
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_RETRY_SECONDS
    except ValueError:
        raise TweetBotInputError("BadSettings", f"{RETRY_SECONDS_ENV} must be a number of seconds, got {raw!r}") \
            from None


def with_retries(what: str, action: Callable[[], T], deadline: float, sleep: Callable[[float], None] = time.sleep) -> T:
    """`action()`, tried again with exponential backoff (1 s doubling to 30 s, jittered) while it fails with a
    transient error and `deadline` (time.monotonic()) has not passed. Errors no retry fixes go through at once."""
    started = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
        try:
            return action()
        except Exception as exc:
            mapped = input_error_from(exc, what)
            if mapped is not exc:
                raise mapped from exc
            if not is_transient(exc):
                raise
            left = deadline - time.monotonic()
            if left <= 0:
                tries = f"{attempt} attempt" + ("s" if attempt > 1 else "")
                raise S3UnavailableError(f"gave up on S3 after {tries} in {time.monotonic() - started:.0f} s "
                                         f"{what}: {one_line(str(exc))}") from exc
            pause = min(left, _MAX_PAUSE, _FIRST_PAUSE * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
            print(f"[tweetbot] S3 failed {what} ({one_line(str(exc), 300)}); retrying in {pause:.1f} s",
                  file=sys.stderr, flush=True)
            sleep(pause)


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
    """Uploads with boto3's managed transfer: large files multipart, several files at once. Each file is retried
    (`with_retries`) until all of them are up or the retry budget, shared by the batch, is spent."""
    config = transfer_config()
    deadline = time.monotonic() + retry_seconds()

    def one(item: tuple[Path, S3Uri]) -> None:
        local, dest = item
        with_retries(f"uploading {local.name} to {dest}",
                     lambda: client.upload_file(str(local), dest.bucket, dest.key, Config=config), deadline)

    with ThreadPoolExecutor(max_workers=parallel_files) as pool:
        for _ in pool.map(one, list(files)):
            pass


def upload_dir(client: Any, local_dir: Path, dest: S3Uri, parallel_files: int = 4) -> list[str]:
    """Uploads every file below `local_dir`; returns the relative paths uploaded."""
    return upload_listed(client, local_dir, relative_files(local_dir), dest, parallel_files)


def relative_files(local_dir: Path) -> list[str]:
    return sorted(p.relative_to(local_dir).as_posix() for p in local_dir.rglob("*") if p.is_file())


def upload_listed(client: Any, local_dir: Path, rel_paths: list[str], dest: S3Uri,
                  parallel_files: int = 4) -> list[str]:
    """Uploads the files `rel_paths` of `local_dir` below `dest`; returns them."""
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
