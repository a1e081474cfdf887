"""Every notes route of the API, for every role: one table of route × role → status, and the
same routes, no more and no fewer, in the OpenAPI schema.

The roles: a visitor with no token; a member old enough to contribute; a newcomer (too new)
and a limited member (not in good standing), who may read but not contribute; a moderator and
an admin, who contribute as members do and alone review held scoring runs. The note is
undecided (only members see it) and written by someone else; the held run proposes nothing.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import PostDraft, Role
from townsquare.moderation import AccountTarget, ActionKind, Decision
from townsquare.storage.tables import note_scoring_runs

from .conftest import Client, RoleUser, User, UserFactory

NOTE: dict[str, Any] = {
    "classification": "MISINFORMED_OR_POTENTIALLY_MISLEADING",
    "reasons": ["misleadingFactualError"],
    "trustworthy_sources": True,
    "text": "The quoted figure is the 2019 one.",
    "sources": ["https://stats.example.org/2019"],
}
HELPFUL = {"level": "HELPFUL", "tags": ["helpfulGoodSources"]}
ROLES = ("anonymous", "member", "newcomer", "limited", "moderator", "admin")
_V1 = "/api/v1/townsquare"

# (method, path as the OpenAPI schema spells it, body, one status per role in ROLES order)
ROUTES: list[tuple[str, str, dict[str, Any] | None, tuple[int, ...]]] = [
    ("GET", f"{_V1}/posts/{{post_id}}/notes", None, (200, 200, 200, 200, 200, 200)),
    ("POST", f"{_V1}/posts/{{post_id}}/notes", NOTE, (401, 201, 403, 403, 201, 201)),
    ("POST", f"{_V1}/posts/{{post_id}}/note_requests", None, (401, 200, 403, 403, 200, 200)),
    ("GET", f"{_V1}/notes/{{note_id}}", None, (404, 200, 200, 200, 200, 200)),
    ("POST", f"{_V1}/notes/{{note_id}}/ratings", HELPFUL, (401, 200, 403, 403, 200, 200)),
    ("GET", f"{_V1}/notes/needs_rating", None, (401, 200, 200, 200, 200, 200)),
    ("GET", f"{_V1}/notes/mine", None, (401, 200, 200, 200, 200, 200)),
    ("GET", f"{_V1}/notes/impact", None, (401, 200, 200, 200, 200, 200)),
    ("GET", f"{_V1}/notes/shown", None, (200, 200, 200, 200, 200, 200)),
    ("GET", f"{_V1}/notes/runs/held", None, (401, 403, 403, 403, 200, 200)),
    ("POST", f"{_V1}/notes/runs/{{run_id}}/release", None, (401, 403, 403, 403, 200, 200)),
    ("POST", f"{_V1}/notes/runs/{{run_id}}/discard", None, (401, 403, 403, 403, 200, 200)),
]
CASES = [
    pytest.param(method, path, body, statuses, id=f"{method} {path}")
    for method, path, body, statuses in ROUTES
]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))


@dataclass(frozen=True)
class World:
    """One user per role (None for the visitor), a post, a note on it, a held run."""

    users: dict[str, User | None]
    post_id: int
    note_id: int
    run_id: int


@pytest.fixture
def world(
    services: Services,
    clock: FixedClock,
    make_user: UserFactory,
    make_staff: RoleUser,
    client: Client,
) -> World:
    poster, author = make_user("poster"), make_user("author")
    users: dict[str, User | None] = {
        "anonymous": None,
        "member": make_user("member"),
        "limited": make_user("limited"),
        "moderator": make_staff("mod_one", Role.MODERATOR),
        "admin": make_staff("admin_one", Role.ADMIN),
    }
    clock.advance(timedelta(days=8))
    users["newcomer"] = make_user("newcomer")
    _limit(services, users)
    post = services.microblog.posts.create(poster.account.id, PostDraft(text="A claim."))
    written = client.post(f"{_V1}/posts/{post.id}/notes", json=NOTE, headers=author.headers)
    assert written.status_code == 201, written.text
    return World(users, post.id, int(written.json()["id"]), _held_run(services, clock))


def _limit(services: Services, users: dict[str, User | None]) -> None:
    """A moderator limits the `limited` member's account, through `enforce`."""
    moderator, limited = users["moderator"], users["limited"]
    assert moderator is not None
    assert limited is not None
    clause = next(
        c for c in services.policies.clauses.values() if ActionKind.LIMIT in c.allowed_actions
    )
    target = AccountTarget(limited.account.id)
    services.moderation.enforce(
        Decision(moderator.account.id, ActionKind.LIMIT, target, clause.ref, "Spam, again.")
    )


def _held_run(services: Services, clock: FixedClock) -> int:
    """A run the drift guard held, proposing no change."""
    run_id = services.microblog.context.ids.next_id()
    with services.db.write() as conn:
        conn.execute(
            note_scoring_runs.insert().values(
                id=run_id,
                started_at=clock.now(),
                finished_at=clock.now(),
                state="held",
                scorer_version="townsquare-core/1",
                held_reason="held for the test",
            )
        )
    return run_id


@pytest.mark.parametrize(("method", "path", "body", "statuses"), CASES)
def test_each_route_answers_each_role(
    world: World,
    services: Services,
    clock: FixedClock,
    client: Client,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    statuses: tuple[int, ...],
) -> None:
    """One world per route (setting it up is the slow part), every role in turn; each role
    acts on a run of its own, since releasing a run leaves nothing for the next to release."""
    answered = {}
    for role in ROLES:
        run_id = _held_run(services, clock) if "{run_id}" in path else world.run_id
        url = path.format(post_id=world.post_id, note_id=world.note_id, run_id=run_id)
        user = world.users[role]
        headers = user.headers if user is not None else {}
        answered[role] = client.request(method, url, json=body, headers=headers).status_code
    assert answered == dict(zip(ROLES, statuses, strict=True))


def test_the_table_is_every_notes_route_and_each_is_in_the_openapi_schema(
    client: Client,
) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    documented = {
        (method.upper(), path)
        for path, operations in paths.items()
        if "/note" in path
        for method in operations
    }
    assert documented == {(method, path) for method, path, _, _ in ROUTES}
