"""Upload limits from the settings, and the instance documents that report them."""

from dataclasses import replace

import pytest
from PIL import Image

from images import png_bytes
from townsquare.settings import MediaSettings, Settings

from .conftest import Client, UserFactory
from .test_media import upload


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Small limits, so that tests can go past them cheaply."""
    return replace(settings, media=MediaSettings(max_bytes=200_000, max_pixels=1_000_000))


def test_the_size_limits_come_from_settings(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    too_many_pixels = upload(client, alice, png_bytes(Image.new("RGB", (1001, 1000))))
    assert too_many_pixels.status_code == 422
    assert "up to 1000000 pixels" in too_many_pixels.json()["error"]
    noise = Image.frombytes("RGB", (400, 400), bytes(range(256)) * 1875)
    too_large = png_bytes(noise.effect_spread(50)) * 2
    too_many_bytes = upload(client, alice, too_large)
    assert too_many_bytes.status_code in (413, 422)  # Litestar's limit or ours, both say why
    assert upload(client, alice, png_bytes(Image.new("RGB", (1000, 1000)))).status_code == 200


def test_the_instance_documents_report_the_media_limits(client: Client) -> None:
    v2 = client.get("/api/v2/instance").json()["configuration"]
    assert v2["statuses"]["max_media_attachments"] == 4
    media = v2["media_attachments"]
    assert media["image_size_limit"] == 200_000
    assert media["image_matrix_limit"] == 1_000_000
    assert media["supported_mime_types"] == ["image/jpeg", "image/png", "image/gif", "image/webp"]
    assert media["video_size_limit"] == 0
    v1 = client.get("/api/v1/instance").json()["configuration"]
    assert v1["statuses"]["max_media_attachments"] == 4
    assert v1["media_attachments"]["image_size_limit"] == 200_000
