"""Timelines and paging through the Link header."""

import re
from typing import Any

import pytest

from .conftest import Client, User, UserFactory
from .test_statuses import post_status

_LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def links(response: Any) -> dict[str, str]:
    return {rel: url for url, rel in _LINK.findall(response.headers.get("link", ""))}


def walk(client: Client, url: str, user: User | None = None, **params: str) -> list[list[str]]:
    """Every page, following rel="next" until an empty page; returns ids per page."""
    headers = user.headers if user else {}
    pages: list[list[str]] = []
    response = client.get(url, params=params, headers=headers)
    while True:
        assert response.status_code == 200, response.text
        ids = [item["id"] for item in response.json()]
        if not ids:
            assert "link" not in response.headers
            return pages
        pages.append(ids)
        assert len(pages) < 100
        response = client.get(
            links(response)["next"].removeprefix("http://testserver"), headers=headers
        )


def test_home_shows_followed_accounts_and_pages_without_gaps(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    expected = [post_status(client, bob if i % 2 else alice, f"post {i}")["id"] for i in range(45)]
    post_status(client, carol, "not followed")
    pages = walk(client, "/api/v1/timelines/home", alice, limit="10")
    assert [len(p) for p in pages] == [10, 10, 10, 10, 5]
    seen = [i for page in pages for i in page]
    assert seen == list(reversed(expected))  # newest first, no gaps, no duplicates


def test_the_default_page_is_20_and_the_largest_40(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    for i in range(45):
        post_status(client, alice, f"post {i}")
    assert len(client.get("/api/v1/timelines/public").json()) == 20
    assert len(client.get("/api/v1/timelines/public?limit=400").json()) == 40
    assert len(client.get("/api/v1/timelines/public?limit=0").json()) == 1
    bad = client.get("/api/v1/timelines/public?limit=many")
    assert bad.status_code == 422
    assert "limit" in bad.json()["error"]


def test_prev_link_returns_newer_items(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    ids = [post_status(client, alice, f"post {i}")["id"] for i in range(6)]
    older = client.get("/api/v1/timelines/public", params={"max_id": ids[3], "limit": "2"})
    assert [s["id"] for s in older.json()] == [ids[2], ids[1]]
    prev = links(older)["prev"].removeprefix("http://testserver")
    newer = client.get(prev)
    assert [s["id"] for s in newer.json()] == [ids[4], ids[3]]
    since = client.get("/api/v1/timelines/public", params={"since_id": ids[3]})
    assert [s["id"] for s in since.json()] == [ids[5], ids[4]]


def test_links_keep_the_other_parameters(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    post_status(client, alice, "#cats are great")
    response = client.get("/api/v1/timelines/tag/cats", params={"limit": "5"})
    next_url = links(response)["next"]
    assert next_url.startswith("http://testserver/api/v1/timelines/tag/cats?")
    assert "limit=5" in next_url


@pytest.mark.parametrize("param", ["max_id=abc", "since_id=-3", "min_id=1.5"])
def test_bad_cursors_are_422(client: Client, param: str) -> None:
    response = client.get(f"/api/v1/timelines/public?{param}")
    assert response.status_code == 422
    assert param.split("=")[0] in response.json()["error"]


def test_home_needs_a_user_token(client: Client) -> None:
    response = client.get("/api/v1/timelines/home")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


def test_public_timeline_options(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    post_status(client, alice, "public")
    post_status(client, alice, "unlisted", visibility="unlisted")
    assert len(client.get("/api/v1/timelines/public").json()) == 1
    assert len(client.get("/api/v1/timelines/public?local=true").json()) == 1
    assert client.get("/api/v1/timelines/public?remote=1").json() == []
    assert client.get("/api/v1/timelines/public?only_media=1").json() == []


def test_tag_timeline(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    tagged = post_status(client, alice, "I like #Cats")
    post_status(client, alice, "no tags")
    assert [s["id"] for s in client.get("/api/v1/timelines/tag/cats").json()] == [tagged["id"]]
    assert client.get("/api/v1/timelines/tag/nothing").json() == []
    assert client.get("/api/v1/timelines/tag/bad%20tag").json() == []


def test_blocked_and_muted_accounts_disappear(client: Client, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for other in (bob, carol):
        client.post(f"/api/v1/accounts/{other.id}/follow", headers=alice.headers)
    post_status(client, bob, "from bob")
    post_status(client, carol, "from carol")

    def authors(url: str) -> set[str]:
        return {s["account"]["username"] for s in client.get(url, headers=alice.headers).json()}

    assert authors("/api/v1/timelines/home") == {"bob", "carol"}
    client.post(f"/api/v1/accounts/{bob.id}/mute", headers=alice.headers)
    client.post(f"/api/v1/accounts/{carol.id}/block", headers=alice.headers)
    assert authors("/api/v1/timelines/home") == set()
    assert authors("/api/v1/timelines/public") == set()
    found = client.get("/api/v2/search?q=from", headers=alice.headers).json()
    assert found["statuses"] == []
    everyone = client.get("/api/v1/timelines/public").json()
    assert {s["account"]["username"] for s in everyone} == {"bob", "carol"}
