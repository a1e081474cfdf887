"""The transparency report of a small world: each section's numbers, the period's bounds,
the deterministic JSON and its hash."""

import json
from datetime import UTC, date, datetime

import pytest

from audits.transparency_world import AFTER, PERIOD, SPAM, World, build_world
from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.audits import (
    AUTOMATED_BY_CLAUSE,
    AUTOMATED_BY_RULE,
    REPORT_SCHEMA,
    AutomatedRule,
    ReportPeriod,
    TransparencyReport,
    TransparencyReports,
    report_hash,
    report_json,
)
from townsquare.kernel import FixedClock
from townsquare.moderation import (
    ActionKind,
    Decision,
    Ground,
    PostTarget,
    RequestDraft,
    RequesterKind,
)

INCOMPATIBLE = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
ILLEGAL = "DECISION_GROUND_ILLEGAL_CONTENT"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 1, 5, tzinfo=UTC))


@pytest.fixture
def world(
    services: Services, clock: FixedClock, make_account: AccountFactory, make_post: PostFactory
) -> World:
    return build_world(services, clock, make_account, make_post)


@pytest.fixture
def reports(services: Services, clock: FixedClock) -> TransparencyReports:
    return TransparencyReports(services.db, services.ledger, clock)


@pytest.fixture
def report(world: World, reports: TransparencyReports) -> TransparencyReport:
    return reports.live(PERIOD).report


def test_every_decision_of_the_period_is_counted_and_none_after_it(
    report: TransparencyReport,
) -> None:
    # remove, no action, automated interstitial, its restore on appeal, suspension, its
    # restore, geo-restriction; the July removal is outside the period.
    assert report.decisions == 7


def test_orders_by_requester_country_ground_outcome_with_median_time(
    report: TransparencyReport,
) -> None:
    orders = report.orders
    assert (orders.received, orders.sealed, orders.answered) == (1, 0, 1)
    assert orders.by_requester_kind == (("court", 1),)
    assert orders.by_requester == (("Tribunal judiciaire de Paris", 1),)
    assert orders.by_country == (("FR", 1),)
    assert orders.by_ground == (("DSA_GROUND_ILLEGAL_CONTENT", 1),)
    assert orders.by_outcome == (("complied", 1),)
    assert orders.median_hours_to_answer == 3.0
    assert orders.median_hours_by_requester_kind == (("court", 3.0),)
    assert orders.median_hours_by_requester == (("Tribunal judiciaire de Paris", 3.0),)
    assert orders.median_hours_by_country == (("FR", 3.0),)


def test_notices_by_type_and_the_actions_taken_on_them(report: TransparencyReport) -> None:
    notices = report.notices
    assert notices.received == 2
    assert notices.by_category == (("spam", 1), ("violation", 1))
    assert notices.by_clause == (("harassment/1", 1), ("spam-and-platform-manipulation/1", 1))
    assert notices.from_trusted_flaggers == 0
    # the two reports and the court order's item
    assert (notices.decisions, notices.no_action, notices.automated_decisions) == (3, 1, 0)
    assert notices.actions_by_ground == ((ILLEGAL, 1), (INCOMPATIBLE, 1))
    assert notices.actions_by_kind == (("geo_restrict", 1), ("remove", 1))
    assert notices.median_hours_to_decision == 2.0  # of 2, 4 and 2 hours


def test_own_initiative_measures_by_kind_ground_detection_and_restriction(
    report: TransparencyReport,
) -> None:
    own = report.own_initiative
    assert own.actions == 2
    assert own.by_kind == (("interstitial", 1), ("suspend", 1))
    assert own.by_ground == ((INCOMPATIBLE, 2),)
    assert own.by_detection == (("automated", 1), ("human", 1))
    assert own.by_restriction == (
        ("DECISION_ACCOUNT_SUSPENDED", 1),
        ("DECISION_VISIBILITY_OTHER", 1),
    )
    assert sum(n for _, n in own.by_category) == 2


def test_appeals_number_basis_median_time_and_reversals(report: TransparencyReport) -> None:
    appeals = report.appeals
    assert (appeals.filed, appeals.decided, appeals.upheld, appeals.reversed) == (1, 1, 0, 1)
    assert appeals.by_basis == (("author", 1),)
    assert appeals.by_action == (("interstitial", 1),)
    assert appeals.median_hours_to_decide == 2.0


def test_automated_means_per_rule_with_the_reversal_rate(report: TransparencyReport) -> None:
    automated = report.automated
    assert (automated.detected, automated.decided) == (1, 1)
    # The world's automated decision names no rule: it is known by the clause it cites.
    assert automated.rules == (AutomatedRule("harassment/1@2", AUTOMATED_BY_CLAUSE, 1, 1, 1),)
    assert automated.rules[0].reversal_rate == 1.0


def test_a_decision_naming_its_rule_is_counted_under_that_rule_version(
    world: World,
    services: Services,
    clock: FixedClock,
    reports: TransparencyReports,
    make_post: PostFactory,
) -> None:
    clock.advance(datetime(2026, 5, 4, 9, tzinfo=UTC) - clock.now())  # within the period
    post = make_post(world.author, "buy now http://spam.example")
    services.moderation.enforce(
        Decision(
            actor_id=world.moderator.id,
            action=ActionKind.REMOVE,
            target=PostTarget(post.id),
            clause=SPAM,
            facts="Links to a listed domain.",
            automated_detection=True,
            automated_decision=True,
            rule="link-spam@3",
        )
    )
    clock.advance(AFTER - clock.now())
    live = reports.live(PERIOD)
    assert live.report.automated.rules == (
        AutomatedRule("link-spam@3", AUTOMATED_BY_RULE, 1, 0, 0),
        AutomatedRule("harassment/1@2", AUTOMATED_BY_CLAUSE, 1, 1, 1),
    )
    [first, _] = json.loads(live.document)["automated"]["rules"]
    assert first == {
        "rule": "link-spam@3",
        "kind": "rule",
        "decisions": 1,
        "appealed": 0,
        "reversed": 0,
        "reversal_rate": 0.0,
    }


def test_santa_clara_numbers(report: TransparencyReport) -> None:
    numbers = report.santa_clara
    assert numbers.content_actioned == 3
    assert numbers.accounts_suspended_temporarily == 1
    assert numbers.accounts_suspended_permanently == 0
    assert (numbers.appeals_reinstated, numbers.appeals_not_reinstated) == (1, 0)
    assert (numbers.automated_flag_appeals, numbers.automated_flag_reinstated) == (1, 1)
    assert numbers.reinstated_without_appeal == 1
    assert numbers.by_rule == (("harassment/1", 2), ("harassment/3", 1), ("illegal-content/2", 1))
    assert numbers.by_country == (("FR", 1), ("everywhere", 3))
    assert numbers.by_format == (("account", 1), ("text", 3))
    assert numbers.by_source_of_flag == (
        ("automated", 1),
        ("moderator", 1),
        ("outside_request", 1),
        ("user_report", 1),
    )
    assert numbers.election_window_actions == 0


def test_a_period_without_events_has_zeros_and_no_automated_rules(
    world: World, reports: TransparencyReports
) -> None:
    empty = reports.live(ReportPeriod(date(2025, 1, 1), date(2025, 7, 1))).report
    assert empty.decisions == 0
    assert empty.automated.rules == ()
    assert empty.appeals.median_hours_to_decide is None
    document = json.loads(report_json(empty))
    assert document["automated"]["rules"] == []
    assert document["notices"]["by_category"] == {}


def test_the_json_is_deterministic_and_names_its_schema_and_period(
    world: World, reports: TransparencyReports
) -> None:
    first, second = reports.live(PERIOD), reports.live(PERIOD)
    assert first.document == second.document
    assert first.sha256 == report_hash(first.document) == second.sha256
    assert first.final
    document = json.loads(first.document)
    assert document["schema"] == REPORT_SCHEMA == "townsquare.transparency-report/2"
    assert document["period"] == {"from": "2026-01-01", "to": "2026-07-01"}
    assert document["automated"]["rules"] == [
        {
            "rule": "harassment/1@2",
            "kind": "clause",
            "decisions": 1,
            "appealed": 1,
            "reversed": 1,
            "reversal_rate": 1.0,
        }
    ]
    assert document["orders"]["median_hours_by_country"] == {"FR": 3.0}
    assert document["orders"]["median_hours_by_requester_kind"] == {"court": 3.0}
    assert list(document) == sorted(document)
    assert "generated" not in first.document.decode()


def test_a_sealed_request_is_counted_and_never_described(
    world: World,
    services: Services,
    clock: FixedClock,
    reports: TransparencyReports,
    make_post: PostFactory,
) -> None:
    post = make_post(world.author, "a post a court asks about")
    clock.advance(datetime(2026, 5, 4, 9, tzinfo=UTC) - clock.now())  # within the period
    services.moderation.requests.receive(
        RequestDraft(
            requester_kind=RequesterKind.LAW_ENFORCEMENT,
            requester="Brigade secrète",
            legal_basis="Code de procédure pénale",
            ground=Ground.ILLEGAL_CONTENT,
            requested_action=ActionKind.REMOVE,
            items=(PostTarget(post.id),),
            summary="Sealed for now.",
            country="BE",
            release_at=datetime(2027, 3, 1, tzinfo=UTC),
        ),
        logged_by=world.moderator.id,
    )
    clock.advance(AFTER - clock.now())
    live = reports.live(PERIOD)
    orders = live.report.orders
    assert (orders.received, orders.sealed) == (2, 1)
    assert orders.by_requester_kind == (("court", 1),)
    assert orders.by_country == (("FR", 1),)
    for secret in ("Brigade", '"BE"', "law_enforcement"):
        assert secret not in live.document.decode()
