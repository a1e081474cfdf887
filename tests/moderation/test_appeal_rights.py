"""Who may appeal what, and who sees which appeal (DSA Art. 20; Santa Clara 2.0, Appeal).

The offer and the permission are one rule (`appeal_right`): a notice offers the appeal form
exactly when `Appeals.file` would accept it. A moderator never sees, nor may decide, the
appeal of a decision they took part in."""

from datetime import timedelta

import pytest

from conftest import AccountFactory, PostFactory
from moderation.conftest import ELECTIONS, START, Decide, decide_report
from townsquare.kernel import FixedClock, TownsquareError
from townsquare.microblog import Account, Post, Role
from townsquare.moderation import (
    AccountTarget,
    ActionKind,
    AppealState,
    Moderation,
    NotAppellantError,
    PostTarget,
    Proposal,
    SameModeratorError,
    WindowDraft,
)


@pytest.fixture
def author(make_account: AccountFactory) -> Account:
    return make_account("zoewriter")


@pytest.fixture
def reporter(make_account: AccountFactory) -> Account:
    return make_account("rita")


@pytest.fixture
def reviewer(make_account: AccountFactory) -> Account:
    return make_account("second", role=Role.MODERATOR)


@pytest.fixture
def post(author: Account, make_post: PostFactory) -> Post:
    return make_post(author, "the reported post says something rude")


def _offered_and_allowed(moderation: Moderation, account: Account) -> list[tuple[bool, bool]]:
    """For each of the account's notices: (the form is offered, filing is accepted)."""
    pairs = []
    for notice in moderation.notices.for_account(account.id):
        try:
            moderation.appeals.file(account.id, notice.action_id, "I disagree.")
            allowed = True
        except NotAppellantError:
            allowed = False
        pairs.append((notice.can_appeal, allowed))
    return pairs


def test_a_reporter_may_contest_a_decision_to_take_no_action(
    moderation: Moderation, moderator: Account, reporter: Account, post: Post
) -> None:
    action_id = decide_report(moderation, moderator, reporter, post, ActionKind.NO_ACTION)
    (notice,) = moderation.notices.for_account(reporter.id)
    assert (notice.role, notice.appeal_right, notice.can_appeal) == ("reporter", "reporter", True)
    appeal = moderation.appeals.file(reporter.id, action_id, "It is rude; look again.")
    assert appeal.appellant_role == "reporter"


def test_a_reporter_is_not_offered_an_appeal_of_an_action_on_what_they_reported(
    moderation: Moderation, moderator: Account, reporter: Account, post: Post
) -> None:
    action_id = decide_report(moderation, moderator, reporter, post, ActionKind.REMOVE)
    (notice,) = moderation.notices.for_account(reporter.id)
    assert (notice.role, notice.appeal_right, notice.can_appeal) == ("reporter", None, False)
    with pytest.raises(NotAppellantError, match="may appeal it"):
        moderation.appeals.file(reporter.id, action_id, "Remove the account too.")


def test_an_author_is_not_invited_to_appeal_a_restoration(
    moderation: Moderation, decide: Decide, author: Account, post: Post
) -> None:
    removal = moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))
    restore = moderation.enforce(
        decide(ActionKind.RESTORE, PostTarget(post.id), restores=removal.id)
    )
    restored, removed = moderation.notices.for_account(author.id)
    assert restored.action_id == restore.id
    assert (restored.role, restored.appeal_right, restored.can_appeal) == ("author", None, False)
    assert (removed.appeal_right, removed.can_appeal) == ("author", True)
    with pytest.raises(NotAppellantError, match="against no one"):
        moderation.appeals.file(author.id, restore.id, "I want it restored twice.")


def test_a_warning_goes_on_the_record_and_may_be_appealed(
    moderation: Moderation, decide: Decide, author: Account
) -> None:
    warning = moderation.enforce(decide(ActionKind.WARN, AccountTarget(author.id)))
    (notice,) = moderation.notices.for_account(author.id)
    assert (notice.action_id, notice.appeal_right, notice.can_appeal) == (
        warning.id,
        "author",
        True,
    )
    assert notice.subject.kind == "account"
    assert notice.subject.handle == "zoewriter"
    assert moderation.appeals.file(author.id, warning.id, "It is a parody.").appellant_role


def test_the_form_is_offered_exactly_when_filing_is_accepted(
    moderation: Moderation,
    moderator: Account,
    decide: Decide,
    author: Account,
    reporter: Account,
    make_post: PostFactory,
) -> None:
    for kind in (ActionKind.NO_ACTION, ActionKind.REMOVE, ActionKind.REDUCE_REACH):
        post = make_post(author, f"post decided {kind}")
        decide_report(moderation, moderator, reporter, post, kind)
    restored = PostTarget(make_post(author, "removed, then restored").id)
    removal = moderation.enforce(decide(ActionKind.REMOVE, restored))
    moderation.enforce(decide(ActionKind.RESTORE, restored, restores=removal.id))
    offered_and_accepted, neither = (True, True), (False, False)
    # newest first: the restoration, the removal, reduced reach, the case's removal (the
    # author is not told of the decision to take no action)
    assert _offered_and_allowed(moderation, author) == [neither, *[offered_and_accepted] * 3]
    # newest first: reduced reach, removal, no action
    assert _offered_and_allowed(moderation, reporter) == [neither, neither, offered_and_accepted]
    assert [a.appellant_role for a in moderation.appeals.filed_by(reporter.id)] == ["reporter"]


def test_the_deciding_moderator_does_not_see_the_appeal_and_may_not_take_it(
    moderation: Moderation,
    moderator: Account,
    reviewer: Account,
    author: Account,
    reporter: Account,
    post: Post,
) -> None:
    action_id = decide_report(moderation, moderator, reporter, post, ActionKind.REMOVE)
    appeal = moderation.appeals.file(author.id, action_id, "It was satire.")
    assert moderation.appeals.pending(moderator.id) == []
    with pytest.raises(SameModeratorError):
        moderation.appeals.assign(appeal.id, moderator.id)
    assert [a.id for a in moderation.appeals.pending(reviewer.id)] == [appeal.id]


def test_an_appeal_in_review_is_listed_only_to_its_reviewer(
    moderation: Moderation,
    moderator: Account,
    reviewer: Account,
    author: Account,
    reporter: Account,
    post: Post,
    make_account: AccountFactory,
) -> None:
    action_id = decide_report(moderation, moderator, reporter, post, ActionKind.REMOVE)
    appeal = moderation.appeals.file(author.id, action_id, "It was satire.")
    third = make_account("third", role=Role.MODERATOR)
    assert [a.id for a in moderation.appeals.pending(third.id)] == [appeal.id]
    moderation.appeals.assign(appeal.id, reviewer.id)
    assert moderation.appeals.pending(third.id) == []
    assert [a.state for a in moderation.appeals.pending(reviewer.id)] == [AppealState.ASSIGNED]


def test_the_second_moderator_who_approved_a_decision_does_not_review_its_appeal(
    moderation: Moderation,
    decide: Decide,
    reviewer: Account,
    author: Account,
    post: Post,
    make_account: AccountFactory,
    clock: FixedClock,
) -> None:
    admin = make_account("operator_ann", role=Role.ADMIN)
    draft = WindowDraft(
        name="Municipal elections",
        starts_at=START + timedelta(hours=1),
        ends_at=START + timedelta(days=10),
        territories=("FR",),
        hashtags=(),
    )
    moderation.elections.declare(draft, declared_by=admin.id)
    clock.advance(timedelta(hours=2))
    proposal = moderation.proposals.decide(
        decide(ActionKind.REDUCE_REACH, PostTarget(post.id), clause=f"{ELECTIONS}@3")
    )
    assert isinstance(proposal, Proposal)
    action = moderation.proposals.approve(proposal.id, reviewer.id)
    appeal = moderation.appeals.file(author.id, action.id, "Not about the election.")
    assert moderation.appeals.pending(reviewer.id) == []
    with pytest.raises(SameModeratorError, match="took part"):
        moderation.appeals.assign(appeal.id, reviewer.id)
    third = make_account("third", role=Role.MODERATOR)
    assert [a.id for a in moderation.appeals.pending(third.id)] == [appeal.id]


def _open_and_accepted(
    moderation: Moderation, account: Account, action_id: int
) -> tuple[bool, bool]:
    """(an appeal is offered until some date, filing is accepted now)."""
    offered = moderation.appeals.open_until(action_id, account.id) is not None
    try:
        moderation.appeals.file(account.id, action_id, "I disagree.")
    except TownsquareError:
        return offered, False
    return offered, True


def test_an_appeal_is_open_until_exactly_when_filing_is_accepted(
    moderation: Moderation,
    moderator: Account,
    author: Account,
    reporter: Account,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    removal = decide_report(
        moderation, moderator, reporter, make_post(author, "a"), ActionKind.REMOVE
    )
    no_action = decide_report(
        moderation, moderator, reporter, make_post(author, "b"), ActionKind.NO_ACTION
    )
    stranger = make_account("passerby")
    assert moderation.appeals.open_until(removal, author.id) == START.replace(month=12)
    assert _open_and_accepted(moderation, author, removal) == (True, True)
    assert _open_and_accepted(moderation, author, removal) == (False, False)  # appealed once
    assert _open_and_accepted(moderation, reporter, removal) == (False, False)
    assert _open_and_accepted(moderation, stranger, removal) == (False, False)
    assert _open_and_accepted(moderation, author, no_action) == (False, False)
    assert _open_and_accepted(moderation, reporter, no_action) == (True, True)
    assert moderation.appeals.open_until(10**15, author.id) is None  # no such decision


def test_no_appeal_is_offered_after_the_deadline(
    moderation: Moderation,
    moderator: Account,
    author: Account,
    reporter: Account,
    post: Post,
    clock: FixedClock,
) -> None:
    removal = decide_report(moderation, moderator, reporter, post, ActionKind.REMOVE)
    deadline = moderation.appeals.open_until(removal, author.id)
    assert deadline is not None
    clock.advance(deadline - clock.now())
    assert moderation.appeals.open_until(removal, author.id) == deadline  # the last moment
    clock.advance(timedelta(seconds=1))
    assert _open_and_accepted(moderation, author, removal) == (False, False)
