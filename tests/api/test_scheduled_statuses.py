"""Scheduled statuses: posting with `scheduled_at` keeps the draft, and the server's task
publishes it once its time has come, exactly once, as the author would have posted it."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from townsquare.app import Services
from townsquare.kernel import FixedClock

from .conftest import Client, User, UserFactory

START = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def _schedule(client: Client, user: User, text: str, at: datetime, **fields: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/statuses",
        headers=user.headers,
        data={"status": text, "scheduled_at": at.isoformat(), **fields},
    )
    assert response.status_code == 200, response.text
    scheduled: dict[str, Any] = response.json()
    return scheduled


def test_a_scheduled_status_is_published_when_its_time_comes(
    client: Client, make_user: UserFactory, services: Services, clock: FixedClock
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    at = START + timedelta(hours=1)

    scheduled = _schedule(client, alice, "Good morning #later", at, visibility="unlisted")
    early = services.microblog.scheduled.publish_due()
    clock.advance(timedelta(hours=1))
    published = services.microblog.scheduled.publish_due()
    again = services.microblog.scheduled.publish_due()

    assert scheduled["scheduled_at"] == "2026-12-06T13:00:00.000Z"
    assert scheduled["params"]["text"] == "Good morning #later"
    assert scheduled["params"]["visibility"] == "unlisted"
    assert (early, published, again) == (0, 1, 0)
    (status,) = client.get("/api/v1/timelines/home", headers=bob.headers).json()
    assert "Good morning" in status["content"]
    assert status["visibility"] == "unlisted"
    assert status["created_at"] == "2026-12-06T13:00:00.000Z"
    listed = client.get("/api/v1/scheduled_statuses", headers=alice.headers).json()
    assert listed == []


def test_scheduled_statuses_are_listed_moved_and_cancelled(
    client: Client, make_user: UserFactory, services: Services, clock: FixedClock
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    first = _schedule(client, alice, "first", START + timedelta(hours=1))
    second = _schedule(client, alice, "second", START + timedelta(hours=2))
    path = f"/api/v1/scheduled_statuses/{first['id']}"

    listed = client.get("/api/v1/scheduled_statuses", headers=alice.headers).json()
    moved = client.put(
        path,
        headers=alice.headers,
        data={"scheduled_at": (START + timedelta(days=1)).isoformat()},
    )
    by_bob = client.get(path, headers=bob.headers)
    cancelled = client.delete(f"/api/v1/scheduled_statuses/{second['id']}", headers=alice.headers)
    clock.advance(timedelta(hours=3))

    assert [s["id"] for s in listed] == [second["id"], first["id"]]
    assert moved.json()["scheduled_at"] == "2026-12-07T12:00:00.000Z"
    assert by_bob.status_code == 404
    assert cancelled.status_code == 200
    assert services.microblog.scheduled.publish_due() == 0  # moved, and cancelled
    assert client.get(path, headers=alice.headers).status_code == 200


def test_a_time_too_soon_or_a_bad_draft_is_refused_at_once(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")

    soon = client.post(
        "/api/v1/statuses",
        headers=alice.headers,
        data={"status": "now-ish", "scheduled_at": (START + timedelta(minutes=4)).isoformat()},
    )
    garbled = client.post(
        "/api/v1/statuses",
        headers=alice.headers,
        data={"status": "when?", "scheduled_at": "next tuesday"},
    )
    too_long = client.post(
        "/api/v1/statuses",
        headers=alice.headers,
        data={"status": "x" * 501, "scheduled_at": (START + timedelta(hours=1)).isoformat()},
    )

    assert soon.status_code == 422
    assert "at least 5 minutes ahead" in soon.json()["error"]
    assert garbled.status_code == 422
    assert "ISO 8601" in garbled.json()["error"]
    assert too_long.status_code == 422
    assert client.get("/api/v1/scheduled_statuses", headers=alice.headers).json() == []


def test_a_reply_whose_parent_is_gone_is_dropped_not_retried(
    client: Client, make_user: UserFactory, services: Services, clock: FixedClock
) -> None:
    alice = make_user("alice")
    parent = client.post(
        "/api/v1/statuses", headers=alice.headers, data={"status": "parent"}
    ).json()["id"]
    _schedule(client, alice, "a reply", START + timedelta(hours=1), in_reply_to_id=parent)
    client.delete(f"/api/v1/statuses/{parent}", headers=alice.headers)
    clock.advance(timedelta(hours=2))

    assert services.microblog.scheduled.publish_due() == 0
    assert client.get("/api/v1/scheduled_statuses", headers=alice.headers).json() == []
    assert client.get(f"/api/v1/accounts/{alice.id}/statuses").json() == []


def test_a_scheduled_poll_is_asked_when_published(
    client: Client, make_user: UserFactory, services: Services, clock: FixedClock
) -> None:
    alice = make_user("alice")
    at = START + timedelta(hours=1)
    body = {
        "status": "Later, a question",
        "scheduled_at": at.isoformat(),
        "poll": {"options": ["yes", "no"], "expires_in": 600, "multiple": True},
    }
    assert client.post("/api/v1/statuses", headers=alice.headers, json=body).status_code == 200

    clock.advance(timedelta(hours=1))
    services.microblog.scheduled.publish_due()

    (status,) = client.get(f"/api/v1/accounts/{alice.id}/statuses").json()
    assert [o["title"] for o in status["poll"]["options"]] == ["yes", "no"]
    assert status["poll"]["multiple"] is True
    assert status["poll"]["expires_at"] == "2026-12-06T13:10:00.000Z"  # from publication


def test_a_scheduled_post_with_images_is_refused_and_says_why(
    client: Client, make_user: UserFactory
) -> None:
    alice = make_user("alice")

    response = client.post(
        "/api/v1/statuses",
        headers=alice.headers,
        data={
            "status": "later, with a picture",
            "media_ids[]": "123",
            "scheduled_at": (START + timedelta(hours=1)).isoformat(),
        },
    )

    assert response.status_code == 422
    assert "cannot carry images yet" in response.json()["error"]


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"])
def test_a_time_no_clock_can_hold_is_a_422(
    client: Client, make_user: UserFactory, when: str
) -> None:
    alice = make_user("alice")

    response = client.post(
        "/api/v1/statuses", headers=alice.headers, data={"status": "x", "scheduled_at": when}
    )

    assert response.status_code == 422
    assert "ISO 8601" in response.json()["error"]
