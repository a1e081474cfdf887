"""The audit dataset read from a server's tables: anonymised, complete, nothing of the content."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING, TEST_POLICIES, decide_report
from townsquare.app import Services
from townsquare.audits import REVIEWS_FILE, write_dataset
from townsquare.audits._dataset import AuditDecision, AuditDecisionTime, AuditPost, AuditReview
from townsquare.audits._dataset_export import dataset_from_database
from townsquare.audits._viewpoints import Viewpoint
from townsquare.kernel import FixedClock
from townsquare.microblog import Role
from townsquare.moderation import (
    ActionKind,
    AppealState,
    CaseDecision,
    Decision,
    Moderation,
    PostTarget,
    ReportCategory,
    ReportDraft,
)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def moderation(services: Services, clock: FixedClock) -> Moderation:
    ids = services.microblog.context.ids
    return Moderation(services.db, services.ledger, TEST_POLICIES, clock=clock, ids=ids)


def test_every_post_report_and_decision_is_in_under_numbers_and_neutral_groups(
    services: Services,
    moderation: Moderation,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    author_a, author_b = make_account("ada"), make_account("bea")
    reporter, second_reporter = make_account("rita"), make_account("remy")
    moderator = make_account("mod", role=Role.MODERATOR)
    reviewer = make_account("rev", role=Role.MODERATOR)
    removed = make_post(author_a, "a post removed, then restored on appeal")
    kept = make_post(author_b, "a post reported and left up")
    quiet = make_post(author_b, "a post no one reported")
    labelled = make_post(author_a, "a post labelled, then deleted by its author")
    services.microblog.posts.reblog(author_a.id, quiet.id)

    moderation.cases.report(
        ReportDraft(second_reporter.id, PostTarget(removed.id), ReportCategory.SPAM)
    )
    removal = decide_report(moderation, moderator, reporter, removed, ActionKind.REMOVE)
    appeal = moderation.appeals.file(author_a.id, removal, "It was satire.")
    moderation.appeals.assign(appeal.id, reviewer.id)
    moderation.appeals.decide(appeal.id, reviewer.id, AppealState.REVERSED, "It was satire.")
    decide_report(moderation, moderator, reporter, kept, ActionKind.NO_ACTION)
    label = Decision(
        actor_id=moderator.id,
        action=ActionKind.LABEL,
        target=PostTarget(labelled.id),
        clause=f"{ANYTHING}@3",
        facts="Matched a published rule.",
        label="Unverified",
        automated_detection=True,
        automated_decision=True,
    )
    moderation.enforce(label)
    services.microblog.posts.delete(author_a.id, labelled.id)
    groups = {author_a.id: Viewpoint.A, author_b.id: Viewpoint.B}

    with services.db.read() as conn:
        dataset = dataset_from_database(conn, groups)

    names = {a.account_id: a.group for a in dataset.accounts}
    assert list(names) == [f"a{n}" for n in range(1, 7)]  # every account, in id order
    assert names == {
        "a1": "A",
        "a2": "B",
        "a3": "neither",
        "a4": "neither",
        "a5": "neither",
        "a6": "neither",
    }
    assert dataset.helpful_notes == ()
    assert dataset.reviews is None  # no second review answered: no reviews.csv
    assert dataset.posts == (
        AuditPost("p1", "a1", reports=2, report_clause="spam"),  # the first report's category
        AuditPost("p2", "a2", reports=1, report_clause="violation"),
        AuditPost("p3", "a2", reports=0, report_clause=""),
        AuditPost("p4", "a1", reports=0, report_clause=""),  # deleted, still counted
    )
    assert dataset.decisions == (
        AuditDecision("p1", "remove", ANYTHING, automated=False, appealed=True, reversed=True),
        AuditDecision("p2", "none", ANYTHING, automated=False, appealed=False, reversed=False),
        AuditDecision("p4", "label", ANYTHING, automated=True, appealed=False, reversed=False),
    )


def test_decision_times_run_from_the_case_opening_to_each_decision_on_it(
    services: Services,
    moderation: Moderation,
    clock: FixedClock,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    author, reporter = make_account("ada"), make_account("rita")
    moderator = make_account("mod", role=Role.MODERATOR)
    slow, quick, unreported = (make_post(author, f"post {n}") for n in range(3))
    draft = ReportDraft(reporter.id, PostTarget(slow.id), ReportCategory.VIOLATION)
    case_id = moderation.cases.report(draft).case_id
    clock.advance(timedelta(hours=5, minutes=30))
    moderation.cases.take(case_id, moderator.id)
    moderation.cases.decide(
        case_id, moderator.id, CaseDecision(ActionKind.REMOVE, f"{ANYTHING}@3", "Read.")
    )
    decide_report(moderation, moderator, reporter, quick, ActionKind.NO_ACTION)
    moderation.enforce(
        Decision(
            actor_id=moderator.id,
            action=ActionKind.LABEL,
            target=PostTarget(unreported.id),
            clause=f"{ANYTHING}@3",
            facts="Seen in the public timeline.",
            label="Unverified",
        )
    )

    with services.db.read() as conn:
        dataset = dataset_from_database(conn, {})

    # The decision without a case (own initiative, nothing reported) has no waiting time.
    assert dataset.decision_times == (
        AuditDecisionTime("p1", 5.5),
        AuditDecisionTime("p2", 0.0),
    )


def test_answered_second_reviews_are_rows_of_reviews_csv(
    services: Services,
    moderation: Moderation,
    make_account: AccountFactory,
    make_post: PostFactory,
    tmp_path: Path,
) -> None:
    author, reporter = make_account("ada"), make_account("rita")
    moderator = make_account("mod", role=Role.MODERATOR)
    reviewer = make_account("rev", role=Role.MODERATOR)
    removed, kept, unreviewed = (make_post(author, f"post {n}") for n in range(3))
    decide_report(moderation, moderator, reporter, removed, ActionKind.REMOVE)
    decide_report(moderation, moderator, reporter, kept, ActionKind.NO_ACTION)
    while services.ledger.integrate() is not None:
        pass
    moderation.second_reviews.draw(2)
    first, second = moderation.second_reviews.open_for(reviewer.id)
    moderation.second_reviews.answer(first.id, reviewer.id, "remove", f"{ANYTHING}@3")
    moderation.second_reviews.answer(second.id, reviewer.id, "label", f"{ANYTHING}@3")
    decide_report(moderation, moderator, reporter, unreviewed, ActionKind.REMOVE)  # not drawn

    with services.db.read() as conn:
        dataset = dataset_from_database(conn, {})

    assert dataset.reviews == (
        AuditReview("p1", disagreed=False),
        AuditReview("p2", disagreed=True),
    )
    write_dataset(tmp_path, dataset)
    written = (tmp_path / REVIEWS_FILE).read_text(encoding="utf-8").splitlines()
    assert written == ["post_id,disagreed", "p1,false", "p2,true"]
