"""Polls: asked with a post (form or JSON), voted in once before they end, counts hidden
until the end where the author asked so, and carried on the status everywhere it shows."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from townsquare.kernel import FixedClock

from .conftest import Client, User, UserFactory

START = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def _ask(client: Client, user: User, **poll: Any) -> dict[str, Any]:
    asked: dict[str, Any] = {"options": ["tea", "coffee"], "expires_in": 3600} | poll
    body = {"status": "Which one?", "poll": asked}
    response = client.post("/api/v1/statuses", headers=user.headers, json=body)
    assert response.status_code == 200, response.text
    status: dict[str, Any] = response.json()
    return status


def _vote(client: Client, user: User, poll_id: str, *choices: int) -> Any:
    return client.post(
        f"/api/v1/polls/{poll_id}/votes",
        headers=user.headers,
        data={"choices[]": [str(c) for c in choices]},
    )


def test_a_poll_asked_in_a_form_is_on_its_status(client: Client, make_user: UserFactory) -> None:
    alice = make_user("alice")
    response = client.post(
        "/api/v1/statuses",
        headers=alice.headers,
        data={
            "status": "Lunch?",
            "poll[options][]": ["pizza", "salad", "soup"],
            "poll[expires_in]": "600",
            "poll[multiple]": "1",
        },
    )

    poll = response.json()["poll"]
    assert response.status_code == 200, response.text
    assert [o["title"] for o in poll["options"]] == ["pizza", "salad", "soup"]
    assert poll["multiple"] is True
    assert poll["expires_at"] == "2026-12-06T12:10:00.000Z"
    assert (poll["expired"], poll["voted"], poll["votes_count"]) == (False, False, 0)
    shown = client.get("/api/v1/timelines/public").json()[0]
    assert shown["poll"]["id"] == poll["id"]


def test_each_voter_votes_once(client: Client, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    poll_id = _ask(client, alice)["poll"]["id"]

    first = _vote(client, bob, poll_id, 1)
    again = _vote(client, bob, poll_id, 0)
    _vote(client, carol, poll_id, 1)
    two_choices = _vote(client, alice, poll_id, 0, 1)
    out_of_range = _vote(client, alice, poll_id, 2)

    assert first.status_code == 200
    assert (first.json()["voted"], first.json()["own_votes"]) == (True, [1])
    assert again.status_code == 422
    assert "already voted" in again.json()["error"]
    assert two_choices.status_code == 422
    assert out_of_range.status_code == 422
    poll = client.get(f"/api/v1/polls/{poll_id}", headers=carol.headers).json()
    assert [o["votes_count"] for o in poll["options"]] == [0, 2]
    assert (poll["votes_count"], poll["voters_count"], poll["own_votes"]) == (2, 2, [1])
    assert client.get(f"/api/v1/polls/{poll_id}").json()["voted"] is False


def test_an_ended_poll_takes_no_votes_and_hidden_totals_show_at_the_end(
    client: Client, make_user: UserFactory, clock: FixedClock
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    poll_id = _ask(client, alice, hide_totals=True, expires_in=300)["poll"]["id"]
    _vote(client, bob, poll_id, 0)
    during = client.get(f"/api/v1/polls/{poll_id}").json()

    clock.advance(timedelta(minutes=5))
    late = _vote(client, alice, poll_id, 1)
    after = client.get(f"/api/v1/polls/{poll_id}").json()

    assert [o["votes_count"] for o in during["options"]] == [None, None]
    assert late.status_code == 422
    assert "ended" in late.json()["error"]
    assert after["expired"] is True
    assert [o["votes_count"] for o in after["options"]] == [1, 0]


@pytest.mark.parametrize(
    ("poll", "says"),
    [
        ({"options": ["only one"]}, "2 to 4 options"),
        ({"options": ["a", "b", "c", "d", "e"]}, "2 to 4 options, not 5"),
        ({"options": ["same", "same"]}, "differ"),
        ({"options": ["a", "x" * 51]}, "at most 50 characters"),
        ({"expires_in": 60}, "from 300 seconds"),
    ],
)
def test_a_poll_that_cannot_be_asked_says_why(
    client: Client, make_user: UserFactory, poll: dict[str, Any], says: str
) -> None:
    alice = make_user("alice")
    body = {"status": "?", "poll": {"options": ["a", "b"], "expires_in": 3600} | poll}

    response = client.post("/api/v1/statuses", headers=alice.headers, json=body)

    assert response.status_code == 422
    assert says in response.json()["error"]


def test_a_poll_on_a_post_out_of_reach_is_404(client: Client, make_user: UserFactory) -> None:
    alice, stranger = make_user("alice"), make_user("stranger")
    body = {
        "status": "followers decide",
        "visibility": "private",
        "poll": {"options": ["a", "b"], "expires_in": 3600},
    }
    poll_id = client.post("/api/v1/statuses", headers=alice.headers, json=body).json()["id"]
    no_poll = client.post("/api/v1/statuses", headers=alice.headers, data={"status": "x"})

    assert client.get(f"/api/v1/polls/{poll_id}", headers=stranger.headers).status_code == 404
    assert _vote(client, stranger, poll_id, 0).status_code == 404
    assert client.get(f"/api/v1/polls/{no_poll.json()['id']}").status_code == 404


@pytest.mark.parametrize("choice", ["²", "-1", "99999999999999999999", "one"])
def test_a_choice_that_is_no_position_is_a_422(
    client: Client, make_user: UserFactory, choice: str
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    poll_id = _ask(client, alice)["poll"]["id"]

    response = client.post(
        f"/api/v1/polls/{poll_id}/votes", headers=bob.headers, data={"choices[]": choice}
    )

    assert response.status_code == 422
