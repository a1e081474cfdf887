"""End to end: the real Mastodon.py client against a real server on a loopback port."""

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mastodon import Mastodon, MastodonNotFoundError
from PIL import Image

from images import jpeg_bytes, scene
from live_server import free_port_socket, serve_asgi
from townsquare.app import build_services, create_app
from townsquare.microblog import Passwords
from townsquare.settings import Settings

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"


@pytest.fixture
def server_url(settings: Settings) -> Iterator[str]:
    """A uvicorn server in a background thread, on a port the OS picked, for this test."""
    sock, url = free_port_socket()
    services = build_services(
        dataclasses.replace(settings, base_url=url),
        passwords=Passwords(time_cost=1, memory_cost_kib=8, parallelism=1),
    )
    for name in ("alice", "bob"):
        services.microblog.accounts.register(name, PASSWORD, email=f"{name}@example.com")
    with serve_asgi(create_app(services), sock=sock, lifespan="on"):
        yield url
    services.db.dispose()


def log_in(url: str, login: str) -> Any:
    client_id, client_secret = Mastodon.create_app("e2e tests", api_base_url=url)
    client = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=url)
    client.log_in(login, PASSWORD, allow_http=True)
    return client


def test_a_conversation_through_mastodon_py(server_url: str) -> None:
    alice = log_in(server_url, "alice")  # by handle
    bob = log_in(server_url, "bob@example.com")  # by e-mail
    assert alice.retrieve_mastodon_version() == "4.3.0"

    me = alice.account_verify_credentials()
    bob_account = bob.account_verify_credentials()
    assert me.username == "alice"
    assert bob_account.acct == "bob"

    relationship = bob.account_follow(me.id)
    assert relationship.following is True

    first = alice.status_post("Hello from #Townsquare, @bob!")
    assert "Hello from" in first.content
    reply = bob.status_post("Welcome!", in_reply_to_id=first.id)
    assert reply.in_reply_to_id == first.id
    reblog = bob.status_reblog(first.id)
    assert reblog.reblog.id == first.id
    favourite = bob.status_favourite(first.id)
    assert favourite.favourited is True
    assert favourite.favourites_count == 1

    home = bob.timeline_home()
    assert [s.id for s in home][:2] == [reblog.id, reply.id]
    found = bob.search_v2("townsquare")
    assert [s.id for s in found.statuses] == [first.id]
    assert [t.name for t in found.hashtags] == ["townsquare"]

    kinds = [n.type for n in alice.notifications()]
    assert kinds == ["favourite", "reblog", "mention", "follow"]
    mentions = alice.notifications(types=["mention"])
    assert [n.status.id for n in mentions] == [reply.id]

    context = alice.status_context(first.id)
    assert [s.id for s in context.descendants] == [reply.id]
    alice.status_delete(first.id)
    with pytest.raises(MastodonNotFoundError):
        alice.status(first.id)


def test_fetch_next_walks_every_page(server_url: str) -> None:
    alice = log_in(server_url, "alice")
    posted = [alice.status_post(f"note {i}").id for i in range(45)]
    page = alice.timeline_home(limit=40)
    seen: list[int] = []
    while page:
        seen.extend(s.id for s in page)
        page = alice.fetch_next(page)
    assert seen == list(reversed(posted))


def test_what_mastodon_py_apps_read_at_start_up(server_url: str) -> None:
    alice, bob = log_in(server_url, "alice"), log_in(server_url, "bob")
    me = alice.account_verify_credentials()
    first = bob.status_post("Worth keeping")
    second = bob.status_post("Worth keeping too")
    bob.account_follow(me.id)

    alice.status_bookmark(first.id)
    alice.status_bookmark(second.id)
    alice.status_favourite(first.id)
    alice.status_unbookmark(second.id)
    alice.markers_set(["home", "notifications"], [second.id, 1])

    assert [s.id for s in alice.bookmarks()] == [first.id]
    assert [s.id for s in alice.favourites()] == [first.id]
    assert [a.acct for a in bob.status_favourited_by(first.id)] == ["alice"]
    markers = alice.markers_get(["home", "notifications"])
    assert markers.home.last_read_id == second.id
    assert markers.home.version == 1
    assert [a.acct for a in alice.account_search("bo")] == ["bob"]
    assert alice.notifications_unread_count().count == 1  # bob's follow, after marker 1
    assert [r.id for r in alice.instance_rules()] != []
    assert alice.preferences()["posting:default:visibility"] == "public"
    assert alice.custom_emojis() == []


def test_lists_through_mastodon_py(server_url: str) -> None:
    alice, bob = log_in(server_url, "alice"), log_in(server_url, "bob")
    bob_id = bob.account_verify_credentials().id
    alice.account_follow(bob_id)
    posted = bob.status_post("for the list")

    friends = alice.list_create("Friends")
    alice.list_accounts_add(friends.id, [bob_id])

    assert [entry.title for entry in alice.lists()] == ["Friends"]
    assert [a.acct for a in alice.list_accounts(friends.id)] == ["bob"]
    assert [s.id for s in alice.timeline_list(friends.id)] == [posted.id]
    alice.list_accounts_delete(friends.id, [bob_id])
    assert alice.list_accounts(friends.id) == []
    alice.list_delete(friends.id)
    assert alice.lists() == []


def test_filters_through_mastodon_py(server_url: str) -> None:
    alice, bob = log_in(server_url, "alice"), log_in(server_url, "bob")
    alice.account_follow(bob.account_verify_credentials().id)
    spoiler = bob.status_post("the finale was a shock")

    created = alice.create_filter_v2(
        "Spoilers", ["home"], "warn", keywords_attributes=[{"keyword": "finale"}]
    )
    home = alice.timeline_home()

    assert [f.title for f in alice.filters_v2()] == ["Spoilers"]
    assert home[0].id == spoiler.id
    assert home[0].filtered[0].filter.id == created.id
    alice.delete_filter_v2(created.id)
    assert alice.filters_v2() == []


def test_media_through_mastodon_py(server_url: str, tmp_path: Path) -> None:
    alice = log_in(server_url, "alice")
    picture = tmp_path / "picture.jpg"
    picture.write_bytes(jpeg_bytes(scene(800, 600), orientation=3))
    media = alice.media_post(
        str(picture), mime_type="image/jpeg", description="Bands and a disc", focus=(0.5, -0.5)
    )
    assert media.type == "image"
    assert media.url == f"{server_url}/media/{media.id}/original"
    assert media.preview_url == f"{server_url}/media/{media.id}/small"
    assert media.description == "Bands and a disc"
    assert len(media.blurhash) == 28
    assert (media.meta.focus.x, media.meta.focus.y) == (0.5, -0.5)

    updated = alice.media_update(media.id, description="Yellow bands around a black disc")
    assert updated.description == "Yellow bands around a black disc"

    status = alice.status_post("A picture", media_ids=[media.id], sensitive=True)
    (attached,) = status.media_attachments
    assert attached.id == media.id
    assert attached.description == "Yellow bands around a black disc"
    assert (attached.url, attached.preview_url, attached.blurhash) == (
        media.url,
        media.preview_url,
        media.blurhash,
    )
    assert status.sensitive is True
    for url, size in ((attached.url, (800, 600)), (attached.preview_url, (640, 480))):
        downloaded = httpx.get(url)
        assert downloaded.status_code == 200
        assert downloaded.headers["content-type"] == "image/jpeg"
        assert Image.open(io.BytesIO(downloaded.content)).size == size
    only_media = alice.account_statuses(alice.me().id, only_media=True)
    assert [s.id for s in only_media] == [status.id]
