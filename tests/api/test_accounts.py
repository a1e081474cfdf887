"""Accounts: credentials, profiles, lookups, an account's posts and the social graph."""

import re

import pytest

from townsquare.microblog import Microblog

from .conftest import Client, UserFactory
from .test_statuses import post_status


def test_verify_credentials_includes_the_source(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    me = client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).json()
    assert me["id"] == alice.id
    assert me["acct"] == "alice"
    assert me["url"] == "http://testserver/@alice"
    assert me["avatar"] == "http://testserver/static/avatar.png"
    assert me["source"]["privacy"] == "public"


def test_verify_credentials_needs_a_token(client: Client) -> None:
    assert client.get("/api/v1/accounts/verify_credentials").status_code == 401
    bad = client.get(
        "/api/v1/accounts/verify_credentials", headers={"Authorization": "Bearer nonsense"}
    )
    assert bad.status_code == 401
    assert bad.json() == {"error": "The access token is invalid"}
    basic = client.get(
        "/api/v1/accounts/verify_credentials", headers={"Authorization": "Basic dXNlcjpw"}
    )
    assert basic.status_code == 401


def test_update_credentials_changes_name_and_bio(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        data={"display_name": "Alice A.", "note": "Hello <there>"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Alice A."
    assert body["source"]["note"] == "Hello <there>"
    assert "<there>" not in body["note"]  # the HTML is escaped


def test_update_credentials_refuses_a_long_name(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        data={"display_name": "x" * 51},
    )
    assert response.status_code == 422
    me = client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).json()
    assert me["display_name"] == ""


def test_update_credentials_needs_write_scope(client: Client, make_user: UserFactory) -> None:
    reader = make_user(scopes="read")
    response = client.patch(
        "/api/v1/accounts/update_credentials", headers=reader.headers, data={"note": "x"}
    )
    assert response.status_code == 403
    assert "scope" in response.json()["error"]


def test_get_account_and_lookup(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    assert client.get(f"/api/v1/accounts/{alice.id}").json()["username"] == "alice"
    for acct in ("alice", "@alice", "ALICE", "alice@testserver"):
        found = client.get("/api/v1/accounts/lookup", params={"acct": acct})
        assert found.json()["id"] == alice.id, acct


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/accounts/123",
        "/api/v1/accounts/abc",
        "/api/v1/accounts/-1",
        "/api/v1/accounts/99999999999999999999999",
        "/api/v1/accounts/123/statuses",
        "/api/v1/accounts/lookup?acct=nobody",
        "/api/v1/accounts/lookup?acct=alice@elsewhere.example",
        "/api/v1/accounts/lookup?acct=bad%20name",
    ],
)
def test_unknown_accounts_are_404(client: Client, make_user: UserFactory, path: str) -> None:
    make_user("alice")
    response = client.get(path)
    assert response.status_code == 404
    assert "error" in response.json()


def test_account_statuses_filters(
    client: Client, make_user: UserFactory, microblog: Microblog
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    top = post_status(client, bob, "bob's post")
    post_status(client, alice, "plain")
    post_status(client, alice, "about #cats")
    post_status(client, alice, "a reply", in_reply_to_id=top["id"])
    client.post(f"/api/v1/statuses/{top['id']}/reblog", headers=alice.headers)

    def texts(**params: str) -> list[str]:
        response = client.get(f"/api/v1/accounts/{alice.id}/statuses", params=params)
        assert response.status_code == 200
        return [s["reblog"]["content"] if s["reblog"] else s["content"] for s in response.json()]

    assert len(texts()) == 4
    assert len(texts(exclude_replies="1")) == 3
    assert len(texts(exclude_reblogs="true")) == 3
    assert len(texts(exclude_replies="1", exclude_reblogs="1")) == 2
    assert ["#cats" in t or "cats" in t for t in texts(tagged="cats")] == [True]
    assert texts(only_media="1") == []
    assert texts(pinned="true") == []
    bad = client.get(f"/api/v1/accounts/{alice.id}/statuses", params={"exclude_replies": "maybe"})
    assert bad.status_code == 422
    assert "exclude_replies" in bad.json()["error"]


def test_follow_unfollow_and_lists(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    followed = client.post(
        f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers, data={"reblogs": "1"}
    )
    assert followed.status_code == 200
    relationship = followed.json()
    assert relationship["id"] == bob.id
    assert relationship["following"] is True
    assert relationship["followed_by"] is False
    again = client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    assert again.json()["following"] is True  # idempotent
    followers = client.get(f"/api/v1/accounts/{bob.id}/followers").json()
    assert [a["username"] for a in followers] == ["alice"]
    following = client.get(f"/api/v1/accounts/{alice.id}/following").json()
    assert [a["username"] for a in following] == ["bob"]
    seen_by_bob = client.get(
        "/api/v1/accounts/relationships",
        params={"id[]": [alice.id, "junk", "42"]},
        headers=bob.headers,
    ).json()
    assert [(r["id"], r["followed_by"]) for r in seen_by_bob] == [(alice.id, True)]
    unfollowed = client.post(f"/api/v1/accounts/{bob.id}/unfollow", headers=alice.headers)
    assert unfollowed.json()["following"] is False


def test_block_and_mute(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    blocked = client.post(f"/api/v1/accounts/{bob.id}/block", headers=alice.headers).json()
    assert blocked["blocking"] is True
    assert blocked["following"] is False  # a block ends the follow
    refused = client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    assert refused.status_code == 403
    assert (
        client.post(f"/api/v1/accounts/{bob.id}/unblock", headers=alice.headers).json()["blocking"]
        is False
    )
    muted = client.post(f"/api/v1/accounts/{bob.id}/mute", headers=alice.headers).json()
    assert muted["muting"] is True
    assert muted["muting_notifications"] is True
    assert (
        client.post(f"/api/v1/accounts/{bob.id}/unmute", headers=alice.headers).json()["muting"]
        is False
    )


def test_graph_actions_need_the_follow_scope(client: Client, make_user: UserFactory) -> None:
    bob = make_user("bob")
    statuses_only = make_user(scopes="read write:statuses")
    response = client.post(f"/api/v1/accounts/{bob.id}/follow", headers=statuses_only.headers)
    assert response.status_code == 403
    follow_scope = make_user(scopes="follow")
    allowed = client.post(f"/api/v1/accounts/{bob.id}/follow", headers=follow_scope.headers)
    assert allowed.status_code == 200


def test_following_oneself_is_refused(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    response = client.post(f"/api/v1/accounts/{alice.id}/follow", headers=alice.headers)
    assert response.status_code == 403


def test_following_a_missing_account_is_404(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    assert client.post("/api/v1/accounts/77/follow", headers=alice.headers).status_code == 404
    assert client.post("/api/v1/accounts/x/follow", headers=alice.headers).status_code == 404


def test_update_credentials_refuses_a_bidi_override_in_the_name(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        data={"display_name": "Alice\u202eecilA"},
    )
    assert response.status_code == 422
    assert "U+202E" in response.json()["error"]
    me = client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).json()
    assert me["display_name"] == ""


def test_the_blocks_and_mutes_lists_are_the_user_s_own(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    client.post(f"/api/v1/accounts/{bob.id}/block", headers=alice.headers)
    client.post(f"/api/v1/accounts/{carol.id}/block", headers=alice.headers)
    client.post(f"/api/v1/accounts/{carol.id}/mute", headers=alice.headers)
    client.post(f"/api/v1/accounts/{bob.id}/unblock", headers=alice.headers)

    blocked = client.get("/api/v1/blocks", headers=alice.headers)
    muted = client.get("/api/v1/mutes", headers=alice.headers)

    assert [a["acct"] for a in blocked.json()] == ["carol"]
    assert [a["acct"] for a in muted.json()] == ["carol"]
    assert client.get("/api/v1/blocks", headers=bob.headers).json() == []
    assert client.get("/api/v1/blocks").status_code == 401
    assert client.get("/api/v1/follow_requests", headers=alice.headers).json() == []


def _walk(client: Client, path: str, headers: dict[str, str] | None = None) -> list[list[str]]:
    """Every page of a list of accounts, two at a time, by following its Link header."""
    pages: list[list[str]] = []
    next_path: str | None = f"{path}?limit=2"
    while next_path:
        response = client.get(next_path, headers=headers)
        assert response.status_code == 200, response.text
        if not response.json():
            break
        pages.append([a["acct"] for a in response.json()])
        link = response.headers.get("link", "")
        found = re.search(r"<http://testserver([^>]*)>; rel=\"next\"", link)
        next_path = found.group(1) if found else None
    return pages


@pytest.mark.parametrize("relation", ["followers", "following", "blocks", "mutes"])
def test_lists_of_accounts_page_by_link_the_newest_first(
    client: Client, make_user: UserFactory, relation: str
) -> None:
    alice = make_user("alice")
    others = [make_user(name) for name in ("bob", "carol", "dave")]
    for other in others:
        if relation == "followers":
            client.post(f"/api/v1/accounts/{alice.id}/follow", headers=other.headers)
        else:
            verb = {"following": "follow", "blocks": "block", "mutes": "mute"}[relation]
            client.post(f"/api/v1/accounts/{other.id}/{verb}", headers=alice.headers)

    if relation in ("followers", "following"):
        pages = _walk(client, f"/api/v1/accounts/{alice.id}/{relation}")
    else:
        pages = _walk(client, f"/api/v1/{relation}", alice.headers)

    assert pages == [["dave", "carol"], ["bob"]]
