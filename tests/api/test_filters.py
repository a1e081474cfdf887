"""Filters v2: a member's keyword filters warn about or hide statuses in the contexts they
chose, until they expire; another's filter is a 404."""

from typing import Any

from .conftest import Client, User, UserFactory
from .test_statuses import post_status


def _create(client: Client, user: User, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v2/filters", json=body, headers=user.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _home(client: Client, user: User) -> list[dict[str, Any]]:
    statuses: list[dict[str, Any]] = client.get(
        "/api/v1/timelines/home", headers=user.headers
    ).json()
    return statuses


def test_a_warn_filter_marks_matching_statuses(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    spoiler = post_status(client, bob, "The finale: everyone dies")
    post_status(client, bob, "A quiet day")
    created = _create(
        client,
        alice,
        title="Spoilers",
        context=["home", "public"],
        filter_action="warn",
        keywords_attributes=[{"keyword": "finale", "whole_word": True}],
    )

    home = _home(client, alice)
    public = client.get("/api/v1/timelines/public", headers=alice.headers).json()
    as_bob = _home(client, bob)

    filtered = {s["id"]: s["filtered"] for s in home}
    assert [r["filter"]["title"] for r in filtered[spoiler["id"]]] == ["Spoilers"]
    assert filtered[spoiler["id"]][0]["keyword_matches"] == ["finale"]
    assert [s["filtered"] for s in home if s["id"] != spoiler["id"]] == [[]]
    assert next(s for s in public if s["id"] == spoiler["id"])["filtered"] != []
    assert all(s["filtered"] == [] for s in as_bob)  # a filter is its owner's alone
    assert created["keywords"][0]["keyword"] == "finale"
    assert created["context"] == ["home", "public"]


def test_a_hide_filter_leaves_statuses_out_only_in_its_contexts(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    hidden = post_status(client, bob, "Crypto giveaway!")["id"]
    kept = post_status(client, bob, "cryptography lecture tonight")["id"]  # not a whole word
    _create(
        client,
        alice,
        title="No crypto",
        context=["home"],
        filter_action="hide",
        keywords_attributes=[{"keyword": "crypto", "whole_word": True}],
    )

    home = [s["id"] for s in _home(client, alice)]
    profile = client.get(f"/api/v1/accounts/{bob.id}/statuses", headers=alice.headers).json()

    assert home == [kept]
    assert hidden in [s["id"] for s in profile]  # "account" was not chosen


def test_an_expiry_is_set_and_cleared(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    post_status(client, bob, "election results")
    created = _create(
        client,
        alice,
        title="Elections",
        context=["home"],
        filter_action="hide",
        expires_in=3600,
        keywords_attributes=[{"keyword": "election"}],
    )
    assert _home(client, alice) == []

    changed = client.put(
        f"/api/v2/filters/{created['id']}",
        data={"expires_in": "", "filter_action": "warn"},
        headers=alice.headers,
    )

    assert created["expires_at"] is not None
    assert changed.json()["expires_at"] is None
    assert [s["filtered"][0]["filter"]["id"] for s in _home(client, alice)] == [created["id"]]


def test_keywords_are_added_changed_and_removed(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    created = _create(
        client, alice, title="Words", context=["thread"], keywords_attributes=[{"keyword": "a"}]
    )
    first = created["keywords"][0]["id"]

    added = client.post(
        f"/api/v2/filters/{created['id']}/keywords",
        data={"keyword": "b", "whole_word": "false"},
        headers=alice.headers,
    )
    changed = client.put(
        f"/api/v2/filters/{created['id']}",
        json={"keywords_attributes": [{"id": first, "_destroy": True}, {"keyword": "c"}]},
        headers=alice.headers,
    )
    listed = client.get(f"/api/v2/filters/{created['id']}/keywords", headers=alice.headers)

    assert (added.json()["keyword"], added.json()["whole_word"]) == ("b", False)
    assert [k["keyword"] for k in changed.json()["keywords"]] == ["b", "c"]
    assert [k["keyword"] for k in listed.json()] == ["b", "c"]


def test_form_encoded_keywords(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    response = client.post(
        "/api/v2/filters",
        content=(
            "title=Form&context[]=home&context[]=notifications"
            "&keywords_attributes[][keyword]=one&keywords_attributes[][whole_word]=false"
            "&keywords_attributes[][keyword]=two&keywords_attributes[][whole_word]=true"
        ),
        headers={**alice.headers, "Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 200, response.text
    keywords = [(k["keyword"], k["whole_word"]) for k in response.json()["keywords"]]
    assert keywords == [("one", False), ("two", True)]
    assert response.json()["context"] == ["home", "notifications"]


def test_a_filter_is_its_owner_s_alone(client: Client, make_user: UserFactory) -> None:
    alice, mallory = make_user("alice"), make_user("mallory")
    created = _create(client, alice, title="Mine", context=["home"])
    path = f"/api/v2/filters/{created['id']}"

    assert client.get(path, headers=mallory.headers).status_code == 404
    assert client.put(path, data={"title": "x"}, headers=mallory.headers).status_code == 404
    assert client.delete(path, headers=mallory.headers).status_code == 404
    assert client.get("/api/v2/filters", headers=mallory.headers).json() == []
    assert client.delete(path, headers=alice.headers).json() == {}
    assert client.get("/api/v2/filters", headers=alice.headers).json() == []


def test_bad_filters_are_refused(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    bad = {
        "no title": {"context": ["home"]},
        "no context": {"title": "a"},
        "bad context": {"title": "a", "context": ["everywhere"]},
        "bad action": {"title": "a", "context": ["home"], "filter_action": "delete"},
        "bad expiry": {"title": "a", "context": ["home"], "expires_in": -5},
        "empty keyword": {"title": "a", "context": ["home"], "keywords_attributes": [{}]},
        "not objects": {"title": "a", "context": ["home"], "keywords_attributes": ["a"]},
    }

    answers = {
        name: client.post("/api/v2/filters", json=body, headers=alice.headers).status_code
        for name, body in bad.items()
    }

    assert answers == dict.fromkeys(bad, 422)
    assert client.get("/api/v2/filters", headers=alice.headers).json() == []


def test_notifications_follow_the_notifications_filters(
    client: Client, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    post_status(client, bob, "@alice buy crypto now")
    warned = post_status(client, bob, "@alice the finale tonight")["id"]
    plain = post_status(client, bob, "@alice hello")["id"]
    _create(
        client,
        alice,
        title="Crypto",
        context=["notifications"],
        filter_action="hide",
        keywords_attributes=[{"keyword": "crypto"}],
    )
    _create(
        client,
        alice,
        title="Spoilers",
        context=["notifications"],
        keywords_attributes=[{"keyword": "finale"}],
    )

    found = client.get("/api/v1/notifications", headers=alice.headers).json()
    home_filters_only = client.get("/api/v1/timelines/public", headers=alice.headers).json()

    assert [n["status"]["id"] for n in found] == [plain, warned]
    assert [n["status"]["filtered"] != [] for n in found] == [False, True]
    assert len(home_filters_only) == 3  # these filters are for notifications only


def test_form_objects_group_as_rails_reads_them(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    form = {**alice.headers, "Content-Type": "application/x-www-form-urlencoded"}

    rails = client.post(
        "/api/v2/filters",
        content=(
            "title=R&context[]=home&keywords_attributes[][keyword]=a"
            "&keywords_attributes[][keyword]=b&keywords_attributes[][whole_word]=false"
        ),
        headers=form,
    )
    indexed = client.post(
        "/api/v2/filters",
        content=(
            "title=I&context[]=home&keywords_attributes[0][keyword]=x"
            "&keywords_attributes[1][keyword]=y&keywords_attributes[0][whole_word]=false"
        ),
        headers=form,
    )

    assert [(k["keyword"], k["whole_word"]) for k in rails.json()["keywords"]] == [
        ("a", True),
        ("b", False),
    ]
    assert [(k["keyword"], k["whole_word"]) for k in indexed.json()["keywords"]] == [
        ("x", False),
        ("y", True),
    ]


def test_a_null_expiry_makes_the_filter_permanent(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    created = _create(client, alice, title="Soon", context=["home"], expires_in=60)

    changed = client.put(
        f"/api/v2/filters/{created['id']}", json={"expires_in": None}, headers=alice.headers
    )

    assert created["expires_at"] is not None
    assert changed.json()["expires_at"] is None
