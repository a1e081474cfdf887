"""Election windows over HTTP: public lists, admin-only declaration, and the second
moderator's approval of a case decided in a window (401 anonymous, 403 member)."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from api.conftest import Client, RoleUser, User, UserFactory
from api.test_report_routes import CASES
from townsquare.kernel import FixedClock
from townsquare.microblog import Microblog, PostDraft, Role

ELECTIONS = "/api/v1/townsquare/elections"
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def _window(**changes: object) -> dict[str, object]:
    return {
        "name": "Référendum local",
        "starts_at": (NOW + timedelta(hours=2)).isoformat(),
        "ends_at": (NOW + timedelta(days=14)).isoformat().replace("+00:00", "Z"),
        "territories": ["FR"],
        "hashtags": ["#Referendum"],
        **changes,
    }


def test_only_admins_declare_and_everyone_reads(
    client: Client, make_user: UserFactory, make_staff: RoleUser
) -> None:
    assert client.post(ELECTIONS, json=_window()).status_code == 401
    assert client.post(ELECTIONS, json=_window(), headers=make_user().headers).status_code == 403
    moderator = make_staff("mod", Role.MODERATOR)
    assert client.post(ELECTIONS, json=_window(), headers=moderator.headers).status_code == 403
    admin = make_staff("chief", Role.ADMIN)
    declared = client.post(ELECTIONS, json=_window(), headers=admin.headers)
    assert declared.status_code == 201, declared.text
    body = declared.json()
    assert (body["name"], body["hashtags"], body["territories"]) == (
        "Référendum local",
        ["referendum"],
        ["FR"],
    )
    assert [w["id"] for w in client.get(ELECTIONS).json()] == [body["id"]]
    one = client.get(f"{ELECTIONS}/{body['id']}").json()
    assert one["decisions"] == []
    assert client.get(f"{ELECTIONS}/12345").status_code == 404


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"starts_at": "tomorrow"}, "starts_at must be an ISO 8601 date and time"),
        ({"starts_at": "2027-01-01T00:00:00"}, "with its offset"),
        ({"starts_at": NOW.isoformat()}, "at least 1 hour after now"),
        ({"territories": []}, "territories"),
    ],
)
def test_a_bad_declaration_is_a_422_that_says_why(
    client: Client, make_staff: RoleUser, changes: dict[str, object], why: str
) -> None:
    admin = make_staff("chief", Role.ADMIN)
    refused = client.post(ELECTIONS, json=_window(**changes), headers=admin.headers)
    assert refused.status_code == 422
    assert why in refused.text


@pytest.fixture
def case_in_window(
    client: Client,
    make_user: UserFactory,
    make_staff: RoleUser,
    microblog: Microblog,
    clock: FixedClock,
) -> tuple[str, User]:
    """A case on a #referendum post, taken and decided by a moderator during the window."""
    admin = make_staff("chief", Role.ADMIN)
    assert client.post(ELECTIONS, json=_window(), headers=admin.headers).status_code == 201
    clock.advance(timedelta(hours=3))
    author, reporter = make_user("author"), make_user("reporter")
    post = microblog.posts.create(
        author.account.id, PostDraft(text="The vote moved to Monday #Referendum")
    )
    report = {"account_id": author.id, "status_ids": [str(post.id)], "category": "violation"}
    case_id = client.post("/api/v1/reports", json=report, headers=reporter.headers).json()[
        "townsquare_case_id"
    ]
    first = make_staff("first", Role.MODERATOR)
    client.post(f"{CASES}/{case_id}/take", headers=first.headers)
    decision = {"action": "remove", "clause": "harassment/1", "facts": "Wrong date."}
    decided = client.post(f"{CASES}/{case_id}/decide", json=decision, headers=first.headers)
    assert decided.status_code == 200, decided.text
    assert decided.json()["state"] == "awaiting_approval"
    return case_id, first


@pytest.mark.parametrize("route", ["approve", "reject"])
def test_approval_routes_refuse_anonymous_and_members(
    client: Client, make_user: UserFactory, case_in_window: tuple[str, User], route: str
) -> None:
    case_id, _ = case_in_window
    url = f"{CASES}/{case_id}/{route}"
    assert client.post(url, json={"reason": "no"}).status_code == 401
    assert client.post(url, json={"reason": "no"}, headers=make_user().headers).status_code == 403


def test_the_proposer_cannot_approve_a_second_moderator_can(
    client: Client, make_staff: RoleUser, case_in_window: tuple[str, User]
) -> None:
    case_id, first = case_in_window
    own = client.post(f"{CASES}/{case_id}/approve", headers=first.headers)
    assert own.status_code == 403
    assert "second moderator" in own.text
    second = make_staff("second", Role.ADMIN)
    approved = client.post(f"{CASES}/{case_id}/approve", headers=second.headers)
    assert approved.status_code == 200, approved.text
    assert approved.json()["decision"]["outcome"] == "remove"
    public = client.get(f"/api/v1/townsquare/cases/{case_id}").json()
    [proposal] = public["proposals"]
    assert proposal["state"] == "approved"
    window_id = proposal["election_window_id"]
    [flagged] = client.get(f"{ELECTIONS}/{window_id}").json()["decisions"]
    assert flagged["statement"]["election_window"] == window_id
    assert flagged["statement"]["second_moderator_approval"] is True


def test_a_rejection_needs_a_reason_and_returns_the_case_to_review(
    client: Client, make_staff: RoleUser, case_in_window: tuple[str, User]
) -> None:
    case_id, _ = case_in_window
    second = make_staff("second", Role.MODERATOR)
    url = f"{CASES}/{case_id}/reject"
    assert client.post(url, json={}, headers=second.headers).status_code == 422
    back = client.post(url, json={"reason": "It is a joke."}, headers=second.headers)
    assert back.status_code == 200, back.text
    assert back.json()["state"] == "in_review"
    file = client.get(f"{CASES}/{case_id}", headers=second.headers).json()
    assert file["proposals"][0]["reason"] == "It is a joke."


def test_every_moderation_route_is_in_the_openapi_schema(client: Client) -> None:
    documented = client.get("/api/openapi.json").json()["paths"]
    app = client.app
    served = {
        re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        for route in app.routes
        if route.path.startswith(("/api/v1/townsquare/", "/api/v1/reports"))
    }
    assert f"{ELECTIONS}/{{window_id}}" in served
    assert f"{CASES}/{{case_id}}/approve" in served
    assert sorted(served - set(documented)) == []
