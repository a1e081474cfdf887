"""Reports: one open case per item; a reporter is never the author."""

import threading

import pytest
from sqlalchemy import func, select

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING
from townsquare.microblog import Account
from townsquare.moderation import (
    AccountTarget,
    ActionKind,
    CaseDecision,
    InvalidReportError,
    Moderation,
    PostTarget,
    QueueFilter,
    ReportCategory,
    ReportDraft,
    TargetNotFoundError,
    UnknownClauseError,
)
from townsquare.storage.tables import ledger_pending, moderation_cases


def test_reports_on_the_same_item_join_one_open_case(
    moderation: Moderation, make_account: AccountFactory, make_post: PostFactory
) -> None:
    post = make_post(make_account("author"))
    first, second = (
        moderation.cases.report(ReportDraft(make_account().id, PostTarget(post.id)))
        for _ in range(2)
    )
    assert first.case_id == second.case_id
    other = moderation.cases.report(ReportDraft(make_account().id, AccountTarget(post.account_id)))
    assert other.case_id != first.case_id


def test_a_case_takes_its_most_severe_report(
    moderation: Moderation, make_account: AccountFactory, make_post: PostFactory
) -> None:
    target = PostTarget(make_post(make_account("author")).id)
    spam = moderation.cases.report(ReportDraft(make_account().id, target, ReportCategory.SPAM))
    moderation.cases.report(ReportDraft(make_account().id, target, ReportCategory.LEGAL))
    moderation.cases.report(ReportDraft(make_account().id, target, ReportCategory.OTHER))
    with moderation.db.read() as conn:
        severity = conn.execute(
            select(moderation_cases.c.severity).where(moderation_cases.c.id == spam.case_id)
        ).scalar()
    assert severity == 4


def test_a_report_after_the_decision_opens_a_new_case(
    moderation: Moderation, moderator: Account, make_account: AccountFactory, make_post: PostFactory
) -> None:
    target = PostTarget(make_post(make_account("author")).id)
    first = moderation.cases.report(ReportDraft(make_account().id, target))
    moderation.cases.take(first.case_id, moderator.id)
    decided = CaseDecision(ActionKind.NO_ACTION, f"{ANYTHING}@3", "Fine on reading.")
    moderation.cases.decide(first.case_id, moderator.id, decided)
    again = moderation.cases.report(ReportDraft(make_account().id, target))
    assert again.case_id != first.case_id


def test_the_cited_clause_must_exist_and_is_stored_by_id(
    moderation: Moderation, make_account: AccountFactory, make_post: PostFactory
) -> None:
    target = PostTarget(make_post(make_account("author")).id)
    with pytest.raises(UnknownClauseError):
        moderation.cases.report(ReportDraft(make_account().id, target, clause="nope/1"))
    filed = moderation.cases.report(ReportDraft(make_account().id, target, clause=f"{ANYTHING}@3"))
    assert filed.draft.clause == ANYTHING


def test_self_reports_missing_items_and_long_comments_are_refused(
    moderation: Moderation, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author = make_account("author")
    post = make_post(author)
    with pytest.raises(InvalidReportError):
        moderation.cases.report(ReportDraft(author.id, PostTarget(post.id)))
    with pytest.raises(TargetNotFoundError):
        moderation.cases.report(ReportDraft(make_account().id, PostTarget(post.id + 1)))
    with pytest.raises(InvalidReportError):
        moderation.cases.report(
            ReportDraft(make_account().id, PostTarget(post.id), comment="x" * 1001)
        )


def test_reports_write_nothing_to_the_ledger(
    moderation: Moderation, make_account: AccountFactory, make_post: PostFactory
) -> None:
    post = make_post(make_account("author"))
    moderation.cases.report(ReportDraft(make_account().id, PostTarget(post.id), comment="hi"))
    with moderation.db.read() as conn:
        assert conn.execute(select(ledger_pending)).all() == []


def test_a_case_counts_reporters_not_reports(
    moderation: Moderation, moderator: Account, make_account: AccountFactory, make_post: PostFactory
) -> None:
    target = PostTarget(make_post(make_account("author")).id)
    insistent, other = make_account(), make_account()
    filed = [moderation.cases.report(ReportDraft(insistent.id, target)) for _ in range(5)]
    assert moderation.cases.case_file(filed[0].case_id, moderator.id).case.report_count == 1
    moderation.cases.report(ReportDraft(other.id, target))
    assert moderation.cases.case_file(filed[0].case_id, moderator.id).case.report_count == 2
    queue = moderation.cases.queue(moderator.id, QueueFilter())
    assert [(item.case_id, item.report_count) for item in queue] == [(filed[0].case_id, 2)]


def test_reports_filed_at_once_on_a_new_item_open_one_case(
    moderation: Moderation, moderator: Account, make_account: AccountFactory, make_post: PostFactory
) -> None:
    target = PostTarget(make_post(make_account("author")).id)
    reporters = [make_account() for _ in range(4)]
    barrier = threading.Barrier(len(reporters))
    case_ids: list[int] = []

    def report(reporter: Account) -> None:
        barrier.wait()
        case_ids.append(moderation.cases.report(ReportDraft(reporter.id, target)).case_id)

    threads = [threading.Thread(target=report, args=(r,)) for r in reporters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(case_ids) == len(reporters)
    assert len(set(case_ids)) == 1
    assert moderation.cases.case_file(case_ids[0], moderator.id).case.report_count == 4
    with moderation.db.read() as conn:
        assert conn.scalar(select(func.count()).select_from(moderation_cases)) == 1
