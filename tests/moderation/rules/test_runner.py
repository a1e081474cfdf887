"""The rules on the write path: a write adds one outbox row and nothing else; the runner
turns events into cases and automated actions through `enforce`, logs a `rule.detection`
entry for each, quarantines a rule that raises, and never processes an event twice."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.ledger import JSON, decode_entry
from townsquare.microblog import Account, Post, PostEdit, Role
from townsquare.moderation import (
    ActionKind,
    CaseDecision,
    PostTarget,
    ReportCategory,
    ReportDraft,
    WindowDraft,
)
from townsquare.moderation.rules import (
    SYSTEM_HANDLES,
    DetectionOutcome,
    Event,
    Matched,
    RuleRunner,
    RuleSet,
    UnknownRuleError,
    Window,
    match_event,
    read_detection,
)
from townsquare.storage.tables import (
    ledger_pending,
    moderation_actions,
    moderation_cases,
    moderation_restrictions,
    rule_events,
)

START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LISTED = "Your parcel is waiting: pay the fee at https://parcel-redelivery-fee.example/pay"
ELECTION_TAG = "#Municipales2026"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def entries(services: Services, entry_type: str) -> list[dict[str, JSON]]:
    """The fields of the queued ledger entries of `entry_type`, oldest first."""
    with services.db.read() as conn:
        queued = conn.execute(select(ledger_pending.c.entry).order_by(ledger_pending.c.id))
        decoded = [decode_entry(entry) for entry in queued.scalars()]
    return [{**e.fields, "v": e.version} for e in decoded if e.type == entry_type]


def waiting(services: Services) -> int:
    with services.db.read() as conn:
        query = select(rule_events.c.id).where(rule_events.c.processed_seq.is_(None))
        return len(conn.execute(query).all())


def another_runner(
    services: Services,
    clock: FixedClock,
    matcher: Callable[..., Matched] = match_event,
    batch: int | None = None,
) -> RuleRunner:
    """A second server's runner on the same database (or one with its own matcher)."""
    return RuleRunner(
        services.db,
        services.ledger,
        services.rules,
        services.microblog,
        services.moderation.enforce,
        clock=clock,
        ids=services.microblog.context.ids,
        matcher=matcher,
        batch=batch,
    )


def link_posts(make_post: PostFactory, author: Account, count: int) -> list[Post]:
    return [
        make_post(author, f"Great deal number {n} at https://shop{n}.example/offer")
        for n in range(count)
    ]


def test_a_blocklisted_link_is_removed_as_an_automated_decision_naming_the_rule(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    post = make_post(make_account("scammer"), LISTED)
    assert waiting(services) >= 1  # the write left its event; no rule has run yet

    summary = services.rule_runner.run_once()

    assert summary.detections == 1
    assert waiting(services) == 0
    (decision,) = entries(services, "moderation.decision")
    assert decision["v"] == 4
    assert decision["rule"] == "malicious-links@1"
    assert decision["automated_detection"] == "Yes"
    assert decision["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert decision["action"] == "remove"
    assert decision["target"] == {"kind": "post", "id": str(post.id)}
    assert "malicious-links@1" in str(decision["decision_facts"])
    (fields,) = entries(services, "rule.detection")
    detection = read_detection(fields)
    assert detection.rule == "malicious-links@1"
    assert detection.outcome == DetectionOutcome.ACTION
    assert detection.action_id == int(str(decision["action_id"]))
    with services.db.read() as conn:
        removed = set(conn.execute(select(moderation_restrictions.c.post_id)).scalars())
    assert post.id in removed


def test_automated_decisions_are_taken_under_the_rules_system_account(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    make_post(make_account("scammer"), LISTED)
    services.rule_runner.run_once()
    make_post(make_account("other_scammer"), LISTED)
    another_runner(services, FixedClock(START)).run_once()  # the account is created once

    system = services.microblog.accounts.by_username(SYSTEM_HANDLES[0])
    assert system.role == Role.MODERATOR
    with services.db.read() as conn:
        assert conn.execute(select(moderation_cases.c.id)).all() == []  # acting opens no case
        deciders = set(conn.execute(select(moderation_actions.c.actor_id)).scalars())
    assert deciders == {system.id}


def test_a_posting_burst_opens_a_case_and_the_moderators_decision_carries_the_rule(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    spammer = make_account("linker")
    link_posts(make_post, spammer, 6)  # link-spam@1: 6 posts with links in 10 minutes

    services.rule_runner.run_once()

    (fields,) = [f for f in entries(services, "rule.detection") if f["rule"] == "link-spam@1"]
    detection = read_detection(fields)
    assert detection.outcome == DetectionOutcome.CASE
    assert detection.target_kind == "account"
    assert detection.target_id == spammer.id
    assert detection.case_id is not None
    assert entries(services, "moderation.decision") == []  # a suspicion: nobody acted yet

    moderator = make_account("mod", role=Role.MODERATOR)
    cases = services.moderation.cases
    cases.take(detection.case_id, moderator.id)
    decided = CaseDecision(
        ActionKind.LIMIT, "spam-and-platform-manipulation/1@1", "Six link posts in minutes."
    )
    cases.decide(detection.case_id, moderator.id, decided)

    (decision,) = entries(services, "moderation.decision")
    assert decision["rule"] == "link-spam@1"
    assert decision["automated_detection"] == "Yes"
    assert decision["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"


def test_a_reported_case_decided_by_a_moderator_names_no_rule(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    post = make_post(make_account("author"), "An ordinary post.")
    reporter = make_account("reporter")
    cases = services.moderation.cases
    case_id = cases.report(ReportDraft(reporter.id, PostTarget(post.id))).case_id
    services.rule_runner.run_once()
    moderator = make_account("mod", role=Role.MODERATOR)
    cases.take(case_id, moderator.id)
    cases.decide(
        case_id,
        moderator.id,
        CaseDecision(ActionKind.NO_ACTION, "spam-and-platform-manipulation/1@1", "Fine."),
    )
    (decision,) = entries(services, "moderation.decision")
    assert decision["rule"] is None
    assert decision["automated_detection"] == "No"


def test_inside_an_election_window_a_rule_that_would_act_only_opens_a_case(
    services: Services, make_account: AccountFactory, make_post: PostFactory, clock: FixedClock
) -> None:
    admin = make_account("operator_ann", role=Role.ADMIN)
    draft = WindowDraft(
        name="Municipal elections",
        starts_at=clock.now() + timedelta(hours=1),
        ends_at=clock.now() + timedelta(days=10),
        territories=("FR",),
        hashtags=(ELECTION_TAG,),
    )
    services.moderation.elections.declare(draft, declared_by=admin.id)
    clock.advance(timedelta(hours=2))
    post = make_post(make_account("scammer"), f"{LISTED} {ELECTION_TAG}")

    services.rule_runner.run_once()

    assert entries(services, "moderation.decision") == []
    (fields,) = entries(services, "rule.detection")
    detection = read_detection(fields)
    assert detection.outcome == DetectionOutcome.CASE_IN_ELECTION_WINDOW
    assert detection.action_id is None
    assert detection.case_id is not None
    with services.db.read() as conn:
        case = conn.execute(
            select(moderation_cases).where(moderation_cases.c.id == detection.case_id)
        ).one()
        removed = set(conn.execute(select(moderation_restrictions.c.post_id)).scalars())
    assert case.post_id == post.id
    assert post.id not in removed


def test_a_rule_that_raises_is_quarantined_and_the_others_still_run(
    services: Services, make_account: AccountFactory, make_post: PostFactory, clock: FixedClock
) -> None:
    calls: list[str] = []

    def failing(rules: RuleSet, window: Window, event: Event) -> Matched:
        (rule_id,) = rules.rules
        calls.append(rule_id)
        if rule_id == "link-spam":
            raise ZeroDivisionError("a bug in the rule")
        return match_event(rules, window, event)

    runner = another_runner(services, clock, failing)
    post = make_post(make_account("scammer"), LISTED)

    summary = runner.run_once()

    assert summary.quarantined == ("link-spam@1",)
    (quarantine,) = runner.quarantined()
    assert quarantine.rule == "link-spam@1"
    assert "ZeroDivisionError" in quarantine.error
    (entry,) = entries(services, "rule.quarantine")
    assert entry["rule"] == "link-spam@1"
    assert entry["error_type"] == "ZeroDivisionError"
    # The other rules ran on the same event: the listed link was removed.
    (decision,) = entries(services, "moderation.decision")
    assert decision["target"] == {"kind": "post", "id": str(post.id)}

    calls.clear()
    make_post(make_account("another"), "Nothing to see here.")
    runner.run_once()
    assert "link-spam" not in calls
    assert "malicious-links" in calls

    runner.release("link-spam@1")
    assert runner.quarantined() == []
    assert [e["rule"] for e in entries(services, "rule.release")] == ["link-spam@1"]
    with pytest.raises(UnknownRuleError):
        runner.release("link-spam@1")


def test_the_write_succeeds_and_its_events_wait_while_no_runner_runs(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author = make_account("scammer")
    posts = [make_post(author, LISTED) for _ in range(3)]
    reporter = make_account("reporter")
    services.moderation.cases.report(ReportDraft(reporter.id, PostTarget(posts[0].id)))

    with services.db.read() as conn:
        kinds = conn.execute(
            select(rule_events.c.kind, rule_events.c.subject_id).where(
                rule_events.c.processed_seq.is_(None)
            )
        ).all()
    by_kind = {(kind, subject) for kind, subject in kinds}
    assert {("post_created", p.id) for p in posts} <= by_kind
    assert ("account_created", author.id) in by_kind
    assert any(kind == "report_filed" for kind, _ in by_kind)
    assert entries(services, "rule.detection") == []

    services.rule_runner.run_once()  # later: every event is processed once
    assert waiting(services) == 0
    assert len(entries(services, "rule.detection")) == 3


def test_two_runners_never_process_an_event_twice_and_share_their_window(
    services: Services, make_account: AccountFactory, make_post: PostFactory, clock: FixedClock
) -> None:
    first, second = services.rule_runner, another_runner(services, clock, batch=2)
    spammer = make_account("linker")
    link_posts(make_post, spammer, 3)
    make_post(make_account("scammer"), LISTED)
    first.run_once()
    second.run_once()  # nothing left for it
    make_post(spammer, "More at https://shop9.example/a")
    link_posts(make_post, spammer, 2)  # the burst's sixth post is processed by `second`
    second.run_once()
    first.run_once()

    rules = [read_detection(f).rule for f in entries(services, "rule.detection")]
    assert sorted(rules) == ["link-spam@1", "malicious-links@1"]
    assert len(entries(services, "moderation.decision")) == 1
    with services.db.read() as conn:
        seqs = conn.execute(select(rule_events.c.processed_seq)).scalars().all()
    assert None not in seqs
    assert sorted(seqs) == list(range(1, len(seqs) + 1))


def test_processed_events_are_forgotten_once_no_window_reaches_them(
    services: Services, make_account: AccountFactory, make_post: PostFactory, clock: FixedClock
) -> None:
    make_post(make_account("author"), "An early post.")
    services.rule_runner.run_once()
    clock.advance(timedelta(days=2))
    later = make_post(make_account("later"), "A later post.")
    services.rule_runner.run_once()
    with services.db.read() as conn:
        kept = conn.execute(select(rule_events.c.kind, rule_events.c.subject_id)).all()
    assert ("post_created", later.id) in {(kind, subject) for kind, subject in kept}
    assert len(kept) == 2  # the later account and post; the early ones are gone


def test_a_report_storm_joins_the_case_as_one_detection_without_raising_its_severity(
    services: Services, make_account: AccountFactory, make_post: PostFactory, clock: FixedClock
) -> None:
    post = make_post(make_account("author"), "A post many people dislike.")
    cases = services.moderation.cases
    reporters = [make_account(f"reporter{n}") for n in range(25)]
    clock.advance(timedelta(days=3))  # the reporters are not new accounts
    for reporter in reporters:
        draft = ReportDraft(reporter.id, PostTarget(post.id), ReportCategory.SPAM)
        case_id = cases.report(draft).case_id
        clock.advance(timedelta(seconds=30))

    services.rule_runner.run_once()

    storms = [
        read_detection(f)
        for f in entries(services, "rule.detection")
        if f["rule"] == "report-storm@1"
    ]
    assert len(storms) == 1  # fired once, at the tenth report, not at each one after
    (storm,) = storms
    assert storm.case_id == case_id
    assert storm.outcome == DetectionOutcome.CASE
    assert "reported 10 times" in storm.facts
    with services.db.read() as conn:
        severity = conn.execute(
            select(moderation_cases.c.severity).where(moderation_cases.c.id == case_id)
        ).scalar_one()
    assert severity == 2  # spam reports' severity, however many
    assert entries(services, "moderation.decision") == []


def test_an_edit_that_adds_a_blocklisted_link_is_removed_like_a_new_post(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author = make_account("editor")
    post = make_post(author, "Nothing to see here")
    services.rule_runner.run_once()
    assert entries(services, "moderation.decision") == []

    services.microblog.posts.edit(author.id, post.id, PostEdit(text=LISTED))
    summary = services.rule_runner.run_once()
    services.microblog.posts.edit(author.id, post.id, PostEdit(text=f"{LISTED} again"))
    services.rule_runner.run_once()

    assert summary.detections == 1
    (decision,) = entries(services, "moderation.decision")  # removed once, not per edit
    assert decision["target"] == {"kind": "post", "id": str(post.id)}
    assert decision["action"] == "remove"
