"""Notifications: Mastodon's types (a reply is a mention), filters and paging."""

from .conftest import Client, UserFactory
from .test_statuses import post_status
from .test_timelines import walk


def test_each_kind_of_notification(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = post_status(client, alice, "hello")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    client.post(f"/api/v1/statuses/{status['id']}/favourite", headers=bob.headers)
    client.post(f"/api/v1/statuses/{status['id']}/reblog", headers=bob.headers)
    post_status(client, bob, "a reply", in_reply_to_id=status["id"])
    post_status(client, bob, "hey @alice")
    found = client.get("/api/v1/notifications", headers=alice.headers).json()
    assert [n["type"] for n in found] == [
        "mention",
        "mention",
        "reblog",
        "favourite",
        "follow",
    ]
    assert all(n["account"]["id"] == bob.id for n in found)
    assert found[2]["status"]["id"] == status["id"]
    assert found[4]["status"] is None
    one = client.get(f"/api/v1/notifications/{found[0]['id']}", headers=alice.headers)
    assert one.json()["id"] == found[0]["id"]


def test_filtering_by_type(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = post_status(client, alice, "hello")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    client.post(f"/api/v1/statuses/{status['id']}/favourite", headers=bob.headers)
    post_status(client, bob, "a reply", in_reply_to_id=status["id"])

    def types(query: str) -> list[str]:
        response = client.get(f"/api/v1/notifications?{query}", headers=alice.headers)
        assert response.status_code == 200
        return [n["type"] for n in response.json()]

    assert types("types[]=mention") == ["mention"]
    assert types("types[]=follow&types[]=favourite") == ["favourite", "follow"]
    assert types("exclude_types[]=mention&exclude_types[]=follow") == ["favourite"]
    assert types("types[]=poll") == []


def test_notifications_page_through_link_headers(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    fans = [make_user() for _ in range(7)]
    for fan in fans:
        client.post(f"/api/v1/accounts/{alice.id}/follow", headers=fan.headers)
    pages = walk(client, "/api/v1/notifications", alice, limit="3")
    assert [len(p) for p in pages] == [3, 3, 1]
    assert len({i for p in pages for i in p}) == 7


def test_notifications_are_private(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    mine = client.get("/api/v1/notifications", headers=alice.headers).json()
    assert client.get("/api/v1/notifications").status_code == 401
    peek = client.get(f"/api/v1/notifications/{mine[0]['id']}", headers=bob.headers)
    assert peek.status_code == 404
    assert client.get("/api/v1/notifications/zzz", headers=alice.headers).status_code == 404
    reader = make_user(scopes="read:statuses")
    assert client.get("/api/v1/notifications", headers=reader.headers).status_code == 403


def test_muted_accounts_do_not_notify(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/mute", headers=alice.headers)
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    assert client.get("/api/v1/notifications", headers=alice.headers).json() == []
