"""Statuses: posting (form and JSON), reading, threads, deleting, reposts and likes."""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Connection

from townsquare.app import Services, create_app
from townsquare.microblog import (
    SHOWN,
    LabelledBecause,
    Microblog,
    PostLabel,
    Presentation,
    Surface,
)

from .conftest import Client, User, UserFactory


def post_status(client: Client, user: User, text: str, **fields: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/statuses", headers=user.headers, data={"status": text, **fields}
    )
    assert response.status_code == 200, response.text
    status: dict[str, Any] = response.json()
    return status


def test_posting_a_form_encoded_status(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    status = post_status(
        client, alice, "Hello #World @alice", sensitive="0", language="en", visibility="unlisted"
    )
    assert status["account"]["id"] == alice.id
    assert "Hello" in status["content"]
    assert status["visibility"] == "unlisted"
    assert status["language"] == "en"
    assert status["sensitive"] is False
    assert [t["name"] for t in status["tags"]] == ["world"]
    assert [m["acct"] for m in status["mentions"]] == ["alice"]
    assert isinstance(status["id"], str)
    assert status["townsquare"] == {"labels": [], "notes": []}


def test_posting_a_json_status(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    response = client.post(
        "/api/v1/statuses",
        headers=alice.headers,
        json={"status": "From JSON", "sensitive": True, "spoiler_text": "careful"},
    )
    assert response.status_code == 200
    assert response.json()["spoiler_text"] == "careful"
    assert response.json()["sensitive"] is True


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"status": "x" * 501}, "500 characters"),
        ({"status": ""}, "text"),
        ({"status": "hi", "poll[options][]": "a"}, "expires_in"),
        ({"status": "hi", "visibility": "secret"}, "visibility"),
        ({"status": "hi", "in_reply_to_id": "abc"}, "in_reply_to_id"),
        ({"status": "hi", "in_reply_to_id": "12345"}, "does not exist"),
        ({"status": "hi", "sensitive": "perhaps"}, "sensitive"),
        ({"status": "hi", "language": "english!"}, "language"),
        ({"status": "hi", "media_ids[]": "1"}, "Media"),
        ({"status": "nul\x00byte"}, "NUL"),
    ],
)
def test_bad_statuses_are_422_and_write_nothing(
    client: Client,
    make_user: UserFactory,
    microblog: Microblog,
    body: dict[str, str],
    complaint: str,
) -> None:
    alice = make_user("alice")
    response = client.post("/api/v1/statuses", headers=alice.headers, data=body)
    assert response.status_code == 422, response.text
    assert complaint in response.json()["error"]
    assert microblog.posts.count() == 0


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"status": 5.5}', "application/json", 422),
        (b'{"status": ["a"]}', "application/json", 422),
        (b"status=%ff%fe", "application/x-www-form-urlencoded", 400),
        (b"<status/>", "application/xml", 415),
    ],
)
def test_malformed_bodies_are_4xx(
    client: Client, make_user: UserFactory, content: bytes, content_type: str, status: int
) -> None:
    alice = make_user("alice")
    response = client.post(
        "/api/v1/statuses",
        headers={**alice.headers, "Content-Type": content_type},
        content=content,
    )
    assert response.status_code == status, response.text
    assert "error" in response.json()


def test_posting_needs_a_token_with_write_scope(client: Client, make_user: UserFactory) -> None:
    assert client.post("/api/v1/statuses", data={"status": "hi"}).status_code == 401
    reader = make_user(scopes="read")
    forbidden = client.post("/api/v1/statuses", headers=reader.headers, data={"status": "hi"})
    assert forbidden.status_code == 403
    granular = make_user(scopes="write:statuses")
    allowed = client.post("/api/v1/statuses", headers=granular.headers, data={"status": "hi"})
    assert allowed.status_code == 200


def test_reading_a_status_and_its_context(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    root = post_status(client, alice, "root")
    reply = post_status(client, bob, "reply", in_reply_to_id=root["id"])
    nested = post_status(client, alice, "nested", in_reply_to_id=reply["id"])
    assert reply["in_reply_to_id"] == root["id"]
    assert reply["in_reply_to_account_id"] == alice.id
    fetched = client.get(f"/api/v1/statuses/{reply['id']}").json()
    assert fetched["id"] == reply["id"]
    context = client.get(f"/api/v1/statuses/{reply['id']}/context").json()
    assert [s["id"] for s in context["ancestors"]] == [root["id"]]
    assert [s["id"] for s in context["descendants"]] == [nested["id"]]
    assert client.get(f"/api/v1/statuses/{root['id']}").json()["replies_count"] == 1


def test_private_statuses_are_404_to_strangers(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    secret = post_status(client, alice, "followers only", visibility="private")
    assert client.get(f"/api/v1/statuses/{secret['id']}").status_code == 404
    assert client.get(f"/api/v1/statuses/{secret['id']}", headers=bob.headers).status_code == 404
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    assert client.get(f"/api/v1/statuses/{secret['id']}", headers=bob.headers).status_code == 200


def test_deleting_returns_the_source_text(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = post_status(client, alice, "oops #typo")
    forbidden = client.delete(f"/api/v1/statuses/{status['id']}", headers=bob.headers)
    assert forbidden.status_code == 403
    deleted = client.delete(f"/api/v1/statuses/{status['id']}", headers=alice.headers)
    assert deleted.status_code == 200
    assert deleted.json()["text"] == "oops #typo"
    assert client.get(f"/api/v1/statuses/{status['id']}").status_code == 404
    gone = client.delete(f"/api/v1/statuses/{status['id']}", headers=alice.headers)
    assert gone.status_code == 404


def test_reblog_and_favourite_are_idempotent(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    status = post_status(client, alice, "share me")
    url = f"/api/v1/statuses/{status['id']}"
    first = client.post(f"{url}/reblog", headers=bob.headers).json()
    second = client.post(f"{url}/reblog", headers=bob.headers).json()
    assert first["id"] == second["id"] != status["id"]
    assert first["reblog"]["id"] == status["id"]
    assert first["reblogged"] is True
    assert first["reblog"]["reblogs_count"] == 1
    for _ in range(2):
        liked = client.post(f"{url}/favourite", headers=bob.headers).json()
    assert liked["favourited"] is True
    assert liked["favourites_count"] == 1
    via_wrapper = client.post(f"/api/v1/statuses/{first['id']}/favourite", headers=bob.headers)
    assert via_wrapper.json()["id"] == status["id"]  # acts on the original
    for _ in range(2):
        unliked = client.post(f"{url}/unfavourite", headers=bob.headers).json()
    assert (unliked["favourited"], unliked["favourites_count"]) == (False, 0)
    for _ in range(2):
        undone = client.post(f"{url}/unreblog", headers=bob.headers).json()
    assert (undone["reblogged"], undone["reblogs_count"]) == (False, 0)


def test_favourite_needs_the_favourites_scope(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    status = post_status(client, alice, "like me")
    only_statuses = make_user(scopes="write:statuses")
    response = client.post(
        f"/api/v1/statuses/{status['id']}/favourite", headers=only_statuses.headers
    )
    assert response.status_code == 403


def test_quoting(client: Client, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    original = post_status(client, alice, "quotable")
    quote = post_status(client, bob, "so true", quote_id=original["id"])
    assert quote["quote"]["quoted_status"]["id"] == original["id"]


@pytest.mark.parametrize("raw_id", ["0", "abc", "1e5", "99999999999999999999", "-5", "12"])
def test_bad_status_ids_are_404(client: Client, make_user: UserFactory, raw_id: str) -> None:
    alice = make_user("alice")
    assert client.get(f"/api/v1/statuses/{raw_id}").status_code == 404
    assert (
        client.post(f"/api/v1/statuses/{raw_id}/favourite", headers=alice.headers).status_code
        == 404
    )
    assert client.get(f"/api/v1/statuses/{raw_id}/context").status_code == 404


@dataclass
class Moderated:
    """A visibility port that hides or labels chosen posts everywhere."""

    hidden: set[int] = field(default_factory=set)
    labelled: dict[int, Presentation] = field(default_factory=dict)

    def presentations(
        self, conn: Connection, viewer_id: int | None, post_ids: Sequence[int], surface: Surface
    ) -> Mapping[int, Presentation]:
        return {
            i: Presentation(visible=False) if i in self.hidden else self.labelled.get(i, SHOWN)
            for i in post_ids
        }


@pytest.fixture
def moderated(services: Services) -> Iterator[tuple[Client, Moderated]]:
    port = Moderated()
    microblog = Microblog(
        services.db,
        clock=services.microblog.context.clock,
        base_url=services.settings.base_url,
        visibility=port,
        ids=services.microblog.context.ids,
    )
    wired = replace(services, microblog=microblog)
    with TestClient(create_app(wired)) as test_client:
        yield test_client, port


def test_a_hidden_status_is_404_and_absent_from_timelines(
    moderated: tuple[Client, Moderated], make_user: UserFactory
) -> None:
    client, port = moderated
    alice = make_user("alice")
    status = post_status(client, alice, "to be removed")
    port.hidden.add(int(status["id"]))
    assert client.get(f"/api/v1/statuses/{status['id']}").status_code == 404
    assert client.get(f"/api/v1/statuses/{status['id']}/context").status_code == 404
    assert (
        client.post(f"/api/v1/statuses/{status['id']}/favourite", headers=alice.headers).status_code
        == 404
    )
    assert client.get("/api/v1/timelines/public").json() == []
    assert client.get("/api/v1/timelines/home", headers=alice.headers).json() == []


def test_labels_and_content_warnings_reach_clients(
    moderated: tuple[Client, Moderated], make_user: UserFactory
) -> None:
    client, port = moderated
    alice = make_user("alice")
    status = post_status(client, alice, "disputed claim")
    titles = {"en": "Be kind", "fr": "Soyez aimables"}
    port.labelled[int(status["id"])] = Presentation(
        labels=(
            PostLabel(LabelledBecause.LABELLED, "rules/3@1", titles, text="Community note"),
            PostLabel(LabelledBecause.LABELLED, "rules/3@1", titles),
            PostLabel(
                LabelledBecause.REACH_REDUCED,
                "rules/3@1",
                titles,
                surfaces=(Surface.PUBLIC, Surface.SEARCH),
            ),
        ),
        content_warning="Misleading",
    )
    shown = client.get(f"/api/v1/statuses/{status['id']}").json()
    assert shown["townsquare"] == {  # English for API clients
        "labels": [
            "Community note",
            "Labelled under the rule “Be kind” (rules/3@1)",
            "Reach reduced (public, search) under the rule “Be kind” (rules/3@1)",
        ],
        "notes": [],
    }
    assert shown["spoiler_text"] == "Misleading"
    assert shown["sensitive"] is True


def test_an_idempotency_key_makes_a_retried_post_once(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    keyed = {**alice.headers, "Idempotency-Key": "0f3c-retry"}

    first = client.post("/api/v1/statuses", data={"status": "only once"}, headers=keyed)
    retried = client.post("/api/v1/statuses", data={"status": "only once"}, headers=keyed)
    too_long = client.post(
        "/api/v1/statuses",
        data={"status": "x"},
        headers={**alice.headers, "Idempotency-Key": "k" * 1001},
    )

    assert first.status_code == retried.status_code == 200
    assert retried.json()["id"] == first.json()["id"]
    assert len(client.get(f"/api/v1/accounts/{alice.id}/statuses").json()) == 1
    assert too_long.status_code == 422
