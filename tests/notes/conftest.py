"""Notes fixtures: services on a fixed clock, members old enough to contribute, a moderation
over a test clause that allows every action, and setters for what other parts write (a note's
status from moderation's projection, a rater's factor from the scoring run)."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from conftest import AccountFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import Account, Role
from townsquare.moderation import (
    AccountTarget,
    ActionKind,
    Clause,
    Decision,
    Ground,
    Moderation,
    PolicySet,
    Target,
)
from townsquare.notes import NoteDraft, Notes, NoteStatus, RatingDraft, note_draft, rating_draft
from townsquare.storage.tables import note_rater_scores, note_statuses

START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ANYTHING = "test-rules/1"
_CLAUSE = Clause(
    id=ANYTHING,
    policy="test-rules",
    number=1,
    version=3,
    title={"en": "Harassment", "fr": "Harcèlement"},
    text={"en": "Do not.", "fr": "Ne pas."},
    ground=Ground.INCOMPATIBLE_CONTENT,
    dsa_category="STATEMENT_CATEGORY_CYBER_VIOLENCE",
    dsa_keywords=("KEYWORD_OTHER",),
    allowed_actions=frozenset(ActionKind),
    content_hash="ab" * 32,
)

Enforce = Callable[[ActionKind, Target], None]
SetStatus = Callable[..., None]
SetFactor = Callable[[Account, float | None], None]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def notes(services: Services) -> Notes:
    return services.notes


@pytest.fixture
def member(make_account: AccountFactory) -> Callable[..., Account]:
    """`member()`: a new account; call `settle()` to make every account old enough."""
    return make_account


@pytest.fixture
def settle(clock: FixedClock) -> Callable[[], None]:
    """Move the clock past the default minimum account age (seven days)."""
    return lambda: clock.advance(timedelta(days=8))


@pytest.fixture
def enforce(services: Services, clock: FixedClock, make_account: AccountFactory) -> Enforce:
    """`enforce(ActionKind.SUSPEND, AccountTarget(id))` by a moderator, through `enforce`."""
    moderator = make_account("notes_mod", role=Role.MODERATOR)
    ids = services.microblog.context.ids
    policies = PolicySet(clauses={ANYTHING: _CLAUSE})
    moderation = Moderation(services.db, services.ledger, policies, clock=clock, ids=ids)

    def act(action: ActionKind, target: Target) -> None:
        moderation.enforce(
            Decision(
                actor_id=moderator.id,
                action=action,
                target=target,
                clause=f"{ANYTHING}@3",
                facts="The account harassed other members.",
            )
        )

    return act


@pytest.fixture
def set_status(services: Services, clock: FixedClock) -> SetStatus:
    """What moderation's note-status path leaves in its projection, for reading tests."""

    def put(note_id: int, post_id: int, status: NoteStatus) -> None:
        with services.db.write() as c:
            c.execute(delete(note_statuses).where(note_statuses.c.note_id == note_id))
            c.execute(
                note_statuses.insert().values(
                    note_id=note_id,
                    post_id=post_id,
                    status=status.value,
                    changed_at=clock.now(),
                    leaf_hash=b"\0" * 32,
                )
            )

    return put


@pytest.fixture
def set_factor(services: Services) -> SetFactor:
    """What the scoring run leaves for a rater: their factor (None: not placed)."""

    def put(rater: Account, factor: float | None) -> None:
        with services.db.write() as c:
            c.execute(
                note_rater_scores.insert().values(
                    rater_id=rater.id, run_id=1, intercept=0.0, factor=factor, above_threshold=True
                )
            )

    return put


def a_note(text: str = "The figure is from 2019, not this year.", **changes: object) -> NoteDraft:
    answers: dict[str, object] = {
        "classification": "MISINFORMED_OR_POTENTIALLY_MISLEADING",
        "reasons": ["misleadingOutdatedInformation"],
        "trustworthy_sources": True,
        "text": text,
        "sources": ["https://stats.example.org/2019"],
        **changes,
    }
    return note_draft(**answers)  # type: ignore[arg-type]


def helpful() -> RatingDraft:
    return rating_draft(level="HELPFUL", tags=["helpfulGoodSources"])


def not_helpful() -> RatingDraft:
    return rating_draft(level="NOT_HELPFUL", tags=["notHelpfulIncorrect"])


__all__ = ["AccountTarget", "a_note", "helpful", "not_helpful"]
