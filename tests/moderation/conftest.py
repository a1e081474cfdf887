"""Moderation fixtures: services on a fixed clock, a moderator, a test policy set and
`decide(...)`, which builds a decision citing a clause that allows every action."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from conftest import AccountFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import Account, Post, Role
from townsquare.moderation import (
    ActionKind,
    CaseDecision,
    Clause,
    Decision,
    Ground,
    Moderation,
    PolicySet,
    PostTarget,
    ReportCategory,
    ReportDraft,
    Target,
)

START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ANYTHING = "test-rules/1"  # allows every action
LABEL_ONLY = "test-rules/2"
ELECTIONS = "test-rules/3"  # allows every action, in the DSA category for elections
ELECTION_CATEGORY = "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"


def _clause(
    number: int,
    actions: frozenset[ActionKind],
    title: str,
    category: str = "STATEMENT_CATEGORY_CYBER_VIOLENCE",
) -> Clause:
    return Clause(
        id=f"test-rules/{number}",
        policy="test-rules",
        number=number,
        version=3,
        title={"en": title, "fr": title},
        text={"en": "Do not.", "fr": "Ne pas."},
        ground=Ground.INCOMPATIBLE_CONTENT,
        dsa_category=category,
        dsa_keywords=("KEYWORD_OTHER",),
        allowed_actions=actions,
        content_hash="ab" * 32,
    )


TEST_POLICIES = PolicySet(
    clauses={
        ANYTHING: _clause(1, frozenset(ActionKind), "Harassment"),
        LABEL_ONLY: _clause(2, frozenset({ActionKind.LABEL}), "Mild rudeness"),
        ELECTIONS: _clause(3, frozenset(ActionKind), "Voting misinformation", ELECTION_CATEGORY),
    }
)

Decide = Callable[..., Decision]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def moderation(services: Services, clock: FixedClock) -> Moderation:
    """Moderation over the test policies, writing the projection the microblog's port reads."""
    ids = services.microblog.context.ids
    return Moderation(services.db, services.ledger, TEST_POLICIES, clock=clock, ids=ids)


@pytest.fixture
def moderator(make_account: AccountFactory) -> Account:
    return make_account("mod", role=Role.MODERATOR)


@pytest.fixture
def decide(moderator: Account) -> Decide:
    """`decide(ActionKind.REMOVE, PostTarget(id), label=..., ...)`: a decision by `moderator`."""

    def make(action: ActionKind, target: Target, **details: object) -> Decision:
        fields: dict[str, object] = {
            "actor_id": moderator.id,
            "action": action,
            "target": target,
            "clause": f"{ANYTHING}@3",
            "facts": "The post insults another member by name.",
            **details,
        }
        return Decision(**fields)  # type: ignore[arg-type]

    return make


def decide_report(
    moderation: Moderation, moderator: Account, reporter: Account, post: Post, kind: ActionKind
) -> int:
    """`reporter` reports `post` (citing `ANYTHING`); `moderator` decides `kind`; the
    action's id."""
    draft = ReportDraft(reporter.id, PostTarget(post.id), ReportCategory.VIOLATION)
    case_id = moderation.cases.report(draft).case_id
    moderation.cases.take(case_id, moderator.id)
    decision = CaseDecision(kind, f"{ANYTHING}@3", "Read.")
    decided = moderation.cases.decide(case_id, moderator.id, decision)
    assert decided.action_id is not None
    return decided.action_id
