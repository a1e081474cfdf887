"""A case's outcome as it stands now: the decision, its appeal, what is in force, the facts."""

from datetime import timedelta

import pytest

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING, TEST_POLICIES
from townsquare.kernel import FixedClock
from townsquare.microblog import Account, Role
from townsquare.moderation import (
    AccountTarget,
    ActionKind,
    AppealState,
    CaseDecision,
    Moderation,
    PostTarget,
    ReportCategory,
    ReportDraft,
)

FACTS = "The post names a neighbour and calls her a thief."


@pytest.fixture
def author(make_account: AccountFactory) -> Account:
    return make_account("zoewriter")


@pytest.fixture
def reviewer(make_account: AccountFactory) -> Account:
    return make_account("second", role=Role.MODERATOR)


@pytest.fixture
def case_id(
    moderation: Moderation, author: Account, make_account: AccountFactory, make_post: PostFactory
) -> int:
    post = make_post(author, "a rude post")
    draft = ReportDraft(make_account("rita").id, PostTarget(post.id), ReportCategory.VIOLATION)
    return moderation.cases.report(draft).case_id


def _decide(
    moderation: Moderation, moderator: Account, case_id: int, decision: CaseDecision
) -> int:
    moderation.cases.take(case_id, moderator.id)
    action_id = moderation.cases.decide(case_id, moderator.id, decision).action_id
    assert action_id is not None
    return action_id


def test_an_undecided_case_has_no_outcome(moderation: Moderation, case_id: int) -> None:
    assert moderation.case_outcome(case_id) is None


def test_a_removal_in_force_with_its_facts(
    moderation: Moderation, moderator: Account, case_id: int
) -> None:
    removal = CaseDecision(ActionKind.REMOVE, f"{ANYTHING}@3", FACTS)
    action_id = _decide(moderation, moderator, case_id, removal)
    outcome = moderation.case_outcome(case_id)
    assert outcome is not None
    assert (outcome.action_id, outcome.decided, outcome.in_force) == (
        action_id,
        ActionKind.REMOVE,
        ActionKind.REMOVE,
    )
    assert (outcome.facts, outcome.clause, outcome.appeal) == (FACTS, f"{ANYTHING}@3", None)
    assert outcome.clause_title["en"] == TEST_POLICIES.clause(f"{ANYTHING}@3").title["en"]
    assert (outcome.on_account, outcome.automated, outcome.two_moderators) == (False, False, False)
    assert not outcome.changed


def test_a_reversed_removal_is_no_longer_in_force(
    moderation: Moderation, moderator: Account, reviewer: Account, author: Account, case_id: int
) -> None:
    removal = CaseDecision(ActionKind.REMOVE, f"{ANYTHING}@3", FACTS)
    action_id = _decide(moderation, moderator, case_id, removal)
    appeal = moderation.appeals.file(author.id, action_id, "It was satire.")
    assert moderation.case_outcome(case_id).appeal == AppealState.FILED  # type: ignore[union-attr]
    moderation.appeals.assign(appeal.id, reviewer.id)
    decided = moderation.appeals.decide(appeal.id, reviewer.id, AppealState.REVERSED, "Satire.")
    outcome = moderation.case_outcome(case_id)
    assert outcome is not None
    assert (outcome.decided, outcome.in_force, outcome.lifted_by) == (
        ActionKind.REMOVE,
        None,
        decided.restore_action_id,
    )
    assert (outcome.appeal, outcome.reversed, outcome.upheld) == (AppealState.REVERSED, True, False)
    assert outcome.appeal_reasons == "Satire."
    assert outcome.changed


def test_an_upheld_appeal_leaves_the_decision_in_force(
    moderation: Moderation, moderator: Account, reviewer: Account, author: Account, case_id: int
) -> None:
    removal = CaseDecision(ActionKind.REMOVE, f"{ANYTHING}@3", FACTS)
    action_id = _decide(moderation, moderator, case_id, removal)
    appeal = moderation.appeals.file(author.id, action_id, "It was satire.")
    moderation.appeals.assign(appeal.id, reviewer.id)
    moderation.appeals.decide(appeal.id, reviewer.id, AppealState.UPHELD, "Not satire.")
    outcome = moderation.case_outcome(case_id)
    assert outcome is not None
    assert (outcome.in_force, outcome.upheld, outcome.reversed) == (ActionKind.REMOVE, True, False)


def test_a_restriction_that_ran_out_is_no_longer_in_force(
    moderation: Moderation, moderator: Account, case_id: int, clock: FixedClock
) -> None:
    ends = clock.now() + timedelta(days=7)
    removal = CaseDecision(ActionKind.REMOVE, f"{ANYTHING}@3", FACTS, ends_at=ends)
    _decide(moderation, moderator, case_id, removal)
    assert moderation.case_outcome(case_id).in_force == ActionKind.REMOVE  # type: ignore[union-attr]
    clock.advance(timedelta(days=8))
    outcome = moderation.case_outcome(case_id)
    assert outcome is not None
    assert (outcome.in_force, outcome.lifted_by, outcome.ends_at) == (None, None, ends)


def test_no_action_stays_the_outcome(
    moderation: Moderation, moderator: Account, case_id: int
) -> None:
    decision = CaseDecision(ActionKind.NO_ACTION, f"{ANYTHING}@3", "Rude, but allowed.")
    _decide(moderation, moderator, case_id, decision)
    outcome = moderation.case_outcome(case_id)
    assert outcome is not None
    assert (outcome.decided, outcome.in_force) == (ActionKind.NO_ACTION, ActionKind.NO_ACTION)


def test_a_warning_withdrawn_on_appeal_is_no_longer_in_force(
    moderation: Moderation,
    moderator: Account,
    reviewer: Account,
    make_account: AccountFactory,
) -> None:
    account = make_account("parodist")
    draft = ReportDraft(make_account("rita").id, AccountTarget(account.id))
    case_id = moderation.cases.report(draft).case_id
    warning = CaseDecision(ActionKind.WARN, f"{ANYTHING}@3", "A parody that does not say so.")
    action_id = _decide(moderation, moderator, case_id, warning)
    warned = moderation.case_outcome(case_id)
    assert warned is not None
    assert (warned.in_force, warned.on_account) == (ActionKind.WARN, True)
    appeal = moderation.appeals.file(account.id, action_id, "My bio says parody.")
    moderation.appeals.assign(appeal.id, reviewer.id)
    moderation.appeals.decide(appeal.id, reviewer.id, AppealState.REVERSED, "It does now.")
    outcome = moderation.case_outcome(case_id)
    assert outcome is not None
    assert (outcome.decided, outcome.in_force, outcome.reversed) == (ActionKind.WARN, None, True)
