"""Search v2: accounts, statuses and hashtags."""

import pytest

from .conftest import Client, UserFactory
from .test_statuses import post_status


def test_search_finds_each_kind(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    post_status(client, alice, "Élection day #elections")
    found = client.get("/api/v2/search", params={"q": "election", "resolve": "1"}).json()
    assert [s["content"] for s in found["statuses"]] != []
    assert found["hashtags"][0]["name"] == "elections"
    assert found["hashtags"][0]["url"] == "http://testserver/tags/elections"
    people = client.get("/api/v2/search", params={"q": "alice", "type": "accounts"}).json()
    assert [a["acct"] for a in people["accounts"]] == ["alice"]
    assert people["statuses"] == people["hashtags"] == []


def test_search_limit_and_offset(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    for i in range(5):
        post_status(client, alice, f"kitten number {i}")
    first = client.get("/api/v2/search", params={"q": "kitten", "limit": "2"}).json()
    second = client.get(
        "/api/v2/search", params={"q": "kitten", "limit": "2", "offset": "2"}
    ).json()
    assert len(first["statuses"]) == len(second["statuses"]) == 2
    assert {s["id"] for s in first["statuses"]}.isdisjoint(s["id"] for s in second["statuses"])


@pytest.mark.parametrize(
    ("query", "complaint"),
    [
        ("", "q"),
        ("q=a&type=people", "type"),
        ("q=a&offset=-1", "offset"),
        ("q=a%00b", "NUL"),
        ("q=a&resolve=sometimes", "resolve"),
    ],
)
def test_bad_searches_are_422(client: Client, query: str, complaint: str) -> None:
    response = client.get(f"/api/v2/search?{query}")
    assert response.status_code == 422
    assert complaint in response.json()["error"]


def test_accounts_search_is_not_taken_for_an_account_id(
    client: Client, make_user: UserFactory
) -> None:
    make_user("alice")
    make_user("alicia")
    make_user("bob")

    found = client.get("/api/v1/accounts/search", params={"q": "ali"})
    by_acct = client.get("/api/v1/accounts/search", params={"q": "@alice@testserver"})

    assert found.status_code == 200, found.text
    assert sorted(a["acct"] for a in found.json()) == ["alice", "alicia"]
    assert [a["acct"] for a in by_acct.json()] == ["alice"]


def test_accounts_search_following_keeps_whom_the_viewer_follows(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    followed = make_user("carol")
    make_user("caroline")
    client.post(f"/api/v1/accounts/{followed.id}/follow", headers=alice.headers)

    found = client.get(
        "/api/v1/accounts/search",
        params={"q": "carol", "following": "true", "limit": "80"},
        headers=alice.headers,
    )
    anonymous = client.get("/api/v1/accounts/search", params={"q": "carol", "following": "1"})

    assert [a["acct"] for a in found.json()] == ["carol"]
    assert anonymous.status_code == 422


def test_accounts_that_block_the_viewer_are_not_found(
    client: Client, make_user: UserFactory
) -> None:
    alice, blocker = make_user("alice"), make_user("blocker")
    client.post(f"/api/v1/accounts/{alice.id}/block", headers=blocker.headers)

    as_alice = client.get(
        "/api/v1/accounts/search", params={"q": "blocker"}, headers=alice.headers
    ).json()
    in_v2 = client.get("/api/v2/search", params={"q": "blocker"}, headers=alice.headers).json()
    as_stranger = client.get("/api/v1/accounts/search", params={"q": "blocker"}).json()

    assert as_alice == []
    assert in_v2["accounts"] == []
    assert [a["acct"] for a in as_stranger] == ["blocker"]
