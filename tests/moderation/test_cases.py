"""The case state machine, stepped one transition at a time; illegal steps refused."""

import pytest

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING
from townsquare.kernel import ConflictError, InvalidInputError, PermissionDeniedError
from townsquare.microblog import Account, Microblog, Page, Role, Surface
from townsquare.moderation import (
    ActionKind,
    CaseDecision,
    CaseEvent,
    CaseState,
    IllegalTransitionError,
    Moderation,
    NotAModeratorError,
    NotTheReviewerError,
    OwnContentError,
    PostTarget,
    ReportCategory,
    ReportDraft,
)
from townsquare.moderation._cases import TRANSITIONS, next_state
from townsquare.storage.tables import moderation_notices

NO_ACTION = CaseDecision(ActionKind.NO_ACTION, f"{ANYTHING}@3", "Not insulting on reading.")
REMOVE = CaseDecision(ActionKind.REMOVE, f"{ANYTHING}@3", "Insults a member by name.")


def test_every_declared_transition_is_taken_and_every_other_is_refused() -> None:
    for state in CaseState:
        for event in CaseEvent:
            if (state, event) in TRANSITIONS:
                assert next_state(state, event) == TRANSITIONS[(state, event)]
            else:
                with pytest.raises(IllegalTransitionError, match=state.value):
                    next_state(state, event)


def test_illegal_transition_is_a_conflict_not_an_invalid_input() -> None:
    assert issubclass(IllegalTransitionError, ConflictError)
    assert not issubclass(IllegalTransitionError, InvalidInputError)


@pytest.fixture
def case_id(moderation: Moderation, make_account: AccountFactory, make_post: PostFactory) -> int:
    author, reporter = make_account("author"), make_account("reporter")
    draft = ReportDraft(reporter.id, PostTarget(make_post(author).id), ReportCategory.VIOLATION)
    return moderation.cases.report(draft).case_id


def test_a_case_steps_open_in_review_decided_closed(
    moderation: Moderation, moderator: Account, case_id: int
) -> None:
    cases = moderation.cases
    assert cases.case_file(case_id, moderator.id).case.state == CaseState.OPEN
    assert cases.take(case_id, moderator.id).state == CaseState.IN_REVIEW
    assert cases.release(case_id, moderator.id).state == CaseState.OPEN
    assert cases.take(case_id, moderator.id).state == CaseState.IN_REVIEW
    decided = cases.decide(case_id, moderator.id, REMOVE)
    assert (decided.state, decided.outcome) == (CaseState.DECIDED, "remove")
    assert decided.action_id is not None
    assert cases.close(case_id, moderator.id).state == CaseState.CLOSED


def test_deciding_an_open_case_is_refused_before_anything_is_enforced(
    moderation: Moderation, moderator: Account, case_id: int
) -> None:
    with pytest.raises(IllegalTransitionError, match="open"):
        moderation.cases.decide(case_id, moderator.id, REMOVE)
    with moderation.db.read() as conn:
        assert conn.execute(moderation_notices.select()).all() == []


def test_closing_an_undecided_case_and_deciding_twice_are_refused(
    moderation: Moderation, moderator: Account, case_id: int
) -> None:
    cases = moderation.cases
    with pytest.raises(IllegalTransitionError):
        cases.close(case_id, moderator.id)
    cases.take(case_id, moderator.id)
    cases.decide(case_id, moderator.id, NO_ACTION)
    with pytest.raises(IllegalTransitionError):
        cases.decide(case_id, moderator.id, NO_ACTION)
    with pytest.raises(IllegalTransitionError):
        cases.take(case_id, moderator.id)


def test_no_action_goes_through_enforce_and_notifies_the_reporter(
    moderation: Moderation, moderator: Account, case_id: int
) -> None:
    moderation.cases.take(case_id, moderator.id)
    decided = moderation.cases.decide(case_id, moderator.id, NO_ACTION)
    with moderation.db.read() as conn:
        notices = conn.execute(moderation_notices.select()).all()
    assert [n.action_id for n in notices] == [decided.action_id]  # the reporter's only
    assert moderation.check_projection().matches


def test_only_the_reviewer_decides_or_releases(
    moderation: Moderation, moderator: Account, make_account: AccountFactory, case_id: int
) -> None:
    other = make_account("othermod", role=Role.MODERATOR)
    moderation.cases.take(case_id, moderator.id)
    with pytest.raises(NotTheReviewerError):
        moderation.cases.decide(case_id, other.id, REMOVE)
    with pytest.raises(NotTheReviewerError):
        moderation.cases.release(case_id, other.id)


def test_a_member_handles_no_case(
    moderation: Moderation, make_account: AccountFactory, case_id: int
) -> None:
    member = make_account("member")
    with pytest.raises(NotAModeratorError):
        moderation.cases.take(case_id, member.id)
    assert issubclass(NotAModeratorError, PermissionDeniedError)


def test_a_moderator_never_handles_a_case_about_their_own_content(
    moderation: Moderation, moderator: Account, make_account: AccountFactory, make_post: PostFactory
) -> None:
    reporter = make_account("reporter")
    filed = moderation.cases.report(ReportDraft(reporter.id, PostTarget(make_post(moderator).id)))
    for handle in (moderation.cases.take, moderation.cases.case_file):
        with pytest.raises(OwnContentError):
            handle(filed.case_id, moderator.id)
    with pytest.raises(OwnContentError):
        moderation.cases.comment(filed.case_id, moderator.id, "mine")


def test_a_case_decision_names_the_surfaces_reduced_reach_hides(
    moderation: Moderation,
    microblog: Microblog,
    moderator: Account,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    author, reporter = make_account("author"), make_account("reporter")
    post = make_post(author, "findme here")
    filed = moderation.cases.report(ReportDraft(reporter.id, PostTarget(post.id)))
    moderation.cases.take(filed.case_id, moderator.id)
    decided = CaseDecision(
        ActionKind.REDUCE_REACH, f"{ANYTHING}@3", "Spreads a rumour.", surfaces=(Surface.PUBLIC,)
    )
    moderation.cases.decide(filed.case_id, moderator.id, decided)
    public = microblog.timelines.public(reporter.id, Page())
    found = microblog.search.everything(reporter.id, "findme").posts
    assert post.id not in [v.post.id for v in public]
    assert post.id in [v.post.id for v in found]  # search is not among the chosen surfaces
    assert moderation.check_projection().matches
