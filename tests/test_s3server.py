"""The S3 test server itself: real signatures, multipart, restart on the same data."""

from __future__ import annotations

import io

import pytest
from botocore.exceptions import ClientError

from tests.support.s3server import S3Server


def test_put_get_and_multipart(s3_server: S3Server, s3_bucket: str) -> None:
    client = s3_server.client()
    client.put_object(Bucket=s3_bucket, Key="a/b.txt", Body=b"hello")
    assert client.get_object(Bucket=s3_bucket, Key="a/b.txt")["Body"].read() == b"hello"
    payload = bytes(range(256)) * (24 * 1024 * 4)  # 24 MiB: boto3 splits it into multipart chunks
    client.upload_fileobj(io.BytesIO(payload), s3_bucket, "big.bin")
    assert client.head_object(Bucket=s3_bucket, Key="big.bin")["ContentLength"] == len(payload)


def test_wrong_credentials_are_refused(s3_server: S3Server, s3_bucket: str) -> None:
    bad = s3_server.client(aws_access_key_id="nobody", aws_secret_access_key="wrong")
    with pytest.raises(ClientError) as err:
        bad.list_objects_v2(Bucket=s3_bucket)
    assert err.value.response["Error"]["Code"] in {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"}
