"""Direct posts: only the author and the accounts a post mentions may read it, nowhere
else does it show, and the threads they make are the readers' conversations."""

from typing import Any

from .conftest import Client, User, UserFactory
from .test_statuses import post_status


def _direct(client: Client, user: User, text: str, **fields: str) -> dict[str, Any]:
    return post_status(client, user, text, visibility="direct", **fields)


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()]


def test_only_the_author_and_those_mentioned_read_a_direct_post(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob, follower = make_user("alice"), make_user("bob"), make_user("follower")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=follower.headers)
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    secret = _direct(client, alice, "@bob the #plan is on")
    path = f"/api/v1/statuses/{secret['id']}"

    assert secret["visibility"] == "direct"
    assert client.get(path, headers=alice.headers).status_code == 200
    assert client.get(path, headers=bob.headers).status_code == 200
    assert client.get(path, headers=follower.headers).status_code == 404
    assert client.get(path).status_code == 404
    assert secret["id"] in _ids(client.get("/api/v1/timelines/home", headers=bob.headers))
    assert _ids(client.get("/api/v1/timelines/home", headers=follower.headers)) == []
    for reader in (follower.headers, {}):
        assert _ids(client.get(f"/api/v1/accounts/{alice.id}/statuses", headers=reader)) == []
    assert _ids(client.get("/api/v1/timelines/public")) == []
    assert _ids(client.get("/api/v1/timelines/tag/plan")) == []
    found = client.get("/api/v2/search", params={"q": "plan"}, headers=follower.headers)
    assert found.json()["statuses"] == []
    told = client.get("/api/v1/notifications", headers=bob.headers).json()
    assert [(n["type"], n["status"]["id"]) for n in told] == [("mention", secret["id"])]


def test_a_direct_post_is_not_reposted_or_quoted(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    secret = _direct(client, alice, "@bob between us")

    repost = client.post(f"/api/v1/statuses/{secret['id']}/reblog", headers=bob.headers)
    quote = client.post(
        "/api/v1/statuses",
        headers=bob.headers,
        data={"status": "look", "quote_id": secret["id"]},
    )

    assert repost.status_code == 403
    assert quote.status_code == 422


def test_a_thread_of_direct_posts_is_one_conversation(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    first = _direct(client, alice, "@bob lunch?")
    reply = _direct(client, bob, "@alice yes", in_reply_to_id=first["id"])
    other = _direct(client, carol, "@alice hello")

    alices = client.get("/api/v1/conversations", headers=alice.headers).json()
    bobs = client.get("/api/v1/conversations", headers=bob.headers).json()
    carols = client.get("/api/v1/conversations", headers=carol.headers).json()

    assert [(c["id"], c["last_status"]["id"]) for c in alices] == [
        (other["id"], other["id"]),
        (first["id"], reply["id"]),
    ]
    assert [a["acct"] for a in alices[1]["accounts"]] == ["bob"]
    assert [(c["id"], c["last_status"]["id"]) for c in bobs] == [(first["id"], reply["id"])]
    assert [c["last_status"]["id"] for c in carols] == [other["id"]]
    read = client.post(f"/api/v1/conversations/{first['id']}/read", headers=bob.headers)
    not_hers = client.post(f"/api/v1/conversations/{first['id']}/read", headers=carol.headers)
    assert read.json()["last_status"]["id"] == reply["id"]
    assert not_hers.status_code == 404


def test_conversations_page_by_their_latest_post(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    friends = [make_user(name) for name in ("bob", "carol", "dave")]
    started = [_direct(client, f, "@alice hi")["id"] for f in friends]

    first = client.get("/api/v1/conversations", params={"limit": "2"}, headers=alice.headers)
    next_path = first.headers["link"].split("<http://testserver", 1)[1].split(">", 1)[0]
    second = client.get(next_path, headers=alice.headers)

    assert [c["id"] for c in first.json()] == [started[2], started[1]]
    assert [c["id"] for c in second.json()] == [started[0]]


def test_private_answers_to_a_public_post_are_separate_conversations(
    client: Client, make_user: UserFactory
) -> None:
    """Regression: direct replies to one public post shared a conversation, so each
    replier saw who else had answered privately."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    public = post_status(client, alice, "What do you think?")["id"]
    _direct(client, bob, "@alice privately: I disagree", in_reply_to_id=public)
    _direct(client, carol, "@alice me too", in_reply_to_id=public)

    bobs = client.get("/api/v1/conversations", headers=bob.headers).json()
    carols = client.get("/api/v1/conversations", headers=carol.headers).json()

    assert [[a["acct"] for a in c["accounts"]] for c in bobs] == [["alice"]]
    assert [[a["acct"] for a in c["accounts"]] for c in carols] == [["alice"]]
    assert bobs[0]["id"] != carols[0]["id"]


def test_a_conversation_names_only_the_people_of_posts_the_reader_is_in(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    first = _direct(client, alice, "@bob hi")
    _direct(client, bob, "@carol about alice", in_reply_to_id=first["id"])

    alices = client.get("/api/v1/conversations", headers=alice.headers).json()
    carols = client.get("/api/v1/conversations", headers=carol.headers).json()

    assert [a["acct"] for a in alices[0]["accounts"]] == ["bob"]
    assert [a["acct"] for a in carols[0]["accounts"]] == ["bob"]


def test_a_block_holds_through_a_repost(client: Client, make_user: UserFactory) -> None:
    """Regression: replying to or quoting someone else's repost reached a post whose author
    blocks the replier."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    original = post_status(client, alice, "Not for carol")["id"]
    client.post(f"/api/v1/accounts/{carol.id}/block", headers=alice.headers)
    repost = client.post(f"/api/v1/statuses/{original}/reblog", headers=bob.headers).json()["id"]

    reply = client.post(
        "/api/v1/statuses",
        headers=carol.headers,
        data={"status": "hi", "in_reply_to_id": repost},
    )
    quote = client.post(
        "/api/v1/statuses", headers=carol.headers, data={"status": "look", "quote_id": repost}
    )
    reblog = client.post(f"/api/v1/statuses/{repost}/reblog", headers=carol.headers)

    assert reply.status_code == 422
    assert quote.status_code == 422
    assert reblog.status_code == 404
