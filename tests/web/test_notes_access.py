"""Every notes page and form, for every role: one table of route × role → answer, and the
table checked against the pages the application serves.

The roles are the API's (tests/api/test_notes_access.py): a visitor, a member old enough to
contribute, a newcomer (too new) and a limited member (not in good standing), a moderator and
an admin. A visitor is sent to sign in ("sign in") wherever a member would act; a form that
worked answers 303 back to its page. The note is undecided and written by someone else; the
held run proposes nothing.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import Account, Role
from townsquare.moderation import AccountTarget, ActionKind, Decision
from townsquare.notes import note_draft
from townsquare.storage.tables import note_scoring_runs
from web.forms import WebClient, sign_in, submit

ROLES = ("anonymous", "member", "newcomer", "limited", "moderator", "admin")
SIGN_IN = "sign in"
NOTE_FORM = {
    "classification": "MISINFORMED_OR_POTENTIALLY_MISLEADING",
    "misleadingFactualError": "on",
    "text": "The figure quoted is from 2019.",
    "sources": "https://stats.example.org/2019",
    "trustworthy_sources": "yes",
}
RATING_FORM = {"level": "HELPFUL", "helpfulClear": "on"}
_RUNS = "/moderation/notes/runs"
_HANDLES = {"moderator": "mod_one", "admin": "admin_one"}  # "moderator", "admin" are reserved
_S = SIGN_IN

# (method, path, form, one answer per role in ROLES order)
ROUTES: list[tuple[str, str, dict[str, str] | None, tuple[int | str, ...]]] = [
    ("GET", "/posts/{post_id}/notes", None, (200, 200, 200, 200, 200, 200)),
    ("POST", "/posts/{post_id}/notes/request", {}, (_S, 303, 403, 403, 303, 303)),
    ("GET", "/posts/{post_id}/notes/new", None, (_S, 200, 200, 200, 200, 200)),
    ("POST", "/posts/{post_id}/notes", NOTE_FORM, (_S, 303, 403, 403, 303, 303)),
    ("GET", "/notes/{note_id}/rate", None, (_S, 200, 200, 200, 200, 200)),
    ("POST", "/notes/{note_id}/rate", RATING_FORM, (_S, 303, 403, 403, 303, 303)),
    ("GET", "/notes/needs-rating", None, (_S, 200, 200, 200, 200, 200)),
    ("GET", "/notes/impact", None, (_S, 200, 200, 200, 200, 200)),
    ("GET", "/notes/{note_id}/history", None, (200, 200, 200, 200, 200, 200)),
    ("GET", _RUNS, None, (_S, 403, 403, 403, 200, 200)),
    ("POST", _RUNS + "/{run_id}/release", {}, (_S, 403, 403, 403, 303, 303)),
    ("POST", _RUNS + "/{run_id}/discard", {}, (_S, 403, 403, 403, 303, 303)),
]
CASES = [
    pytest.param(method, path, form, answers, id=f"{method} {path}")
    for method, path, form, answers in ROUTES
]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))


@dataclass(frozen=True)
class World:
    post_id: int
    note_id: int
    run_id: int


@pytest.fixture
def world(
    services: Services, clock: FixedClock, make_account: AccountFactory, make_post: PostFactory
) -> World:
    poster, author = make_account("poster"), make_account("author")
    make_account("member")
    limited = make_account("limited")
    moderator = make_account("mod_one", role=Role.MODERATOR)
    make_account("admin_one", role=Role.ADMIN)
    clock.advance(timedelta(days=8))
    make_account("newcomer")
    _limit(services, moderator, limited)
    post_id = make_post(poster, "Unemployment doubled this year.").id
    draft = note_draft(
        classification="NOT_MISLEADING",
        reasons=["notMisleadingFactuallyCorrect"],
        trustworthy_sources=True,
        text="This matches the official figures.",
        sources=["https://stats.example.org/"],
    )
    note_id = services.notes.write(author.id, post_id, draft).id
    return World(post_id, note_id, _held_run(services, clock))


def _limit(services: Services, moderator: Account, limited: Account) -> None:
    clause = next(
        c for c in services.policies.clauses.values() if ActionKind.LIMIT in c.allowed_actions
    )
    target = AccountTarget(limited.id)
    services.moderation.enforce(
        Decision(moderator.id, ActionKind.LIMIT, target, clause.ref, "Spam, again.")
    )


def _held_run(services: Services, clock: FixedClock) -> int:
    run_id = services.microblog.context.ids.next_id()
    with services.db.write() as conn:
        conn.execute(
            note_scoring_runs.insert().values(
                id=run_id,
                started_at=clock.now(),
                state="held",
                scorer_version="townsquare-core/1",
                held_reason="held for the test",
            )
        )
    return run_id


@pytest.mark.parametrize(("method", "path", "form", "answers"), CASES)
def test_each_page_answers_each_role(
    world: World,
    services: Services,
    clock: FixedClock,
    client: WebClient,
    method: str,
    path: str,
    form: dict[str, str] | None,
    answers: tuple[int | str, ...],
) -> None:
    """One world per page (setting it up is the slow part), every role in turn, each signed
    in afresh; each role acts on a run of its own, since a released run cannot be released
    again."""
    answered = {}
    for role in ROLES:
        client.cookies.clear()
        if role != "anonymous":
            sign_in(client, _HANDLES.get(role, role))
        run_id = _held_run(services, clock) if "{run_id}" in path else world.run_id
        url = path.format(post_id=world.post_id, note_id=world.note_id, run_id=run_id)
        if method == "POST":
            response = submit(client, url, form)
        else:
            response = client.get(url, follow_redirects=False)
        answered[role] = _answer(response.status_code, response.headers.get("location", ""))
    assert answered == dict(zip(ROLES, answers, strict=True))


def _answer(status: int, location: str) -> int | str:
    """What the table calls an answer: "sign in" for a redirect to the sign-in page."""
    if status in (302, 303) and location.startswith("/login"):
        return SIGN_IN
    return status


def test_the_table_is_every_notes_page(client: WebClient) -> None:
    served = {
        (method, re.sub(r":\w+}", "}", route.path))
        for route in client.app.routes
        if "/note" in route.path and not route.path.startswith("/api")
        for method in route.methods - {"HEAD", "OPTIONS"}
    }
    assert served == {(method, path) for method, path, _, _ in ROUTES}
