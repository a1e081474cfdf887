"""Pins: an account's own posts at the top of its profile (at most five), flagged `pinned`
for their author, listed by `GET /accounts/:id/statuses?pinned=true`."""

from .conftest import Client, User, UserFactory
from .test_statuses import post_status


def _pin(client: Client, user: User, status_id: str, verb: str = "pin") -> dict[str, object]:
    response = client.post(f"/api/v1/statuses/{status_id}/{verb}", headers=user.headers)
    assert response.status_code == 200, response.text
    status: dict[str, object] = response.json()
    return status


def _pinned(client: Client, user: User, headers: dict[str, str] | None = None) -> list[str]:
    response = client.get(
        f"/api/v1/accounts/{user.id}/statuses", params={"pinned": "true"}, headers=headers
    )
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()]


def test_pinned_posts_are_listed_the_latest_pinned_first(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    first, second, _ = (post_status(client, alice, f"post {n}")["id"] for n in range(3))

    assert _pin(client, alice, first)["pinned"] is True
    _pin(client, alice, second)
    _pin(client, alice, first)  # again: idempotent

    assert _pinned(client, alice) == [second, first]
    assert client.get(f"/api/v1/statuses/{first}", headers=alice.headers).json()["pinned"]
    assert _pin(client, alice, first, "unpin")["pinned"] is False
    assert _pinned(client, alice) == [second]


def test_only_ones_own_posts_and_at_most_five(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    hers = post_status(client, alice, "hers")["id"]
    repost = client.post(f"/api/v1/statuses/{hers}/reblog", headers=bob.headers).json()["id"]
    mine = [post_status(client, bob, f"mine {n}")["id"] for n in range(6)]

    someone_elses = client.post(f"/api/v1/statuses/{hers}/pin", headers=bob.headers)
    a_repost = client.post(f"/api/v1/statuses/{repost}/pin", headers=bob.headers)
    for status_id in mine[:5]:
        _pin(client, bob, status_id)
    sixth = client.post(f"/api/v1/statuses/{mine[5]}/pin", headers=bob.headers)

    assert someone_elses.status_code == 403
    assert a_repost.status_code == 403
    assert sixth.status_code == 422
    assert "At most 5" in sixth.json()["error"]
    _pin(client, bob, mine[0])  # one already pinned is still fine at the cap


def test_a_followers_only_pin_is_shown_to_followers_only(
    client: Client, make_user: UserFactory
) -> None:
    alice, follower, stranger = make_user("alice"), make_user("follower"), make_user("stranger")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=follower.headers)
    private = post_status(client, alice, "for followers", visibility="private")["id"]
    _pin(client, alice, private)

    assert _pinned(client, alice, follower.headers) == [private]
    assert _pinned(client, alice, stranger.headers) == []
    assert _pinned(client, alice) == []
