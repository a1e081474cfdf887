"""Decisions notify the members they concern, in the decision's own transaction (DESIGN.md,
"The enforcement path", step 3): the author of a post or the account acted on, the case's
reporters, and an appellant once their appeal is decided. Each notification names the
decision, whose notice names and links what it was about. That a failed decision leaves no
notification behind is in test_atomicity (it counts them with everything else)."""

import pytest

from conftest import AccountFactory, PostFactory
from moderation.conftest import START, Decide, decide_report
from townsquare.microblog import (
    Account,
    Microblog,
    NotificationType,
    Page,
    Post,
    Role,
)
from townsquare.moderation import (
    AccountTarget,
    ActionKind,
    AppealState,
    Moderation,
)
from townsquare.moderation._notices import excerpt

TEXT = "Everyone in this town knows that the baker waters down the milk, and so do I"


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
    return make_post(author, TEXT)


def _told(microblog: Microblog, account: Account) -> list[tuple[NotificationType, int | None]]:
    found = microblog.notifications.list(account.id, Page())
    return [(n.type, n.action_id) for n in found if n.type.is_moderation]


def test_a_removal_notifies_its_author_and_the_reporter_though_the_post_is_gone(
    moderation: Moderation,
    microblog: Microblog,
    moderator: Account,
    author: Account,
    reporter: Account,
    post: Post,
) -> None:
    action_id = decide_report(moderation, moderator, reporter, post, ActionKind.REMOVE)
    assert _told(microblog, author) == [(NotificationType.MODERATION_WARNING, action_id)]
    assert _told(microblog, reporter) == [(NotificationType.REPORT_DECIDED, action_id)]
    assert _told(microblog, moderator) == []
    (shown,) = microblog.notifications.list(author.id, Page())
    assert (shown.account.id, shown.post) == (author.id, None)  # no moderator named


def test_no_action_notifies_only_the_reporter(
    moderation: Moderation,
    microblog: Microblog,
    moderator: Account,
    author: Account,
    reporter: Account,
    post: Post,
) -> None:
    action_id = decide_report(moderation, moderator, reporter, post, ActionKind.NO_ACTION)
    assert _told(microblog, author) == []
    assert _told(microblog, reporter) == [(NotificationType.REPORT_DECIDED, action_id)]


def test_a_decided_appeal_notifies_the_appellant_and_a_restoration_the_author(
    moderation: Moderation,
    microblog: Microblog,
    moderator: Account,
    reviewer: Account,
    author: Account,
    reporter: Account,
    post: Post,
) -> None:
    removal = decide_report(moderation, moderator, reporter, post, ActionKind.REMOVE)
    appeal = moderation.appeals.file(author.id, removal, "It was satire.")
    moderation.appeals.assign(appeal.id, reviewer.id)
    decided = moderation.appeals.decide(appeal.id, reviewer.id, AppealState.REVERSED, "Satire.")
    assert _told(microblog, author) == [
        (NotificationType.APPEAL_DECIDED, removal),
        (NotificationType.RESTORED, decided.restore_action_id),
        (NotificationType.MODERATION_WARNING, removal),
    ]
    assert _told(microblog, reporter) == [(NotificationType.REPORT_DECIDED, removal)]


def test_a_reporters_appeal_of_no_action_notifies_them_when_upheld(
    moderation: Moderation,
    microblog: Microblog,
    moderator: Account,
    reviewer: Account,
    reporter: Account,
    post: Post,
) -> None:
    no_action = decide_report(moderation, moderator, reporter, post, ActionKind.NO_ACTION)
    appeal = moderation.appeals.file(reporter.id, no_action, "It is rude; look again.")
    moderation.appeals.assign(appeal.id, reviewer.id)
    moderation.appeals.decide(appeal.id, reviewer.id, AppealState.UPHELD, "Rude is allowed.")
    assert _told(microblog, reporter) == [
        (NotificationType.APPEAL_DECIDED, no_action),
        (NotificationType.REPORT_DECIDED, no_action),
    ]


# Notices name and link what they are about ------------------------------------------------


def test_a_notice_quotes_a_post_the_reader_may_still_see(
    moderation: Moderation, moderator: Account, author: Account, reporter: Account, post: Post
) -> None:
    decide_report(moderation, moderator, reporter, post, ActionKind.REDUCE_REACH)
    for reader in (author, reporter):
        (notice,) = moderation.notices.for_account(reader.id)
        subject = notice.subject
        assert (subject.kind, subject.post_id, subject.handle) == ("post", post.id, "zoewriter")
        assert subject.excerpt == excerpt(TEXT)
        assert subject.posted_on == START.date()


def test_a_notice_names_a_removed_post_by_its_date_not_its_words(
    moderation: Moderation, moderator: Account, author: Account, reporter: Account, post: Post
) -> None:
    decide_report(moderation, moderator, reporter, post, ActionKind.REMOVE)
    for reader in (author, reporter):
        (notice,) = moderation.notices.for_account(reader.id)
        assert (notice.subject.excerpt, notice.subject.posted_on) == (None, START.date())
        assert notice.subject.post_id == post.id


def test_a_notice_of_a_deleted_post_keeps_its_date(
    moderation: Moderation,
    microblog: Microblog,
    moderator: Account,
    author: Account,
    reporter: Account,
    post: Post,
) -> None:
    decide_report(moderation, moderator, reporter, post, ActionKind.REDUCE_REACH)
    microblog.posts.delete(author.id, post.id)
    (notice,) = moderation.notices.for_account(reporter.id)
    assert (notice.subject.excerpt, notice.subject.handle) == (None, None)
    assert notice.subject.posted_on == START.date()


def test_a_notice_of_an_account_action_names_the_account(
    moderation: Moderation, decide: Decide, author: Account
) -> None:
    moderation.enforce(decide(ActionKind.SUSPEND, AccountTarget(author.id)))
    (notice,) = moderation.notices.for_account(author.id)
    assert (notice.subject.kind, notice.subject.handle, notice.role) == (
        "account",
        "zoewriter",
        "author",
    )


def test_an_excerpt_is_one_short_line_cut_at_a_word() -> None:
    assert excerpt("short\n\ntext") == "short text"
    cut = excerpt(TEXT, 30)
    assert cut == "Everyone in this town knows…"
    assert len(cut) <= 31
    assert excerpt("x" * 40, 30) == "x" * 30 + "…"
