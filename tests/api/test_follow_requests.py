"""Locked accounts: following one asks first, the owner approves or refuses, and until then
the asker is not a follower — its followers-only posts stay out of the asker's reach."""

from typing import Any

from .conftest import Client, User, UserFactory
from .test_statuses import post_status


def _lock(client: Client, user: User, locked: bool = True) -> dict[str, Any]:
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=user.headers,
        data={"locked": "1" if locked else "0"},
    )
    assert response.status_code == 200, response.text
    account: dict[str, Any] = response.json()
    return account


def _follow(client: Client, user: User, target: User) -> dict[str, Any]:
    response = client.post(f"/api/v1/accounts/{target.id}/follow", headers=user.headers)
    assert response.status_code == 200, response.text
    relationship: dict[str, Any] = response.json()
    return relationship


def _requesters(client: Client, user: User) -> list[str]:
    response = client.get("/api/v1/follow_requests", headers=user.headers)
    assert response.status_code == 200, response.text
    return [a["acct"] for a in response.json()]


def test_following_a_locked_account_asks_first(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    assert _lock(client, alice)["locked"] is True
    secret = post_status(client, alice, "for my followers", visibility="private")["id"]

    asked = _follow(client, bob, alice)

    assert (asked["following"], asked["requested"]) == (False, True)
    assert _requesters(client, alice) == ["bob"]
    assert client.get(f"/api/v1/statuses/{secret}", headers=bob.headers).status_code == 404
    me = client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).json()
    assert me["locked"] is True
    assert me["source"]["follow_requests_count"] == 1
    told = client.get("/api/v1/notifications", headers=alice.headers).json()
    assert [(n["type"], n["account"]["acct"]) for n in told] == [("follow_request", "bob")]
    seen_by_bob = client.get(f"/api/v1/accounts/{alice.id}", headers=bob.headers).json()
    assert seen_by_bob["locked"] is True
    assert seen_by_bob["followers_count"] == 0


def test_approving_makes_a_follower(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    _lock(client, alice)
    secret = post_status(client, alice, "for my followers", visibility="private")["id"]
    _follow(client, bob, alice)

    approved = client.post(f"/api/v1/follow_requests/{bob.id}/authorize", headers=alice.headers)

    assert approved.status_code == 200
    assert (approved.json()["followed_by"], approved.json()["requested_by"]) == (True, False)
    assert _requesters(client, alice) == []
    assert client.get(f"/api/v1/statuses/{secret}", headers=bob.headers).status_code == 200
    relationship = client.get(
        "/api/v1/accounts/relationships", params={"id[]": alice.id}, headers=bob.headers
    ).json()[0]
    assert (relationship["following"], relationship["requested"]) == (True, False)
    home = client.get("/api/v1/timelines/home", headers=bob.headers).json()
    assert [s["id"] for s in home] == [secret]


def test_refusing_and_taking_back_leave_no_follow(client: Client, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    _lock(client, alice)
    _follow(client, bob, alice)
    _follow(client, carol, alice)

    refused = client.post(f"/api/v1/follow_requests/{bob.id}/reject", headers=alice.headers)
    taken_back = client.post(f"/api/v1/accounts/{alice.id}/unfollow", headers=carol.headers)

    assert refused.json()["requested_by"] is False
    assert taken_back.json()["requested"] is False
    assert _requesters(client, alice) == []
    followers = client.get(f"/api/v1/accounts/{alice.id}/followers").json()
    assert followers == []


def test_unlocking_approves_those_waiting(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    _lock(client, alice)
    _follow(client, bob, alice)

    _lock(client, alice, locked=False)
    carol = make_user("carol")

    assert _requesters(client, alice) == []
    assert [a["acct"] for a in client.get(f"/api/v1/accounts/{alice.id}/followers").json()] == [
        "bob"
    ]
    assert _follow(client, carol, alice)["following"] is True  # unlocked: no asking


def test_a_block_drops_the_requests_both_ways(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    _lock(client, alice)
    _follow(client, bob, alice)

    client.post(f"/api/v1/accounts/{bob.id}/block", headers=alice.headers)

    assert _requesters(client, alice) == []


def test_follow_requests_page_by_link(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    _lock(client, alice)
    for name in ("bob", "carol", "dave"):
        _follow(client, make_user(name), alice)

    first = client.get("/api/v1/follow_requests", params={"limit": "2"}, headers=alice.headers)
    link = first.headers["link"]
    next_path = link.split("<http://testserver", 1)[1].split(">", 1)[0]
    second = client.get(next_path, headers=alice.headers)

    assert [a["acct"] for a in first.json()] == ["dave", "carol"]
    assert [a["acct"] for a in second.json()] == ["bob"]


def test_answering_a_request_needs_the_follow_scope(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice", scopes="read"), make_user("bob")

    response = client.post(f"/api/v1/follow_requests/{bob.id}/authorize", headers=alice.headers)
    anonymous = client.post(f"/api/v1/follow_requests/{bob.id}/authorize")
    unknown = client.post("/api/v1/follow_requests/12345/reject", headers=bob.headers)

    assert response.status_code == 403
    assert anonymous.status_code == 401
    assert unknown.status_code == 404
