"""Appeals, notices and statements over HTTP, with every endpoint's authorization checked
for an anonymous caller (401 where sign-in is needed), a member, a moderator and an admin."""

from dataclasses import dataclass

import pytest

from api.conftest import Client, User, UserFactory
from conftest import PostFactory
from townsquare.app import Services
from townsquare.microblog import Microblog, Role
from townsquare.moderation import ActionKind, Decision, PostTarget

BASE = "/api/v1/townsquare"


@dataclass(frozen=True)
class World:
    author: User
    member: User
    moderator: User
    admin: User
    action_id: int


@pytest.fixture
def world(
    services: Services, microblog: Microblog, make_user: UserFactory, make_post: PostFactory
) -> World:
    author, member = make_user("writer"), make_user("member")
    moderator, admin = make_user("mod"), make_user("boss")
    microblog.accounts.set_role(moderator.account.id, Role.MODERATOR)
    microblog.accounts.set_role(admin.account.id, Role.ADMIN)
    post = make_post(author.account, "a post")
    clause = next(
        c for c in services.policies.clauses.values() if ActionKind.REMOVE in c.allowed_actions
    )
    decision = Decision(
        moderator.account.id, ActionKind.REMOVE, PostTarget(post.id), clause.ref, "Facts."
    )
    return World(author, member, moderator, admin, services.moderation.enforce(decision).id)


def _file(client: Client, world: World, user: User) -> int:
    body = {"action_id": str(world.action_id), "reason": "It was satire."}
    return client.post(f"{BASE}/appeals", json=body, headers=user.headers).status_code


@pytest.mark.parametrize("path", ["statements", "appeals/stats"])
def test_public_reads_answer_everyone(client: Client, world: World, path: str) -> None:
    for headers in ({}, world.member.headers, world.moderator.headers, world.admin.headers):
        response = client.get(f"{BASE}/{path}", headers=headers)
        assert response.status_code == 200, response.text
    statements = client.get(f"{BASE}/statements").json()
    assert statements[0]["puid"] == f"townsquare-action-{world.action_id}"


def test_notices_are_the_signed_in_authors(client: Client, world: World) -> None:
    assert client.get(f"{BASE}/notices").status_code == 401
    (notice,) = client.get(f"{BASE}/notices", headers=world.author.headers).json()
    assert notice["action_id"] == str(world.action_id)
    assert notice["can_appeal"] is True
    for user in (world.member, world.moderator, world.admin):
        assert client.get(f"{BASE}/notices", headers=user.headers).json() == []


def test_only_the_author_files_an_appeal(client: Client, world: World) -> None:
    body = {"action_id": str(world.action_id), "reason": "It was satire."}
    assert client.post(f"{BASE}/appeals", json=body).status_code == 401
    for user in (world.member, world.moderator, world.admin):
        assert _file(client, world, user) == 403
    assert _file(client, world, world.author) == 201
    assert _file(client, world, world.author) == 409


def test_only_moderators_list_appeals_and_never_their_own_decisions(
    client: Client, world: World
) -> None:
    _file(client, world, world.author)
    assert client.get(f"{BASE}/moderation/appeals").status_code == 401
    for user in (world.author, world.member):
        assert client.get(f"{BASE}/moderation/appeals", headers=user.headers).status_code == 403
    # the moderator took the decision: the appeal is not theirs to see
    assert client.get(f"{BASE}/moderation/appeals", headers=world.moderator.headers).json() == []
    (appeal,) = client.get(f"{BASE}/moderation/appeals", headers=world.admin.headers).json()
    assert appeal["appellant"].startswith("appellant-")
    assert "writer" not in str(appeal)


def test_a_notice_names_and_links_its_post(client: Client, world: World) -> None:
    (notice,) = client.get(f"{BASE}/notices", headers=world.author.headers).json()
    subject = notice["subject"]
    assert (notice["role"], notice["appeal_right"]) == ("author", "author")
    assert (subject["kind"], subject["acct"], subject["excerpt"]) == ("post", "writer", None)
    assert subject["url"].endswith(f"/@writer/{subject['post_id']}")
    assert subject["why_url"].endswith(f"/posts/{subject['post_id']}/why")
    assert subject["posted_on"] is not None  # removed: named by its date, not its words


def test_deciding_needs_a_different_moderator(client: Client, world: World) -> None:
    _file(client, world, world.author)
    (appeal,) = client.get(f"{BASE}/moderation/appeals", headers=world.admin.headers).json()
    url = f"{BASE}/moderation/appeals/{appeal['id']}/decide"
    body = {"outcome": "reversed", "reasons": "Satire, clearly marked."}
    assert client.post(url, json=body).status_code == 401
    for user in (world.author, world.member, world.moderator):
        assert client.post(url, json=body, headers=user.headers).status_code == 403
    bad = client.post(url, json={**body, "outcome": "maybe"}, headers=world.admin.headers)
    assert bad.status_code == 422
    decided = client.post(url, json=body, headers=world.admin.headers)
    assert decided.status_code == 200, decided.text
    assert decided.json()["state"] == "reversed"
    assert decided.json()["restore_action_id"] is not None
    assert client.post(url, json=body, headers=world.admin.headers).status_code == 409
    stats = client.get(f"{BASE}/appeals/stats").json()
    assert (stats["decided"], stats["reversed"], stats["rate"]) == (1, 1, 1.0)
