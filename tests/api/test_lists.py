"""Lists: an account's lists of people it follows, each read as a timeline; another's list
is a 404, and unfollowing someone takes them off the lists."""

from .conftest import Client, User, UserFactory
from .test_statuses import post_status


def _follow(client: Client, user: User, target: User) -> None:
    assert client.post(f"/api/v1/accounts/{target.id}/follow", headers=user.headers).is_success


def _new_list(client: Client, user: User, title: str, **more: str) -> str:
    created = client.post("/api/v1/lists", data={"title": title, **more}, headers=user.headers)
    assert created.status_code == 200, created.text
    return str(created.json()["id"])


def test_a_list_and_its_timeline(client: Client, make_user: UserFactory) -> None:
    alice, bob, carol, dave = (make_user(n) for n in ("alice", "bob", "carol", "dave"))
    for followed in (bob, carol, dave):
        _follow(client, alice, followed)
    friends = _new_list(client, alice, "Friends")
    added = client.post(
        f"/api/v1/lists/{friends}/accounts",
        data={"account_ids[]": [bob.id, carol.id]},
        headers=alice.headers,
    )
    from_bob = post_status(client, bob, "from bob")["id"]
    post_status(client, dave, "from dave, not on the list")
    mentioning_dave = post_status(client, carol, "@dave a mention is not a reply")
    to_bob = post_status(client, carol, "a reply to bob", in_reply_to_id=from_bob)["id"]

    timeline = client.get(f"/api/v1/timelines/list/{friends}", headers=alice.headers)
    members = client.get(f"/api/v1/lists/{friends}/accounts", headers=alice.headers)

    assert added.json() == {}
    assert [s["id"] for s in timeline.json()] == [to_bob, mentioning_dave["id"], from_bob]
    assert 'rel="next"' in timeline.headers["link"]
    assert sorted(a["acct"] for a in members.json()) == ["bob", "carol"]
    assert client.get("/api/v1/lists", headers=alice.headers).json() == [
        {"id": friends, "title": "Friends", "replies_policy": "list", "exclusive": False}
    ]
    on_lists = client.get(f"/api/v1/accounts/{bob.id}/lists", headers=alice.headers).json()
    assert [entry["title"] for entry in on_lists] == ["Friends"]


def test_replies_policy_none_leaves_replies_out(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    _follow(client, alice, bob)
    quiet = _new_list(client, alice, "Quiet", replies_policy="none")
    client.post(
        f"/api/v1/lists/{quiet}/accounts", data={"account_ids[]": bob.id}, headers=alice.headers
    )
    first = post_status(client, bob, "a post")["id"]
    post_status(client, bob, "a reply to myself", in_reply_to_id=first)

    timeline = client.get(f"/api/v1/timelines/list/{quiet}", headers=alice.headers).json()

    assert [s["id"] for s in timeline] == [first]


def test_renaming_removing_and_deleting(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    _follow(client, alice, bob)
    work = _new_list(client, alice, "Work")
    client.post(
        f"/api/v1/lists/{work}/accounts", data={"account_ids[]": bob.id}, headers=alice.headers
    )

    renamed = client.put(
        f"/api/v1/lists/{work}",
        data={"title": "Colleagues", "replies_policy": "followed"},
        headers=alice.headers,
    )
    removed = client.request(
        "DELETE",
        f"/api/v1/lists/{work}/accounts",
        data={"account_ids[]": bob.id},
        headers=alice.headers,
    )
    left = client.get(f"/api/v1/lists/{work}/accounts", headers=alice.headers).json()
    deleted = client.delete(f"/api/v1/lists/{work}", headers=alice.headers)

    assert (renamed.json()["title"], renamed.json()["replies_policy"]) == ("Colleagues", "followed")
    assert removed.json() == {}
    assert left == []
    assert deleted.json() == {}
    assert client.get(f"/api/v1/lists/{work}", headers=alice.headers).status_code == 404


def test_unfollowing_takes_someone_off_the_lists(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    _follow(client, alice, bob)
    friends = _new_list(client, alice, "Friends")
    client.post(
        f"/api/v1/lists/{friends}/accounts", data={"account_ids[]": bob.id}, headers=alice.headers
    )

    client.post(f"/api/v1/accounts/{bob.id}/unfollow", headers=alice.headers)

    assert client.get(f"/api/v1/lists/{friends}/accounts", headers=alice.headers).json() == []


def test_a_list_is_its_owner_s_alone(client: Client, make_user: UserFactory) -> None:
    alice, bob, mallory = make_user("alice"), make_user("bob"), make_user("mallory")
    _follow(client, alice, bob)
    _follow(client, mallory, bob)
    secret = _new_list(client, alice, "Secret")
    paths = [
        ("GET", f"/api/v1/lists/{secret}"),
        ("GET", f"/api/v1/lists/{secret}/accounts"),
        ("GET", f"/api/v1/timelines/list/{secret}"),
        ("PUT", f"/api/v1/lists/{secret}"),
        ("DELETE", f"/api/v1/lists/{secret}"),
    ]

    answers = [
        client.request(method, path, data={"title": "mine now"}, headers=mallory.headers)
        for method, path in paths
    ]
    added = client.post(
        f"/api/v1/lists/{secret}/accounts", data={"account_ids[]": bob.id}, headers=mallory.headers
    )

    assert [a.status_code for a in answers] == [404] * len(paths)
    assert added.status_code == 404
    assert client.get("/api/v1/lists", headers=mallory.headers).json() == []
    assert client.get(f"/api/v1/lists/{secret}", headers=alice.headers).json()["title"] == "Secret"
    assert client.get("/api/v1/lists").status_code == 401


def test_bad_lists_are_refused(client: Client, make_user: UserFactory) -> None:
    alice, stranger = make_user("alice"), make_user("stranger")
    reader = make_user("reader", scopes="read")
    friends = _new_list(client, alice, "Friends")

    not_followed = client.post(
        f"/api/v1/lists/{friends}/accounts",
        data={"account_ids[]": stranger.id},
        headers=alice.headers,
    )
    answers = {
        "no title": client.post("/api/v1/lists", data={"title": " "}, headers=alice.headers),
        "long title": client.post(
            "/api/v1/lists", data={"title": "x" * 201}, headers=alice.headers
        ),
        "bad policy": client.post(
            "/api/v1/lists", data={"title": "a", "replies_policy": "all"}, headers=alice.headers
        ),
        "exclusive": client.post(
            "/api/v1/lists", data={"title": "a", "exclusive": "true"}, headers=alice.headers
        ),
        "no ids": client.post(f"/api/v1/lists/{friends}/accounts", data={}, headers=alice.headers),
    }

    assert not_followed.status_code == 422
    assert "follow" in not_followed.json()["error"]
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 422)
    assert (
        client.post("/api/v1/lists", data={"title": "a"}, headers=reader.headers).status_code == 403
    )
