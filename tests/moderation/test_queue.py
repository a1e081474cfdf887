"""The review queue: severity × reach × age, filterable, blind by default."""

from datetime import timedelta

import pytest

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING
from townsquare.kernel import FixedClock
from townsquare.microblog import Account, Microblog, Role
from townsquare.moderation import (
    ActionKind,
    CaseDecision,
    CaseState,
    CommentKind,
    InvalidDecisionError,
    Moderation,
    NotAModeratorError,
    PostTarget,
    QueueFilter,
    ReportCategory,
    ReportDraft,
)
from townsquare.moderation._queue import priority


def test_priority_is_severity_times_reach_times_age() -> None:
    assert priority(3, 10, 2.0) == 60.0
    assert priority(0, 0, 0.0) == 1.0  # no factor zeroes the others
    assert priority(4, 1, 1.0) > priority(1, 1, 1.0)


def test_the_queue_puts_severe_widely_seen_old_cases_first(
    moderation: Moderation,
    moderator: Account,
    microblog: Microblog,
    clock: FixedClock,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    author = make_account("author")
    old, severe, popular = (make_post(author) for _ in range(3))
    report = moderation.cases.report
    first = report(ReportDraft(make_account().id, PostTarget(old.id), ReportCategory.OTHER))
    clock.advance(timedelta(hours=10))
    second = report(ReportDraft(make_account().id, PostTarget(severe.id), ReportCategory.LEGAL))
    for _ in range(30):
        microblog.posts.favourite(make_account().id, popular.id)
    third = report(ReportDraft(make_account().id, PostTarget(popular.id), ReportCategory.SPAM))
    queue = moderation.cases.queue(moderator.id, QueueFilter())
    # spam × 31 reach × 1 h = 62; other × 1 × 10 h = 10; legal × 1 × 1 h = 4
    assert [item.case_id for item in queue] == [third.case_id, first.case_id, second.case_id]
    assert [item.priority for item in queue] == [62.0, 10.0, 4.0]


def test_review_is_blind_until_a_moderator_reveals_the_author_with_a_reason(
    moderation: Moderation, moderator: Account, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author = make_account("authorname")
    post = make_post(author, "A reported post")
    reporter = make_account()
    comment = "@authorname keeps posting this"
    filed = moderation.cases.report(
        ReportDraft(reporter.id, PostTarget(post.id), ReportCategory.OTHER, None, comment)
    )
    (blind,) = moderation.cases.queue(moderator.id, QueueFilter())
    assert blind.author.startswith("Author ")
    assert "authorname" not in blind.author
    assert not {str(post.id), str(author.id)} & {str(v) for v in vars(blind).values()}
    assert moderation.cases.queue(moderator.id, QueueFilter())[0].author == blind.author
    file = moderation.cases.case_file(filed.case_id, moderator.id)
    assert (file.author, file.revealed) == (blind.author, None)
    assert file.item is not None
    assert "A reported post" in file.item.content_html
    assert file.reports[0].comment == "[author] keeps posting this"

    revealed = moderation.cases.reveal(filed.case_id, moderator.id, "  A pattern?  ")
    assert (revealed.account_id, revealed.username, revealed.post_id) == (
        author.id,
        "authorname",
        post.id,
    )
    file = moderation.cases.case_file(filed.case_id, moderator.id)
    assert file.revealed == revealed
    assert file.reports[0].comment == comment
    (entry,) = file.comments
    assert (entry.kind, entry.body) == (CommentKind.REVEAL, "A pattern?")
    assert entry.moderator.startswith("Moderator ")
    # Each moderator lifts their own blindness; what one who looked wrote, others read blind.
    moderation.cases.comment(filed.case_id, moderator.id, "authorname was warned before")
    other = make_account("other_mod", role=Role.MODERATOR)
    seen_by_other = moderation.cases.case_file(filed.case_id, other.id)
    assert seen_by_other.revealed is None
    assert seen_by_other.comments[-1].body == "[author] was warned before"


@pytest.mark.parametrize("reason", ["", "   ", "x" * 5001])
def test_revealing_needs_a_reason(
    moderation: Moderation,
    moderator: Account,
    make_account: AccountFactory,
    make_post: PostFactory,
    reason: str,
) -> None:
    filed = moderation.cases.report(
        ReportDraft(make_account().id, PostTarget(make_post(make_account()).id))
    )
    with pytest.raises(InvalidDecisionError, match="why you need to know"):
        moderation.cases.reveal(filed.case_id, moderator.id, reason)
    assert moderation.cases.case_file(filed.case_id, moderator.id).comments == ()


def test_a_member_cannot_reveal_an_author(
    moderation: Moderation, make_account: AccountFactory, make_post: PostFactory
) -> None:
    member = make_account()
    filed = moderation.cases.report(
        ReportDraft(make_account().id, PostTarget(make_post(make_account()).id))
    )
    with pytest.raises(NotAModeratorError):
        moderation.cases.reveal(filed.case_id, member.id, "curious")


def test_a_reveal_is_published_with_the_decision(
    moderation: Moderation, moderator: Account, make_account: AccountFactory, make_post: PostFactory
) -> None:
    filed = moderation.cases.report(
        ReportDraft(make_account().id, PostTarget(make_post(make_account()).id))
    )
    moderation.cases.reveal(filed.case_id, moderator.id, "Looks like ban evasion")
    moderation.cases.take(filed.case_id, moderator.id)
    clause = moderation.policies.clause(ANYTHING)
    moderation.cases.decide(
        filed.case_id,
        moderator.id,
        CaseDecision(ActionKind.NO_ACTION, clause.ref, "Within the rules."),
    )
    (published,) = moderation.cases.published(filed.case_id).deliberation
    assert (published.kind, published.body) == (CommentKind.REVEAL, "Looks like ban evasion")
    assert published.moderator.startswith("Moderator ")


def test_the_queue_filters_by_clause_and_state(
    moderation: Moderation, moderator: Account, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author = make_account("author")
    cited = ReportDraft(make_account().id, PostTarget(make_post(author).id), clause=ANYTHING)
    moderation.cases.report(cited)
    moderation.cases.report(ReportDraft(make_account().id, PostTarget(make_post(author).id)))
    by_clause = moderation.cases.queue(moderator.id, QueueFilter(clause=ANYTHING))
    assert [item.clause for item in by_clause] == [ANYTHING]
    in_review = moderation.cases.queue(moderator.id, QueueFilter(states=(CaseState.IN_REVIEW,)))
    assert in_review == []


def test_members_do_not_see_the_queue(moderation: Moderation, make_account: AccountFactory) -> None:
    with pytest.raises(NotAModeratorError):
        moderation.cases.queue(make_account().id, QueueFilter())
