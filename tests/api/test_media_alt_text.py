"""An instance that requires alt text (TOWNSQUARE_MEDIA_REQUIRE_DESCRIPTION) refuses to post
an image without a description, and says why."""

from dataclasses import replace

import pytest

from images import jpeg_bytes, scene
from townsquare.settings import MediaSettings, Settings

from .conftest import Client, UserFactory
from .test_media import post_with_media, uploaded


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, media=MediaSettings(require_description=True))


def test_an_image_without_a_description_cannot_be_posted(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    media = uploaded(client, alice, jpeg_bytes(scene()))  # uploading needs none yet
    refused = post_with_media(client, alice, [media["id"]], "Look!")
    assert refused.status_code == 422
    assert "asks for a description (alt text) of every image" in refused.json()["error"]
    described = client.put(
        f"/api/v1/media/{media['id']}",
        headers=alice.headers,
        data={"description": "Yellow bands around a black disc"},
    )
    assert described.status_code == 200
    posted = post_with_media(client, alice, [media["id"]], "Look!")
    assert posted.status_code == 200
    assert posted.json()["media_attachments"][0]["description"].startswith("Yellow bands")


def test_the_instance_document_says_descriptions_are_required(client: Client) -> None:
    media = client.get("/api/v2/instance").json()["configuration"]["media_attachments"]
    assert media["townsquare_description_required"] is True
