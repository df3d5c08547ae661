"""Read what is behind a URI: a local path, `s3://bucket/key` (boto3), or `http(s)://`.

Remote content is streamed to a temporary file (kept in memory up to 64 MiB), never read whole into memory: an X
archive .zip with its media can be gigabytes, of which only the tweets files are read.

Every failure a user can fix (no such file, no such bucket, bad credentials) becomes a TweetBotInputError naming
the URI; no connection, or one cut mid-download, becomes a TweetBotTransientError (the Job retries it). S3 errors
get the same reasons as the output side's (tweetbot_trainer.s3), so a condition reads the same whichever bucket
is wrong.
"""

from __future__ import annotations

import http.client
import io
import os
import tempfile
import urllib.error
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from tweetbot_trainer.data import web
from tweetbot_trainer.errors import TweetBotInputError, TweetBotTransientError
from tweetbot_trainer.s3 import input_error_from, make_client

# A whole X archive .zip with its media (only its tweets files are read): bigger is refused while downloading.
MAX_DOWNLOAD_BYTES = 16 << 30
# One deadline for each whole download (s3 or http), however the bytes trickle in.
DEADLINE_ENV = "TWEETBOT_DOWNLOAD_DEADLINE_S"
DEFAULT_DEADLINE_S = 3600.0
SPOOL_IN_MEMORY_BYTES = 64 << 20
# On an object read, "404" is the object (a missing bucket says NoSuchBucket).
_S3_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}


def download_deadline_s() -> float:
    try:
        return float(os.environ.get(DEADLINE_ENV, DEFAULT_DEADLINE_S))
    except ValueError:
        return DEFAULT_DEADLINE_S


def is_remote(uri: str) -> bool:
    return uri.startswith(("s3://", "http://", "https://"))


def split_s3_uri(uri: str) -> tuple[str, str]:
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise TweetBotInputError("BadURI", f"not an s3:// URI: {uri}")
    return parsed.netloc, parsed.path.lstrip("/")


def _s3_error(uri: str, exc: ClientError) -> TweetBotInputError | None:
    code = str(exc.response.get("Error", {}).get("Code", ""))
    if code in _S3_NOT_FOUND:
        return TweetBotInputError("SourceNotFound", f"{uri}: no such object")
    mapped = input_error_from(exc, uri)
    return mapped if isinstance(mapped, TweetBotInputError) else None


@contextmanager
def _s3_errors(uri: str) -> Iterator[None]:
    """S3 failures as the errors above: input errors for what a user must fix, transient ones for the rest."""
    try:
        yield
    except NoCredentialsError as exc:
        raise input_error_from(exc, uri) from exc
    except ClientError as exc:
        err = _s3_error(uri, exc)
        if err is not None:
            raise err from exc
        raise
    except BotoCoreError as exc:  # no connection after boto3's own retries, or a read cut short
        raise TweetBotTransientError("SourceUnreachable", f"{uri}: cannot reach S3 ({exc})") from exc


def _stream_socket(body: Any) -> Any:
    """The socket under a boto3 StreamingBody (urllib3's connection), or None where this botocore has none."""
    connection = getattr(getattr(body, "_raw_stream", None), "connection", None)
    return getattr(connection, "sock", None)


def copy_s3(uri: str, out: IO[bytes], endpoint_url: str | None = None, limit: int = MAX_DOWNLOAD_BYTES) -> None:
    bucket, key = split_s3_uri(uri)
    deadline = download_deadline_s()
    with _s3_errors(uri), web.Watchdog(deadline) as watchdog, _download_errors(uri, limit):
        try:
            answer = make_client(endpoint_url).get_object(Bucket=bucket, Key=key)
            sock = _stream_socket(answer["Body"])
            if sock is not None:
                watchdog.register(sock)
            web.copy_body(answer["Body"], out, limit, watchdog, announced=answer.get("ContentLength"))
        except (BotoCoreError, OSError, ValueError) as exc:  # a read the watchdog cut
            if watchdog.expired:
                raise web.DeadlineExceededError(deadline) from exc
            raise


def list_s3(uri: str, endpoint_url: str | None = None) -> list[str]:
    """Keys under an s3:// prefix (an unpacked archive folder), as s3:// URIs."""
    bucket, prefix = split_s3_uri(uri)
    uris: list[str] = []
    with _s3_errors(uri):
        for page in make_client(endpoint_url).get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            uris.extend(f"s3://{bucket}/{obj['Key']}" for obj in page.get("Contents", []))
    return uris


@contextmanager
def _download_errors(uri: str, limit: int) -> Iterator[None]:
    """A body over the cap and a missed deadline as the errors a user reads."""
    try:
        yield
    except web.BodyTooLargeError as exc:
        raise TweetBotInputError("SourceTooLarge", f"{uri}: more than {limit:,} bytes; is this the right file?") \
            from exc
    except web.DeadlineExceededError as exc:
        raise TweetBotTransientError("SourceUnreachable", f"{uri}: {exc} ({DEADLINE_ENV})") from exc


def _raise_for_status(uri: str, code: int) -> None:
    if code in (401, 403):
        raise TweetBotInputError("BadCredentials", f"{uri}: HTTP {code}, access denied")
    if code in (404, 410):
        raise TweetBotInputError("SourceNotFound", f"{uri}: HTTP {code}, not found")
    if code >= 500 or code == 429:
        raise TweetBotTransientError("SourceTemporaryError", f"{uri}: HTTP {code}")
    if code >= 400:
        raise TweetBotInputError("SourceError", f"{uri}: HTTP {code}")


def copy_http(uri: str, out: IO[bytes], limit: int = MAX_DOWNLOAD_BYTES) -> None:
    try:
        with (
            _download_errors(uri, limit),
            web.opened(uri, {"User-Agent": "tweetbot-trainer"}, download_deadline_s()) as (response, watchdog),
        ):
            _raise_for_status(uri, response.status)
            web.copy_body(response, out, limit, watchdog)
            if response.length:  # read(n) ends quietly at EOF; the bytes still announced were never sent
                raise http.client.IncompleteRead(b"", response.length)
    except urllib.error.URLError as exc:
        raise TweetBotTransientError("SourceUnreachable", f"{uri}: cannot connect ({exc.reason})") from exc
    except (http.client.HTTPException, OSError) as exc:  # the connection cut mid-body, a timeout while reading
        what = str(exc) or type(exc).__name__
        raise TweetBotTransientError("SourceUnreachable", f"{uri}: download cut short ({what})") from exc


def local_path(uri: str) -> Path:
    path = Path(uri.removeprefix("file://"))
    if not path.exists():
        raise TweetBotInputError("SourceNotFound", f"{path}: no such file")
    if path.is_dir():
        raise TweetBotInputError("SourceNotFound", f"{path}: is a folder, not a file")
    return path


@contextmanager
def open_binary(uri: str, s3_endpoint: str | None = None, limit: int = MAX_DOWNLOAD_BYTES) -> Iterator[IO[bytes]]:
    """The content behind `uri` as a seekable binary file, positioned at its start; a download stops at
    `limit` bytes (SourceTooLarge)."""
    if not is_remote(uri):
        with local_path(uri).open("rb") as handle:
            yield handle
        return
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES) as spool:
        if uri.startswith("s3://"):
            copy_s3(uri, spool, s3_endpoint, limit)
        else:
            copy_http(uri, spool, limit)
        spool.seek(0)
        yield spool


def read_capped(handle: IO[bytes], uri: str, limit: int) -> bytes:
    """All of `handle`, or an input error when it holds more than `limit` bytes (never reading more). Read in
    chunks: read(limit + 1) would allocate the whole limit (1 GiB) up front for a file of any size."""
    out = io.BytesIO()
    while chunk := handle.read(min(web.CHUNK_BYTES, limit + 1 - out.tell())):
        out.write(chunk)
    data = out.getvalue()
    if len(data) > limit:
        raise TweetBotInputError("SourceTooLarge", f"{uri}: more than {limit:,} bytes; is this the right file?")
    return data


def read_bytes(uri: str, s3_endpoint: str | None = None, *, limit: int) -> bytes:
    """The whole content behind `uri`, at most `limit` bytes."""
    with open_binary(uri, s3_endpoint, limit) as handle:
        return read_capped(handle, uri, limit)
