"""The review queue: severity × reach × age, filterable, blind by default."""

from datetime import timedelta

import pytest

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING
from townsquare.kernel import FixedClock
from townsquare.microblog import Account, Microblog
from townsquare.moderation import (
    CaseState,
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


def test_review_is_blind_unless_authors_are_revealed(
    moderation: Moderation, moderator: Account, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author = make_account("authorname")
    filed = moderation.cases.report(
        ReportDraft(make_account().id, PostTarget(make_post(author).id))
    )
    (blind,) = moderation.cases.queue(moderator.id, QueueFilter())
    assert blind.author_id is None
    assert blind.author.startswith("Author ")
    assert "authorname" not in blind.author
    assert moderation.cases.queue(moderator.id, QueueFilter())[0].author == blind.author
    (revealed,) = moderation.cases.queue(moderator.id, QueueFilter(reveal_authors=True))
    assert revealed.author_id == author.id
    assert moderation.cases.case_file(filed.case_id, moderator.id).author == blind.author


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
