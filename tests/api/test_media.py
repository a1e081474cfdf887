"""Media attachments through the API: uploading (v1 and v2), the uploader's view and update,
posting with `media_ids`, the instance documents, and who is served the files."""

import io
from typing import Any

import pytest
from PIL import Image

from images import gif_bytes, jpeg_bytes, png_bytes, scene, webp_bytes
from townsquare.app import Services
from townsquare.microblog import Role
from townsquare.moderation import ActionKind, Decision, PostTarget

from .conftest import Client, User, UserFactory


def upload(
    client: Client,
    user: User,
    data: bytes,
    *,
    version: str = "v2",
    content_type: str = "image/jpeg",
    **fields: str,
) -> Any:
    return client.post(
        f"/api/{version}/media",
        headers=user.headers,
        files={"file": ("upload", data, content_type)},
        data=fields,
    )


def uploaded(client: Client, user: User, data: bytes, **fields: str) -> dict[str, Any]:
    response = upload(client, user, data, **fields)
    assert response.status_code == 200, response.text
    entity: dict[str, Any] = response.json()
    return entity


def post_with_media(client: Client, user: User, media_ids: list[str], text: str = "") -> Any:
    return client.post(
        "/api/v1/statuses", headers=user.headers, data={"status": text, "media_ids[]": media_ids}
    )


def downloaded(client: Client, url: str) -> Image.Image:
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, response.text
    return Image.open(io.BytesIO(response.content))


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_an_upload_answers_the_processed_attachment(
    client: Client, make_user: UserFactory, version: str
) -> None:
    alice = make_user("alice")
    response = upload(
        client,
        alice,
        jpeg_bytes(scene(1600, 1000)),
        version=version,
        description="Yellow bands and a black disc",
        focus="0.5,-0.25",
    )
    assert response.status_code == 200, response.text
    media = response.json()
    assert media["type"] == "image"
    assert media["url"] == f"http://testserver/media/{media['id']}/original"
    assert media["preview_url"] == f"http://testserver/media/{media['id']}/small"
    assert media["remote_url"] is None
    assert media["description"] == "Yellow bands and a black disc"
    assert media["meta"]["original"] == {
        "width": 1600,
        "height": 1000,
        "size": "1600x1000",
        "aspect": 1.6,
    }
    assert media["meta"]["small"]["width"] == 640
    assert media["meta"]["small"]["height"] == 400
    assert media["meta"]["focus"] == {"x": 0.5, "y": -0.25}
    assert len(media["blurhash"]) == 28  # 4 × 3 components


def test_the_exif_orientation_is_applied_and_the_metadata_stripped(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    # Orientation 6: the camera was turned; the stored pixels are 300 × 200 but show 200 × 300.
    media = uploaded(client, alice, jpeg_bytes(scene(300, 200), orientation=6))
    assert media["meta"]["original"]["width"] == 200
    assert media["meta"]["original"]["height"] == 300
    assert post_with_media(client, alice, [media["id"]]).status_code == 200
    original = downloaded(client, media["url"])
    assert original.size == (200, 300)
    assert original.format == "JPEG"
    assert not original.getexif()  # no camera, no GPS, no orientation left
    assert "exif" not in original.info
    assert "xmp" not in original.info


@pytest.mark.parametrize(
    ("data", "content_type", "served_as"),
    [
        (png_bytes(scene(), transparent=True), "image/png", "PNG"),
        (gif_bytes(scene(seed=1), scene(seed=2)), "image/gif", "PNG"),
        (webp_bytes(scene()), "image/webp", "WEBP"),
    ],
    ids=["png", "gif", "webp"],
)
def test_png_gif_and_webp_are_accepted(
    client: Client, make_user: UserFactory, data: bytes, content_type: str, served_as: str
) -> None:
    alice = make_user("alice")
    media = uploaded(client, alice, data, content_type=content_type)
    assert post_with_media(client, alice, [media["id"]]).status_code == 200
    original = downloaded(client, media["url"])
    assert original.format == served_as
    assert original.size == (300, 200)
    assert getattr(original, "n_frames", 1) == 1  # a GIF keeps its first frame only


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"not an image at all", "not an image this server can read"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64), "video and audio"),
        (jpeg_bytes(scene())[:1500], "damaged"),
    ],
    ids=["text", "video", "truncated"],
)
def test_what_is_not_an_accepted_image_is_a_422_saying_what_is(
    client: Client, make_user: UserFactory, data: bytes, says: str
) -> None:
    response = upload(client, make_user("alice"), data)
    assert response.status_code == 422
    assert says in response.json()["error"]
    assert "JPEG, PNG, GIF" in response.json()["error"]


def test_an_upload_without_a_file_or_without_the_scope_is_refused(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    response = client.post("/api/v2/media", headers=alice.headers, data={"description": "x"})
    assert response.status_code == 422
    assert "file is missing" in response.json()["error"]
    reader = make_user("reader", scopes="read")
    assert upload(client, reader, jpeg_bytes(scene())).status_code == 403
    assert client.post("/api/v2/media", files={"file": ("a", b"x")}).status_code == 401


def test_the_uploader_reads_and_updates_an_upload_others_do_not(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    media = uploaded(client, alice, jpeg_bytes(scene()))
    mine = client.get(f"/api/v1/media/{media['id']}", headers=alice.headers)
    assert mine.status_code == 200
    assert mine.json() == media
    assert client.get(f"/api/v1/media/{media['id']}", headers=bob.headers).status_code == 404
    changed = client.put(
        f"/api/v1/media/{media['id']}",
        headers=alice.headers,
        data={"description": "Now described", "focus": "-1,1"},
    )
    assert changed.status_code == 200
    assert changed.json()["description"] == "Now described"
    assert changed.json()["meta"]["focus"] == {"x": -1.0, "y": 1.0}
    theirs = client.put(
        f"/api/v1/media/{media['id']}", headers=bob.headers, data={"description": "Mine now"}
    )
    assert theirs.status_code == 404
    bad_focus = client.put(
        f"/api/v1/media/{media['id']}", headers=alice.headers, data={"focus": "2,0"}
    )
    assert bad_focus.status_code == 422
    assert "-1 to 1" in bad_focus.json()["error"]
    too_long = client.put(
        f"/api/v1/media/{media['id']}", headers=alice.headers, data={"description": "x" * 1501}
    )
    assert too_long.status_code == 422
    assert "at most 1500" in too_long.json()["error"]


def test_a_post_carries_its_media_in_order_and_may_have_no_text(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    first = uploaded(client, alice, jpeg_bytes(scene(seed=1)), description="One")
    second = uploaded(client, alice, png_bytes(scene(seed=2)), content_type="image/png")
    response = post_with_media(client, alice, [second["id"], first["id"]])
    assert response.status_code == 200, response.text
    status = response.json()
    assert [m["id"] for m in status["media_attachments"]] == [second["id"], first["id"]]
    assert status["media_attachments"][1]["description"] == "One"
    assert status["content"] == ""
    for path in (f"/api/v1/statuses/{status['id']}", f"/api/v1/accounts/{alice.id}/statuses"):
        shown = client.get(path, headers=alice.headers).json()
        shown = shown[0] if isinstance(shown, list) else shown
        assert [m["id"] for m in shown["media_attachments"]] == [second["id"], first["id"]]
    # Described after posting, as Mastodon allows: the status shows the new description.
    client.put(f"/api/v1/media/{second['id']}", headers=alice.headers, data={"description": "Two"})
    shown = client.get(f"/api/v1/statuses/{status['id']}").json()
    assert shown["media_attachments"][0]["description"] == "Two"


def test_media_ids_in_a_json_body(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    media = uploaded(client, alice, jpeg_bytes(scene()))
    response = client.post(
        "/api/v1/statuses",
        headers=alice.headers,
        json={"status": "With a picture", "media_ids": [media["id"]], "sensitive": True},
    )
    assert response.status_code == 200, response.text
    assert response.json()["media_attachments"][0]["id"] == media["id"]
    assert response.json()["sensitive"] is True


def test_media_that_cannot_be_attached_is_a_422(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    theirs = uploaded(client, bob, jpeg_bytes(scene()))
    refused = post_with_media(client, alice, [theirs["id"]], "Taking Bob's picture")
    assert refused.status_code == 422
    assert "not one of your uploads" in refused.json()["error"]
    mine = uploaded(client, alice, jpeg_bytes(scene()))
    assert post_with_media(client, alice, [mine["id"]]).status_code == 200
    again = post_with_media(client, alice, [mine["id"]], "Once more")
    assert again.status_code == 422
    assert "attached to another post" in again.json()["error"]
    five = [uploaded(client, alice, jpeg_bytes(scene()))["id"] for _ in range(5)]
    too_many = post_with_media(client, alice, five)
    assert too_many.status_code == 422
    assert "at most 4" in too_many.json()["error"]
    empty = client.post("/api/v1/statuses", headers=alice.headers, data={"status": " "})
    assert empty.status_code == 422
    # Nothing was attached by the refused posts: the four can still go in one post.
    assert post_with_media(client, alice, five[:4]).status_code == 200


def test_a_content_warning_makes_the_post_sensitive(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    media = uploaded(client, alice, jpeg_bytes(scene()))
    status = client.post(
        "/api/v1/statuses",
        headers=alice.headers,
        data={"status": "", "spoiler_text": "Spiders", "media_ids[]": [media["id"]]},
    ).json()
    assert status["sensitive"] is True
    assert status["spoiler_text"] == "Spiders"


def _file(client: Client, media: dict[str, Any], which: str = "original") -> int:
    return client.get(
        media[f"{which}_url" if which == "preview" else "url"].removeprefix("http://testserver")
    ).status_code


def test_files_are_served_to_whom_the_post_is_visible(
    client: Client, make_user: UserFactory, services: Services
) -> None:
    alice, moderator = make_user("alice"), make_user("mod")
    services.microblog.accounts.set_role(moderator.account.id, Role.MODERATOR)
    media = uploaded(client, alice, jpeg_bytes(scene()))
    assert _file(client, media) == 404  # unattached: its uploader's only (see tests/web)
    status = post_with_media(client, alice, [media["id"]], "Public").json()
    assert _file(client, media) == 200
    assert _file(client, media, "preview") == 200
    served = client.get(media["preview_url"].removeprefix("http://testserver"))
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["cache-control"] == "private, max-age=600"
    assert served.headers["x-content-type-options"] == "nosniff"
    again = client.get(
        media["url"].removeprefix("http://testserver"),
        headers={"If-None-Match": served.headers["etag"].replace("small", "original")},
    )
    assert again.status_code == 304
    assert client.get(f"/media/{media['id']}/huge").status_code == 404

    clause = next(
        c for c in services.policies.clauses.values() if ActionKind.REMOVE in c.allowed_actions
    )
    services.moderation.enforce(
        Decision(
            moderator.account.id,
            ActionKind.REMOVE,
            PostTarget(int(status["id"])),
            clause.ref,
            "Facts.",
        )
    )
    assert _file(client, media) == 404  # the very next request
    assert _file(client, media, "preview") == 404
    # Not even a revalidation tells that the file exists.
    revalidated = client.get(
        media["url"].removeprefix("http://testserver"),
        headers={"If-None-Match": f'"{media["id"]}-original"'},
    )
    assert revalidated.status_code == 404


def test_files_of_a_followers_only_post_reach_followers_only(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    media = uploaded(client, alice, jpeg_bytes(scene()))
    response = client.post(
        "/api/v1/statuses",
        headers=alice.headers,
        data={"status": "Friends only", "visibility": "private", "media_ids[]": [media["id"]]},
    )
    assert response.status_code == 200
    assert _file(client, media) == 404  # an anonymous reader is no follower


def test_deleting_the_post_deletes_its_files(
    client: Client, make_user: UserFactory, services: Services
) -> None:
    alice = make_user("alice")
    media = uploaded(client, alice, jpeg_bytes(scene()))
    status = post_with_media(client, alice, [media["id"]]).json()
    folder = services.settings.resolved_media_directory / media["id"]
    assert sorted(p.name for p in folder.iterdir()) == ["original", "small"]
    assert client.delete(f"/api/v1/statuses/{status['id']}", headers=alice.headers).is_success
    assert not any(folder.iterdir())
    assert client.get(f"/api/v1/media/{media['id']}", headers=alice.headers).status_code == 404


def test_only_media_lists_the_posts_with_media(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    media = uploaded(client, alice, jpeg_bytes(scene()))
    with_media = post_with_media(client, alice, [media["id"]], "With a picture").json()
    client.post("/api/v1/statuses", headers=alice.headers, data={"status": "Words only"})
    client.post(f"/api/v1/statuses/{with_media['id']}/reblog", headers=bob.headers)
    public = client.get("/api/v1/timelines/public?only_media=true").json()
    assert [s["id"] for s in public] == [with_media["id"]]
    own = client.get(f"/api/v1/accounts/{alice.id}/statuses?only_media=1").json()
    assert [s["id"] for s in own] == [with_media["id"]]
    assert client.get(f"/api/v1/accounts/{bob.id}/statuses?only_media=1").json() == []
    assert len(client.get(f"/api/v1/accounts/{alice.id}/statuses").json()) == 2


def test_a_repost_and_a_quote_carry_the_original_media(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    media = uploaded(client, alice, jpeg_bytes(scene()))
    status = post_with_media(client, alice, [media["id"]], "Original").json()
    repost = client.post(f"/api/v1/statuses/{status['id']}/reblog", headers=bob.headers).json()
    assert repost["media_attachments"] == []  # the wrapper has none, as in Mastodon
    assert [m["id"] for m in repost["reblog"]["media_attachments"]] == [media["id"]]
    quote = client.post(
        "/api/v1/statuses",
        headers=bob.headers,
        data={"status": "Quoting", "quote_id": status["id"]},
    ).json()
    assert [m["id"] for m in quote["quote"]["quoted_status"]["media_attachments"]] == [media["id"]]


def test_head_on_a_file_answers_its_headers_without_the_body(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    media = uploaded(client, alice, png_bytes(scene()), content_type="image/png")
    post_with_media(client, alice, [media["id"]])
    head = client.head(f"/media/{media['id']}/original")
    assert head.status_code == 200
    assert head.headers["content-type"] == "image/png"
    assert head.content == b""
