"""The lists apps read about saved and shared posts: the user's favourites, and who
favourited or reposted a status — each newest first, paged by its Link header."""

import re

from .conftest import Client, User, UserFactory
from .test_statuses import post_status


def _next_page(response_link: str) -> str:
    found = re.search(r"<http://testserver([^>]*)>; rel=\"next\"", response_link)
    assert found, response_link
    return found.group(1)


def _favourite(client: Client, user: User, status_id: str) -> None:
    response = client.post(f"/api/v1/statuses/{status_id}/favourite", headers=user.headers)
    assert response.status_code == 200, response.text


def test_favourites_list_the_newest_favourite_first_and_page(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    ids = [post_status(client, bob, f"post {n}")["id"] for n in range(3)]
    for status_id in (ids[1], ids[0], ids[2]):  # favourited out of posting order
        _favourite(client, alice, status_id)

    first = client.get("/api/v1/favourites", params={"limit": "2"}, headers=alice.headers)
    second = client.get(_next_page(first.headers["link"]), headers=alice.headers)

    assert [s["id"] for s in first.json()] == [ids[2], ids[0]]
    assert all(s["favourited"] for s in first.json())
    assert [s["id"] for s in second.json()] == [ids[1]]
    assert client.get("/api/v1/favourites", headers=bob.headers).json() == []


def test_favourites_need_a_user_with_the_scope(client: Client, make_user: UserFactory) -> None:
    writer = make_user("writer", scopes="write")

    assert client.get("/api/v1/favourites").status_code == 401
    assert client.get("/api/v1/favourites", headers=writer.headers).status_code == 403


def test_who_favourited_and_who_reposted(client: Client, make_user: UserFactory) -> None:
    author, carol, dave = make_user("author"), make_user("carol"), make_user("dave")
    status = post_status(client, author, "worth sharing")["id"]
    for fan in (carol, dave):
        _favourite(client, fan, status)
    client.post(f"/api/v1/statuses/{status}/reblog", headers=dave.headers)

    liked = client.get(f"/api/v1/statuses/{status}/favourited_by", params={"limit": "1"})
    rest = client.get(_next_page(liked.headers["link"]))
    shared = client.get(f"/api/v1/statuses/{status}/reblogged_by")

    assert [a["acct"] for a in liked.json()] == ["dave"]
    assert [a["acct"] for a in rest.json()] == ["carol"]
    assert [a["acct"] for a in shared.json()] == ["dave"]


def test_who_favourited_leaves_out_accounts_the_viewer_blocks(
    client: Client, make_user: UserFactory
) -> None:
    author, viewer, blocked = make_user("author"), make_user("viewer"), make_user("blocked")
    status = post_status(client, author, "hello")["id"]
    _favourite(client, blocked, status)
    client.post(f"/api/v1/accounts/{blocked.id}/block", headers=viewer.headers)

    as_viewer = client.get(f"/api/v1/statuses/{status}/favourited_by", headers=viewer.headers)
    as_stranger = client.get(f"/api/v1/statuses/{status}/favourited_by")

    assert as_viewer.json() == []
    assert [a["acct"] for a in as_stranger.json()] == ["blocked"]


def test_who_favourited_a_status_out_of_reach_is_404(
    client: Client, make_user: UserFactory
) -> None:
    author = make_user("author")
    private = post_status(client, author, "followers only", visibility="private")["id"]

    assert client.get(f"/api/v1/statuses/{private}/favourited_by").status_code == 404
    assert client.get(f"/api/v1/statuses/{private}/reblogged_by").status_code == 404
    assert client.get("/api/v1/statuses/123/reblogged_by").status_code == 404


def test_bookmarks_are_private_idempotent_and_flag_the_status(
    client: Client, make_user: UserFactory
) -> None:
    author, reader = make_user("author"), make_user("reader")
    older = post_status(client, author, "older")["id"]
    newer = post_status(client, author, "newer")["id"]
    for status_id in (newer, older, older):  # twice: still one bookmark
        marked = client.post(f"/api/v1/statuses/{status_id}/bookmark", headers=reader.headers)
        assert marked.json()["bookmarked"] is True

    listed = client.get("/api/v1/bookmarks", headers=reader.headers).json()
    as_author = client.get(f"/api/v1/statuses/{older}", headers=author.headers).json()
    unmarked = client.post(f"/api/v1/statuses/{older}/unbookmark", headers=reader.headers)

    assert [s["id"] for s in listed] == [older, newer]
    assert all(s["bookmarked"] for s in listed)
    assert as_author["bookmarked"] is False
    assert as_author["favourites_count"] == 0
    assert unmarked.json()["bookmarked"] is False
    assert [s["id"] for s in client.get("/api/v1/bookmarks", headers=reader.headers).json()] == [
        newer
    ]
    assert client.get("/api/v1/notifications", headers=author.headers).json() == []


def test_bookmarking_a_repost_keeps_the_original(client: Client, make_user: UserFactory) -> None:
    author, booster, reader = make_user("author"), make_user("booster"), make_user("reader")
    original = post_status(client, author, "original")["id"]
    repost = client.post(f"/api/v1/statuses/{original}/reblog", headers=booster.headers).json()

    client.post(f"/api/v1/statuses/{repost['id']}/bookmark", headers=reader.headers)

    listed = client.get("/api/v1/bookmarks", headers=reader.headers).json()
    assert [s["id"] for s in listed] == [original]


def test_bookmarks_need_a_user_with_the_scope(client: Client, make_user: UserFactory) -> None:
    author, reader = make_user("author"), make_user("reader", scopes="read")
    status = post_status(client, author, "hello")["id"]

    assert client.get("/api/v1/bookmarks").status_code == 401
    assert client.post(f"/api/v1/statuses/{status}/bookmark").status_code == 401
    assert (
        client.post(f"/api/v1/statuses/{status}/bookmark", headers=reader.headers).status_code
        == 403
    )
    assert client.get("/api/v1/bookmarks", headers=reader.headers).json() == []


def test_a_bookmarked_quote_says_so(client: Client, make_user: UserFactory) -> None:
    author, reader = make_user("author"), make_user("reader")
    quoted = post_status(client, author, "the original")["id"]
    quote = post_status(client, author, "look at this", quote_id=quoted)["id"]

    marked = client.post(f"/api/v1/statuses/{quote}/bookmark", headers=reader.headers)

    assert marked.json()["quote"] is not None
    assert marked.json()["bookmarked"] is True


def test_who_favourited_a_repost_is_who_favourited_the_original(
    client: Client, make_user: UserFactory
) -> None:
    author, booster, fan = make_user("author"), make_user("booster"), make_user("fan")
    original = post_status(client, author, "original")["id"]
    repost = client.post(f"/api/v1/statuses/{original}/reblog", headers=booster.headers).json()
    _favourite(client, fan, original)

    liked = client.get(f"/api/v1/statuses/{repost['id']}/favourited_by").json()
    shared = client.get(f"/api/v1/statuses/{repost['id']}/reblogged_by").json()

    assert [a["acct"] for a in liked] == ["fan"]
    assert [a["acct"] for a in shared] == ["booster"]
