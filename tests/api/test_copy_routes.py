"""Copies over HTTP: a moderator lists the case's post's copies (blind) and decides the case
with some of them, each its own action; anonymous visitors get 401 and members 403."""

import pytest
from sqlalchemy import select

from api.conftest import Client, RoleUser, UserFactory
from townsquare.app import Services
from townsquare.microblog import Microblog, PostDraft, Role
from townsquare.storage.tables import moderation_actions

CASES = "/api/v1/townsquare/moderation/cases"
SPAM = "spam-and-platform-manipulation/1"
TEXT = "Free crypto for the first hundred people who reply with their wallet address!"


@pytest.fixture
def world(client: Client, make_user: UserFactory, microblog: Microblog) -> tuple[str, list[str]]:
    """(case id, [the copy's id, an unrelated post's id]), the case reported on the first."""
    first, second, reporter = make_user("first"), make_user("second"), make_user("reporter")
    original = microblog.posts.create(first.account.id, PostDraft(text=TEXT))
    copy = microblog.posts.create(second.account.id, PostDraft(text=TEXT.upper()))
    other = microblog.posts.create(second.account.id, PostDraft(text="Good morning, all."))
    body = {"account_id": first.id, "status_ids": [str(original.id)], "category": "spam"}
    response = client.post("/api/v1/reports", json=body, headers=reporter.headers)
    assert response.status_code == 200, response.text
    return response.json()["townsquare_case_id"], [str(copy.id), str(other.id)]


def test_copies_need_a_token_and_a_moderator(
    client: Client, make_user: UserFactory, world: tuple[str, list[str]]
) -> None:
    case_id, _ = world
    assert client.get(f"{CASES}/{case_id}/copies").status_code == 401
    assert client.get(f"{CASES}/{case_id}/copies", headers=make_user().headers).status_code == 403


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_a_moderator_lists_the_copies_and_decides_them_with_the_case(
    client: Client,
    make_staff: RoleUser,
    services: Services,
    world: tuple[str, list[str]],
    role: Role,
) -> None:
    case_id, (copy_id, other_id) = world
    staff = make_staff("reviewer", role)
    listed = client.get(f"{CASES}/{case_id}/copies", headers=staff.headers)
    assert listed.status_code == 200
    assert listed.json() == [{"post_id": copy_id, "similarity": "1.00", "text": TEXT.upper()}]
    assert client.post(f"{CASES}/{case_id}/take", headers=staff.headers).status_code == 200
    version = services.policies.clause("spam-and-platform-manipulation/1").version
    body = {
        "action": "remove",
        "clause": f"spam-and-platform-manipulation/1@{version}",
        "facts": "Crypto bait.",
    }
    refused = client.post(
        f"{CASES}/{case_id}/decide", json={**body, "copies": [other_id]}, headers=staff.headers
    )
    assert refused.status_code == 422
    bad = client.post(
        f"{CASES}/{case_id}/decide", json={**body, "copies": ["nope"]}, headers=staff.headers
    )
    assert bad.status_code == 422
    decided = client.post(
        f"{CASES}/{case_id}/decide", json={**body, "copies": [copy_id]}, headers=staff.headers
    )
    assert decided.status_code == 200, decided.text
    with services.db.read() as conn:
        rows = conn.execute(select(moderation_actions.c.post_id, moderation_actions.c.copy_of_id))
        copies = [(r.post_id, r.copy_of_id) for r in rows if r.copy_of_id is not None]
    assert copies == [(int(copy_id), int(decided.json()["decision"]["action_id"]))]
