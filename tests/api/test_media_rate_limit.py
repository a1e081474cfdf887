"""Image uploads are counted against their own rate limit, per account (X-RateLimit-*)."""

from dataclasses import replace

import pytest
from PIL import Image

from images import png_bytes
from townsquare.settings import RateLimitSettings, Settings

from .conftest import Client, UserFactory
from .test_media import upload


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, rate_limits=RateLimitSettings(media_per_account="2/hour"))


def test_uploads_are_rate_limited_per_account(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    image = png_bytes(Image.new("RGB", (20, 20), "navy"))

    first, second, third = (upload(client, alice, image, content_type="image/png") for _ in "abc")
    bobs = upload(client, bob, image, content_type="image/png")

    assert [r.status_code for r in (first, second, third)] == [200, 200, 429]
    assert first.headers["x-ratelimit-limit"] == "2"
    assert "uploaded images" in third.json()["error"]
    assert bobs.status_code == 200
