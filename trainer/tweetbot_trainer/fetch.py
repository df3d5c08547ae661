"""Read the bytes behind a URI: a local path, `s3://bucket/key` (boto3), or `http(s)://`.

Every failure a user can fix (no such file, no such bucket, bad credentials, unreachable host) becomes a
TweetBotInputError naming the URI.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.s3 import make_client

HTTP_TIMEOUT_S = 60.0
_S3_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}
_S3_BAD_CREDENTIALS = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403", "Forbidden"}


def is_remote(uri: str) -> bool:
    return uri.startswith(("s3://", "http://", "https://"))


def split_s3_uri(uri: str) -> tuple[str, str]:
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise TweetBotInputError("BadURI", f"not an s3:// URI: {uri}")
    return parsed.netloc, parsed.path.lstrip("/")


def _s3_error(uri: str, exc: Exception) -> TweetBotInputError | None:
    code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
    if code == "NoSuchBucket":
        return TweetBotInputError("BucketNotFound", f"{uri}: the bucket does not exist")
    if code in _S3_NOT_FOUND:
        return TweetBotInputError("SourceNotFound", f"{uri}: no such object")
    if code in _S3_BAD_CREDENTIALS:
        return TweetBotInputError("BadCredentials", f"{uri}: access denied ({code}); check the S3 credentials")
    return None


def read_s3(uri: str, endpoint_url: str | None = None) -> bytes:
    bucket, key = split_s3_uri(uri)
    try:
        body = make_client(endpoint_url).get_object(Bucket=bucket, Key=key)["Body"]
        return bytes(body.read())
    except NoCredentialsError as exc:
        raise TweetBotInputError("MissingCredentials", f"{uri}: no S3 credentials found") from exc
    except ClientError as exc:
        err = _s3_error(uri, exc)
        if err is not None:
            raise err from exc
        raise
    except BotoCoreError as exc:  # endpoint unreachable, bad endpoint URL
        raise TweetBotInputError("SourceUnreachable", f"{uri}: cannot reach S3 ({exc})") from exc


def list_s3(uri: str, endpoint_url: str | None = None) -> list[str]:
    """Keys under an s3:// prefix (an unpacked archive folder), as s3:// URIs."""
    bucket, prefix = split_s3_uri(uri)
    client = make_client(endpoint_url)
    uris: list[str] = []
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            uris.extend(f"s3://{bucket}/{obj['Key']}" for obj in page.get("Contents", []))
    except ClientError as exc:
        err = _s3_error(uri, exc)
        if err is not None:
            raise err from exc
        raise
    return uris


def read_http(uri: str) -> bytes:
    request = urllib.request.Request(uri, headers={"User-Agent": "tweetbot-trainer"})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise TweetBotInputError("BadCredentials", f"{uri}: HTTP {exc.code}, access denied") from exc
        if exc.code in (404, 410):
            raise TweetBotInputError("SourceNotFound", f"{uri}: HTTP {exc.code}, not found") from exc
        raise
    except urllib.error.URLError as exc:
        raise TweetBotInputError("SourceUnreachable", f"{uri}: cannot connect ({exc.reason})") from exc


def read_local(uri: str) -> bytes:
    path = Path(uri.removeprefix("file://"))
    if not path.exists():
        raise TweetBotInputError("SourceNotFound", f"{path}: no such file")
    if path.is_dir():
        raise TweetBotInputError("SourceNotFound", f"{path}: is a folder, not a file")
    return path.read_bytes()


def read_bytes(uri: str, s3_endpoint: str | None = None) -> bytes:
    """The whole content behind `uri`."""
    if uri.startswith("s3://"):
        return read_s3(uri, s3_endpoint)
    if uri.startswith(("http://", "https://")):
        return read_http(uri)
    return read_local(uri)
