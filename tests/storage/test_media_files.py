"""The media store's contract, held by each implementation: the filesystem, memory, and S3
(against moto's S3 server, the `s3_endpoint` fixture of tests/conftest.py)."""

import uuid
from pathlib import Path

import boto3
import pytest

from townsquare.storage import (
    FileMediaStore,
    MediaFileMissingError,
    MediaStore,
    MemoryMediaStore,
    S3MediaStore,
)


def s3_client(endpoint: str) -> object:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture(params=["file", "memory", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> MediaStore:
    if request.param == "file":
        return FileMediaStore(tmp_path / "media")
    if request.param == "memory":
        return MemoryMediaStore()
    client = s3_client(request.getfixturevalue("s3_endpoint"))
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)  # type: ignore[attr-defined]
    return S3MediaStore(client, bucket, prefix="townsquare/")


def test_a_file_put_is_read_back(store: MediaStore) -> None:
    store.put("123/original", b"\x89PNG picture", "image/png")
    store.put("123/small", b"small", "image/jpeg")
    assert store.get("123/original") == b"\x89PNG picture"
    assert store.get("123/small") == b"small"


def test_a_missing_file_raises_and_deleting_twice_is_fine(store: MediaStore) -> None:
    with pytest.raises(MediaFileMissingError):
        store.get("404/original")
    store.put("9/original", b"x", "image/png")
    store.delete("9/original")
    store.delete("9/original")
    with pytest.raises(MediaFileMissingError):
        store.get("9/original")


@pytest.mark.parametrize("key", ["../secret", "/etc/passwd", "a/../../b", ""])
def test_a_key_that_could_leave_the_store_is_refused(store: MediaStore, key: str) -> None:
    with pytest.raises(ValueError, match="Not a media key"):
        store.put(key, b"x", "image/png")


def test_the_s3_store_writes_under_its_prefix_with_the_content_type(s3_endpoint: str) -> None:
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="prefixed")  # type: ignore[attr-defined]
    S3MediaStore(client, "prefixed", prefix="/town/").put("7/small", b"jpeg", "image/jpeg")
    found = client.get_object(Bucket="prefixed", Key="town/7/small")  # type: ignore[attr-defined]
    assert found["ContentType"] == "image/jpeg"
    assert found["Body"].read() == b"jpeg"


def test_the_file_store_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = FileMediaStore(tmp_path)
    store.put("5/original", b"data", "image/png")
    assert [p.name for p in (tmp_path / "5").iterdir()] == ["original"]
