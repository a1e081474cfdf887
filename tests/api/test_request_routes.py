"""Outside requests over HTTP: every endpoint's authorization for an anonymous caller, a
member, a moderator and an admin; sealed requests public only as commitments; the answer
linking what the cases decided."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from api.conftest import Client, RoleUser, User, UserFactory
from api.test_report_routes import CASES
from conftest import PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock, snowflake_time
from townsquare.ledger import canonical_json
from townsquare.microblog import Post, Role
from townsquare.moderation import ActionKind

PUBLIC = "/api/v1/townsquare/requests"
STAFF = "/api/v1/townsquare/moderation/requests"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@dataclass(frozen=True)
class World:
    member: User
    moderator: User
    admin: User
    post: Post


@pytest.fixture
def world(make_user: UserFactory, make_staff: RoleUser, make_post: PostFactory) -> World:
    author = make_user("writer")
    return World(
        member=make_user("member"),
        moderator=make_staff("mod", Role.MODERATOR),
        admin=make_staff("chief", Role.ADMIN),
        post=make_post(author.account, "Polls close on Monday"),
    )


def _body(world: World, **changes: object) -> dict[str, object]:
    return {
        "requester_kind": "government",
        "requester": "Préfecture du Rhône",
        "country": "FR",
        "legal_basis": "Code électoral, art. L. 52-1",
        "ground": "illegal_content",
        "requested_action": "remove",
        "summary": "A wrong polling date.",
        "status_ids": [str(world.post.id)],
        **changes,
    }


def _log(client: Client, world: World, user: User | None, **changes: object) -> int:
    headers = user.headers if user else {}
    return client.post(STAFF, json=_body(world, **changes), headers=headers).status_code


def test_only_moderators_and_admins_log_and_list_requests(client: Client, world: World) -> None:
    assert _log(client, world, None) == 401
    assert _log(client, world, world.member) == 403
    assert _log(client, world, world.moderator) == 201
    assert _log(client, world, world.admin) == 201
    assert client.get(STAFF).status_code == 401
    assert client.get(STAFF, headers=world.member.headers).status_code == 403
    for staff in (world.moderator, world.admin):
        listed = client.get(STAFF, headers=staff.headers)
        assert listed.status_code == 200
        assert len(listed.json()) == 2


def test_everyone_reads_the_public_list_and_numbers(client: Client, world: World) -> None:
    assert _log(client, world, world.moderator) == 201
    for user in (None, world.member, world.moderator, world.admin):
        response = client.get(PUBLIC, headers=user.headers if user else {})
        assert response.status_code == 200
    body = client.get(PUBLIC).json()
    assert body["numbers"] == {
        "total": 1,
        "sealed": 0,
        "by_requester": {"government": {"pending": 1}},
        "by_country": {"FR": 1},
    }
    (shown,) = body["requests"]
    assert shown["requester"] == "Préfecture du Rhône"
    assert shown["items"][0]["status_id"] == str(world.post.id)
    assert client.get(f"{PUBLIC}/{shown['id']}").json()["legal_basis"].startswith("Code")
    assert client.get(f"{PUBLIC}/12345").status_code == 404


def test_a_sealed_request_shows_only_its_commitment_until_released(
    client: Client, world: World, clock: FixedClock
) -> None:
    release = NOW + timedelta(days=10)
    logged = client.post(
        STAFF, json=_body(world, release_at=release.isoformat()), headers=world.moderator.headers
    )
    assert logged.status_code == 201, logged.text
    request_id = logged.json()["id"]
    sealed = client.get(f"{PUBLIC}/{request_id}").json()
    assert sealed["sealed"] is True
    assert "requester" not in sealed
    assert "nonce" not in sealed
    assert "Préfecture" not in client.get(PUBLIC).text
    assert client.get(PUBLIC).json()["numbers"]["sealed"] == 1

    # Kept to the day: sealed until the end of the day asked for, never earlier.
    end_of_day = NOW.replace(hour=0) + timedelta(days=11)
    assert sealed["release_at"] == end_of_day.isoformat()
    clock.advance(timedelta(days=10))
    assert client.get(f"{PUBLIC}/{request_id}").json()["sealed"] is True
    clock.advance(end_of_day - clock.now())
    released = client.get(f"{PUBLIC}/{request_id}").json()
    assert released["sealed"] is False
    assert released["requester"] == "Préfecture du Rhône"
    assert released["commitment"] == sealed["commitment"]


def test_the_published_details_recompute_the_commitment_in_the_ledger(
    client: Client, world: World, services: Services
) -> None:
    client.post(STAFF, json=_body(world), headers=world.moderator.headers)
    services.ledger.integrate()
    (shown,) = client.get(PUBLIC).json()["requests"]
    committed = shown["committed"]["details"]
    digest = hashlib.sha256(canonical_json({"details": committed, "nonce": shown["nonce"]}))
    logged = client.get(f"/ledger/entries/{shown['intake_ledger_index']}").json()
    assert digest.hexdigest() == shown["commitment"] == logged["entry"]["commitment"]


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"requester_kind": "mayor"}, "requester_kind: expected one of court, government"),
        ({"ground": "law"}, "expected illegal_content or terms_of_service"),
        ({"requested_action": "restore"}, "requested_action"),
        ({"status_ids": ["x"]}, "expected ids"),
        ({"status_ids": []}, "items: expected 1 to 50"),
        ({"release_at": "next week"}, "ISO 8601"),
        ({"status_ids": ["999999"]}, "no such post"),
    ],
)
def test_a_bad_request_is_a_4xx_that_says_why(
    client: Client, world: World, changes: dict[str, object], why: str
) -> None:
    refused = client.post(STAFF, json=_body(world, **changes), headers=world.moderator.headers)
    assert refused.status_code in {404, 422}
    assert why in refused.text


def test_the_answer_waits_for_the_case_and_only_moderators_give_it(
    client: Client, world: World, services: Services
) -> None:
    logged = client.post(STAFF, json=_body(world), headers=world.moderator.headers).json()
    answer = f"{STAFF}/{logged['id']}/answer"
    reasons = {"reasons": "Removed: the date was wrong."}
    assert client.post(answer, json=reasons).status_code == 401
    assert client.post(answer, json=reasons, headers=world.member.headers).status_code == 403
    waiting = client.post(answer, json=reasons, headers=world.moderator.headers)
    assert waiting.status_code == 409
    assert "decide its items' cases first" in waiting.text

    case_id = logged["items"][0]["case_id"]
    headers = world.moderator.headers
    assert client.post(f"{CASES}/{case_id}/take", headers=headers).status_code == 200
    clause = next(
        c for c in services.policies.clauses.values() if ActionKind.REMOVE in c.allowed_actions
    )
    decided = {"action": "remove", "clause": clause.ref, "facts": "A wrong polling date."}
    took = client.post(f"{CASES}/{case_id}/decide", json=decided, headers=headers)
    assert took.status_code == 200

    answered = client.post(answer, json=reasons, headers=world.admin.headers)
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["outcome"] == "complied"
    assert body["items"][0]["action"] == "remove"
    assert client.post(answer, json=reasons, headers=world.admin.headers).status_code == 409


def test_only_moderators_record_a_withdrawal(client: Client, world: World) -> None:
    logged = client.post(STAFF, json=_body(world), headers=world.moderator.headers).json()
    withdraw = f"{STAFF}/{logged['id']}/withdraw"
    reasons = {"reasons": "Letter of 3 December."}
    assert client.post(withdraw, json=reasons).status_code == 401
    assert client.post(withdraw, json=reasons, headers=world.member.headers).status_code == 403
    done = client.post(withdraw, json=reasons, headers=world.moderator.headers)
    assert done.status_code == 200
    assert done.json()["outcome"] == "withdrawn"
    public = client.get(f"{PUBLIC}/{logged['id']}").json()
    assert public["state"] == "withdrawn"


def test_every_request_route_is_in_the_openapi_schema(client: Client) -> None:
    documented = client.get("/api/openapi.json").json()["paths"]
    for path in (
        PUBLIC,
        f"{PUBLIC}/{{request_id}}",
        STAFF,
        f"{STAFF}/{{request_id}}/answer",
        f"{STAFF}/{{request_id}}/withdraw",
    ):
        assert path in documented, path


def test_nothing_public_pairs_a_sealed_request_with_its_case(
    client: Client, world: World, clock: FixedClock, services: Services
) -> None:
    """Neither by adjacent ids nor by equal times: not in the register, the request, its
    ledger entry, the decided case or the post's "why?" receipt."""
    clock.advance(timedelta(hours=5))  # the post was made at 09:00; the request comes at 14:00
    release = NOW + timedelta(days=10)
    logged = client.post(
        STAFF, json=_body(world, release_at=release.isoformat()), headers=world.moderator.headers
    ).json()
    arrived = datetime.fromisoformat(logged["received_at"])
    assert arrived == NOW + timedelta(hours=5)  # moderators see the exact time
    request_id, case_id = int(logged["id"]), int(logged["items"][0]["case_id"])
    midnight = NOW.replace(hour=0).isoformat()

    # The request's id is random: it says nothing of when it came, nor of its case's id.
    assert abs(snowflake_time(request_id) - arrived) > timedelta(days=1)
    services.ledger.integrate()
    register = client.get(PUBLIC).text
    shown = client.get(f"{PUBLIC}/{request_id}").json()
    assert (shown["received_at"], shown["answered_at"]) == (midnight, None)
    intake = client.get(f"/ledger/entries/{shown['intake_ledger_index']}").json()["entry"]
    assert intake["received_at"] == midnight
    assert intake["request_id"] == str(request_id)

    # Its case opened at a random moment of the day, after the post, with that moment's id.
    clock.advance(timedelta(hours=1))
    headers = world.moderator.headers
    assert client.post(f"{CASES}/{case_id}/take", headers=headers).status_code == 200
    clause = next(
        c for c in services.policies.clauses.values() if ActionKind.REMOVE in c.allowed_actions
    )
    decided = {"action": "remove", "clause": clause.ref, "facts": "A wrong polling date."}
    assert client.post(f"{CASES}/{case_id}/decide", json=decided, headers=headers).is_success
    case = client.get(f"/api/v1/townsquare/cases/{case_id}").json()
    opened = datetime.fromisoformat(case["opened_at"])
    assert NOW <= opened < arrived
    assert snowflake_time(case_id) == opened.replace(microsecond=opened.microsecond // 1000 * 1000)
    why = client.get(f"/api/v1/townsquare/posts/{world.post.id}/why").json()
    assert all(e["entry"]["type"] != "moderation.request" for e in why["entries"])

    exact = (arrived.isoformat(), arrived.isoformat(timespec="seconds")[:19])
    public = (register, str(shown), str(intake), str(case), str(why))
    assert not [text for text in public for moment in exact if moment in text]
