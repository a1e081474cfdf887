"""The server keeps media in an S3-compatible bucket when one is configured (moto's S3 server
here, the `s3_endpoint` fixture of tests/conftest.py)."""

import uuid
from dataclasses import replace

import boto3
import pytest

from images import jpeg_bytes, scene
from townsquare.settings import MediaSettings, S3Settings, Settings

from .conftest import Client, UserFactory
from .test_media import post_with_media, uploaded


@pytest.fixture
def settings(settings: Settings, s3_endpoint: str) -> Settings:
    bucket = f"townsquare-{uuid.uuid4().hex[:12]}"
    s3 = S3Settings(
        bucket=bucket,
        endpoint_url=s3_endpoint,
        region="us-east-1",
        access_key_id="testing",
        secret_access_key="testing",
        prefix="media",
    )
    boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=s3.region,
        aws_access_key_id=s3.access_key_id,
        aws_secret_access_key=s3.secret_access_key,
    ).create_bucket(Bucket=bucket)
    return replace(settings, media=MediaSettings(s3=s3))


def test_uploads_go_to_the_bucket_and_are_served_from_it(
    client: Client, make_user: UserFactory, settings: Settings
) -> None:
    assert settings.media.s3 is not None
    alice = make_user("alice")
    media = uploaded(client, alice, jpeg_bytes(scene()))
    bucket = boto3.client(
        "s3",
        endpoint_url=settings.media.s3.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    listed = bucket.list_objects_v2(Bucket=settings.media.s3.bucket)
    keys = sorted(item["Key"] for item in listed["Contents"])
    assert keys == [f"media/{media['id']}/original", f"media/{media['id']}/small"]
    assert not settings.resolved_media_directory.exists()
    assert post_with_media(client, alice, [media["id"]]).status_code == 200
    served = client.get(f"/media/{media['id']}/original")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    stored = bucket.get_object(Bucket=settings.media.s3.bucket, Key=keys[0])
    assert served.content == stored["Body"].read()
