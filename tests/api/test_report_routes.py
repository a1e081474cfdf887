"""Reports and cases over HTTP: Mastodon's report call, the moderator routes (401 for
anonymous, 403 for members) and the public decided case."""

from typing import Any

import pytest
from sqlalchemy import select

from api.conftest import Client, RoleUser, UserFactory
from townsquare.app import Services
from townsquare.ledger import decode_entry
from townsquare.microblog import Microblog, PostDraft, Role
from townsquare.storage.tables import moderation_actions

CASES = "/api/v1/townsquare/moderation/cases"


@pytest.fixture
def case_id(client: Client, make_user: UserFactory, microblog: Microblog) -> str:
    author, reporter = make_user("author"), make_user("reporter")
    post = microblog.posts.create(author.account.id, PostDraft(text="you fool"))
    response = client.post(
        "/api/v1/reports",
        json={
            "account_id": author.id,
            "status_ids": [str(post.id)],
            "comment": "insult, mail me at reporter@example.com",
            "category": "violation",
            "townsquare_clause": "harassment/1",
        },
        headers=reporter.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status_ids"] == [str(post.id)]
    assert body["target_account"]["id"] == author.id
    assert body["category"] == "violation"
    assert body["action_taken"] is False
    case: str = body["townsquare_case_id"]
    return case


def test_reporting_needs_a_token_and_a_real_account(client: Client, make_user: UserFactory) -> None:
    member = make_user()
    assert client.post("/api/v1/reports", json={"account_id": member.id}).status_code == 401
    response = client.post("/api/v1/reports", json={}, headers=make_user().headers)
    assert response.status_code == 422
    bad = client.post(
        "/api/v1/reports",
        json={"account_id": member.id, "category": "nonsense"},
        headers=make_user().headers,
    )
    assert bad.status_code == 422


def test_an_account_report_and_a_second_report_join_cases(
    client: Client, make_user: UserFactory
) -> None:
    target = make_user("target")
    ids = {
        client.post(
            "/api/v1/reports", data={"account_id": target.id}, headers=make_user().headers
        ).json()["townsquare_case_id"]
        for _ in range(2)
    }
    assert len(ids) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/townsquare/moderation/queue"),
        ("get", f"{CASES}/{{case}}"),
        ("post", f"{CASES}/{{case}}/take"),
        ("post", f"{CASES}/{{case}}/comments"),
        ("post", f"{CASES}/{{case}}/decide"),
        ("post", f"{CASES}/{{case}}/reveal"),
    ],
)
def test_moderator_routes_refuse_anonymous_and_members(
    client: Client, make_user: UserFactory, case_id: str, method: str, path: str
) -> None:
    url = path.format(case=case_id)
    body = {
        "text": "hi",
        "action": "no_action",
        "clause": "harassment/1@1",
        "facts": "ok",
        "reason": "curious",
    }
    send = getattr(client, method)
    kwargs = {"json": body} if method == "post" else {}
    assert send(url, **kwargs).status_code == 401
    assert send(url, headers=make_user().headers, **kwargs).status_code == 403


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_a_case_from_queue_to_public_decision(
    client: Client,
    make_staff: RoleUser,
    services: Services,
    case_id: str,
    role: Role,
) -> None:
    staff = make_staff("reviewer", role)
    queue = client.get("/api/v1/townsquare/moderation/queue", headers=staff.headers).json()
    assert [item["case_id"] for item in queue] == [case_id]
    assert queue[0]["author"].startswith("Author ")
    assert client.get(f"/api/v1/townsquare/cases/{case_id}").status_code == 404
    comment = client.post(
        f"{CASES}/{case_id}/comments",
        json={"text": "The reporter (reporter) is right."},
        headers=staff.headers,
    )
    assert comment.status_code == 200
    early = client.post(
        f"{CASES}/{case_id}/decide",
        json={"action": "no_action", "clause": "harassment/1@1", "facts": "Fine."},
        headers=staff.headers,
    )
    assert early.status_code == 409  # open: take it first
    assert client.post(f"{CASES}/{case_id}/take", headers=staff.headers).status_code == 200
    version = services.policies.clause("harassment/1").version
    decided = client.post(
        f"{CASES}/{case_id}/decide",
        json={"action": "no_action", "clause": f"harassment/1@{version}", "facts": "Fine."},
        headers=staff.headers,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["decision"]["outcome"] == "no_action"
    public = client.get(f"/api/v1/townsquare/cases/{case_id}")
    assert public.status_code == 200
    text = public.text
    assert "reporter" not in text.replace("[reporter]", "")
    assert public.json()["deliberation"][0]["moderator"].startswith("Moderator ")
    file = client.get(f"{CASES}/{case_id}", headers=staff.headers).json()
    assert file["reports"][0]["category"] == "violation"
    assert "reporter_id" not in str(file)


def _decided_statement(
    client: Client, services: Services, case_id: str, headers: dict[str, str], body: object
) -> dict[str, object]:
    assert client.post(f"{CASES}/{case_id}/take", headers=headers).status_code == 200
    decided = client.post(f"{CASES}/{case_id}/decide", json=body, headers=headers)
    assert decided.status_code == 200, decided.text
    return _statement(services, decided.json())


def _statement(services: Services, case: dict[str, Any]) -> dict[str, object]:
    """The statement of reasons the decided case's action logged."""
    action_id = int(case["decision"]["action_id"])
    with services.db.read() as conn:
        entry = conn.execute(
            select(moderation_actions.c.entry).where(moderation_actions.c.id == action_id)
        ).scalar_one()
    return dict(decode_entry(entry).fields)


def test_a_geo_restriction_names_its_countries_and_ends(
    client: Client, make_staff: RoleUser, services: Services, case_id: str
) -> None:
    staff = make_staff("reviewer", Role.MODERATOR)
    clause = services.policies.clause("illegal-content/2").ref  # allows geo_restrict
    body = {
        "action": "geo_restrict",
        "clause": clause,
        "facts": "Illegal in Germany and France only.",
        "territorial_scope": ["fr", "DE"],
        "ends_at": "2027-06-01T00:00:00Z",
    }
    statement = _decided_statement(client, services, case_id, staff.headers, body)
    assert statement["territorial_scope"] == ["DE", "FR"]
    assert str(statement["ends_at"]).startswith("2027-06-01")


def test_reduced_reach_names_the_surfaces_it_hides(
    client: Client, make_staff: RoleUser, services: Services, case_id: str
) -> None:
    staff = make_staff("reviewer", Role.MODERATOR)
    clause = services.policies.clause("harassment/2").ref  # allows reduce_reach
    bad = {"action": "reduce_reach", "clause": clause, "facts": "F.", "surfaces": ["sky"]}
    assert client.post(f"{CASES}/{case_id}/take", headers=staff.headers).status_code == 200
    refused = client.post(f"{CASES}/{case_id}/decide", json=bad, headers=staff.headers)
    assert refused.status_code == 422
    assert "surfaces: expected some of home, public" in refused.text
    body = {**bad, "surfaces": ["search"]}
    decided = client.post(f"{CASES}/{case_id}/decide", json=body, headers=staff.headers)
    assert decided.status_code == 200, decided.text
    assert _statement(services, decided.json())["surfaces"] == ["search"]


def test_regression_one_status_id_repeated_100_times_counts_one_reporter(
    client: Client, make_user: UserFactory, make_staff: RoleUser, microblog: Microblog
) -> None:
    author, reporter = make_user("author"), make_user("reporter")
    post = microblog.posts.create(author.account.id, PostDraft(text="you fool"))
    # A list holds at most 100 items (105 is refused with a 422); 100 copies raised the
    # case's report count to 100.
    response = client.post(
        "/api/v1/reports",
        json={"account_id": author.id, "status_ids": [str(post.id)] * 100},
        headers=reporter.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["status_ids"] == [str(post.id)]
    again = client.post(  # the same member reporting the same post again counts once too
        "/api/v1/reports",
        json={"account_id": author.id, "status_ids": [str(post.id)]},
        headers=reporter.headers,
    )
    case_id = again.json()["townsquare_case_id"]
    assert case_id == response.json()["townsquare_case_id"]
    staff = make_staff("reviewer", Role.MODERATOR)
    queue = client.get("/api/v1/townsquare/moderation/queue", headers=staff.headers).json()
    assert [(item["case_id"], item["report_count"]) for item in queue] == [(case_id, 1)]
    file = client.get(f"{CASES}/{case_id}", headers=staff.headers).json()
    assert file["report_count"] == 1


@pytest.fixture
def blind_case(
    client: Client, make_user: UserFactory, microblog: Microblog
) -> tuple[str, str, str]:
    """A case on a post by @zed_writer whose report names its author: (case, post, author)."""
    author = make_user("zed_writer")
    post = microblog.posts.create(author.account.id, PostDraft(text="the same spam again"))
    report = {
        "account_id": author.id,
        "status_ids": [str(post.id)],
        "comment": "@zed_writer posts this every hour",
    }
    response = client.post("/api/v1/reports", json=report, headers=make_user().headers)
    assert response.status_code == 200, response.text
    return response.json()["townsquare_case_id"], str(post.id), author.id


def _leaks(text: str, post_id: str, author_id: str) -> set[str]:
    return {found for found in (post_id, author_id, "zed_writer") if found in text}


def test_the_queue_and_the_case_carry_nothing_that_leads_to_the_author(
    client: Client, make_staff: RoleUser, blind_case: tuple[str, str, str]
) -> None:
    case_id, post_id, author_id = blind_case
    staff = make_staff("reviewer", Role.MODERATOR)
    queue = client.get("/api/v1/townsquare/moderation/queue", headers=staff.headers)
    assert [item["case_id"] for item in queue.json()] == [case_id]
    assert queue.json()[0]["target_kind"] == "post"
    assert _leaks(queue.text, post_id, author_id) == set()
    file = client.get(f"{CASES}/{case_id}", headers=staff.headers)
    assert file.json()["item"]["content"] == "<p>the same spam again</p>"
    assert file.json()["reports"][0]["comment"] == "[author] posts this every hour"
    assert file.json()["revealed"] is None
    assert _leaks(file.text, post_id, author_id) == set()
    taken = client.post(f"{CASES}/{case_id}/take", headers=staff.headers)
    assert _leaks(taken.text, post_id, author_id) == set()


def test_reveal_authors_in_the_queue_is_refused_with_the_way_to_reveal(
    client: Client, make_staff: RoleUser, blind_case: tuple[str, str, str]
) -> None:
    staff = make_staff("reviewer", Role.MODERATOR)
    response = client.get(
        "/api/v1/townsquare/moderation/queue?reveal_authors=true", headers=staff.headers
    )
    assert response.status_code == 422
    assert "/reveal with a reason" in response.json()["detail"]


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_revealing_without_a_reason_is_422(
    client: Client, make_staff: RoleUser, blind_case: tuple[str, str, str], body: object
) -> None:
    case_id = blind_case[0]
    staff = make_staff("reviewer", Role.MODERATOR)
    response = client.post(f"{CASES}/{case_id}/reveal", json=body, headers=staff.headers)
    assert response.status_code == 422
    assert "reason" in response.json()["detail"]
    file = client.get(f"{CASES}/{case_id}", headers=staff.headers).json()
    assert (file["revealed"], file["deliberation"]) == (None, [])


def test_revealing_names_the_author_and_is_in_the_deliberation(
    client: Client, make_staff: RoleUser, blind_case: tuple[str, str, str]
) -> None:
    case_id, post_id, author_id = blind_case
    staff = make_staff("reviewer", Role.MODERATOR)
    reason = {"reason": "The report says it is hourly: is it one account?"}
    revealed = client.post(f"{CASES}/{case_id}/reveal", json=reason, headers=staff.headers)
    assert revealed.status_code == 200, revealed.text
    body = revealed.json()
    assert (body["account_id"], body["username"], body["post_id"]) == (
        author_id,
        "zed_writer",
        post_id,
    )
    file = client.get(f"{CASES}/{case_id}", headers=staff.headers).json()
    assert file["revealed"]["username"] == "zed_writer"
    (entry,) = file["deliberation"]
    assert (entry["kind"], entry["text"]) == ("reveal", reason["reason"])
    assert entry["moderator"].startswith("Moderator ")
    other = make_staff("second", Role.MODERATOR)
    assert client.get(f"{CASES}/{case_id}", headers=other.headers).json()["revealed"] is None
