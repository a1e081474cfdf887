"""Counting facts into a report, on facts written by hand: the orders' medians by requester
kind, requester and country, and the automated means keyed by the rule version a decision's
ledger entry names, or by its clause when it names none."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from townsquare.audits import (
    AUTOMATED_BY_CLAUSE,
    AUTOMATED_BY_RULE,
    AutomatedRule,
    LoggedAppeal,
    LoggedDecision,
    LoggedRequest,
    ReportFacts,
    ReportPeriod,
    build_report,
)

PERIOD = ReportPeriod(date(2026, 1, 1), date(2026, 7, 1))
T0 = datetime(2026, 2, 1, 8, tzinfo=UTC)
NOT_AUTOMATED = "AUTOMATED_DECISION_NOT_AUTOMATED"
FULLY_AUTOMATED = "AUTOMATED_DECISION_FULLY"


def _facts(
    requests: tuple[LoggedRequest, ...] = (),
    decisions: tuple[LoggedDecision, ...] = (),
    appeals: tuple[LoggedAppeal, ...] = (),
) -> ReportFacts:
    return ReportFacts(PERIOD, decisions, (), requests, appeals)


def _request(
    kind: str, requester: str, country: str | None, hours: float | None, *, sealed: bool = False
) -> LoggedRequest:
    answered = None if hours is None else T0 + timedelta(hours=hours)
    return LoggedRequest(
        received_at=T0,
        sealed=sealed,
        requester_kind=kind,
        requester=requester,
        country=country,
        ground="DSA_GROUND_ILLEGAL_CONTENT",
        outcome=None if answered is None else "complied",
        answered_at=answered,
    )


def _decision(
    action_id: int,
    clause: str,
    *,
    rule: str | None = None,
    detected: bool = True,
    decided: bool = False,
) -> LoggedDecision:
    return LoggedDecision(
        action_id=action_id,
        decided_at=T0,
        action="remove",
        target_kind="post",
        clause=clause,
        decision_ground="DECISION_GROUND_INCOMPATIBLE_CONTENT",
        category="STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
        source_type="SOURCE_VOLUNTARY",
        automated_detection=detected,
        automated_decision=FULLY_AUTOMATED if decided else NOT_AUTOMATED,
        restriction_types=("DECISION_VISIBILITY_CONTENT_REMOVED",),
        territorial_scope=(),
        ends_at=None,
        restores=None,
        election_window=None,
        first_notice_at=None,
        rule=rule,
    )


def _appeal(action_id: int, outcome: str | None) -> LoggedAppeal:
    return LoggedAppeal(
        action_id=action_id,
        action="remove",
        clause="spam/1@1",
        appellant_role="author",
        filed_at=T0 + timedelta(hours=1),
        outcome=outcome,
        decided_at=None if outcome is None else T0 + timedelta(hours=5),
        restore_action_id=None,
        automated_detection=True,
        automated_decision=False,
    )


REQUESTS = (
    _request("court", "Tribunal judiciaire de Paris", "FR", 2),
    _request("court", "Tribunal judiciaire de Paris", "FR", 6),
    _request("court", "Rechtbank Amsterdam", "NL", 10),
    _request("law_enforcement", "Police fédérale", "BE", 1),
    _request("law_enforcement", "Police fédérale", "BE", None),  # not answered yet
    _request("other", "A neighbour", None, 30),
    _request("government", "Ministère secret", "LU", 99, sealed=True),
)


def test_orders_have_a_median_time_per_requester_kind_requester_and_country() -> None:
    orders = build_report(_facts(requests=REQUESTS)).orders
    assert orders.median_hours_by_requester_kind == (
        ("court", 6.0),
        ("law_enforcement", 1.0),
        ("other", 30.0),
    )
    assert orders.median_hours_by_requester == (
        ("A neighbour", 30.0),
        ("Police fédérale", 1.0),
        ("Rechtbank Amsterdam", 10.0),
        ("Tribunal judiciaire de Paris", 4.0),
    )
    assert orders.median_hours_by_country == (
        ("BE", 1.0),
        ("FR", 4.0),
        ("NL", 10.0),
        ("none", 30.0),
    )
    assert orders.median_hours_to_answer == 6.0


def test_a_sealed_request_is_in_no_median() -> None:
    orders = build_report(_facts(requests=REQUESTS)).orders
    medians = (
        orders.median_hours_by_requester_kind
        + orders.median_hours_by_requester
        + orders.median_hours_by_country
    )
    keys = {key for key, _ in medians}
    assert keys.isdisjoint({"government", "Ministère secret", "LU"})
    assert 99.0 not in {hours for _, hours in medians}
    assert (orders.received, orders.sealed) == (7, 1)


def test_requests_never_answered_have_no_median() -> None:
    unanswered = (_request("regulator", "Arcom", "FR", None),)
    orders = build_report(_facts(requests=unanswered)).orders
    assert orders.median_hours_by_requester_kind == ()
    assert orders.median_hours_by_requester == ()
    assert orders.median_hours_by_country == ()
    assert orders.by_requester_kind == (("regulator", 1),)


def test_automated_means_are_keyed_by_the_rule_version_logged() -> None:
    decisions = (
        _decision(1, "spam/1@1", rule="link-spam@2", decided=True),
        _decision(2, "spam/1@1", rule="link-spam@2"),  # a moderator decided its case
        _decision(3, "spam/1@1", rule="link-spam@1", decided=True),
        _decision(4, "spam/1@1", rule="malicious-links@1", decided=True),
    )
    appeals = (_appeal(1, "reversed"), _appeal(2, "upheld"), _appeal(3, None))
    automated = build_report(_facts(decisions=decisions, appeals=appeals)).automated
    assert automated.rules == (
        AutomatedRule("link-spam@1", AUTOMATED_BY_RULE, 1, 1, 0),
        AutomatedRule("link-spam@2", AUTOMATED_BY_RULE, 2, 2, 1),
        AutomatedRule("malicious-links@1", AUTOMATED_BY_RULE, 1, 0, 0),
    )
    assert [rule.reversal_rate for rule in automated.rules] == [0.0, 0.5, 0.0]
    assert (automated.detected, automated.decided) == (4, 3)


def test_automated_decisions_naming_no_rule_are_known_by_their_clause_after_the_rules() -> None:
    decisions = (
        _decision(1, "harassment/1@2", decided=True),
        _decision(2, "harassment/1@2", detected=False, decided=True),
        _decision(3, "spam/1@1", rule="link-spam@2", decided=True),
        _decision(4, "harassment/1@2", detected=False),  # not automated: not a means
    )
    appeals = (_appeal(2, "reversed"),)
    rules = build_report(_facts(decisions=decisions, appeals=appeals)).automated.rules
    assert rules == (
        AutomatedRule("link-spam@2", AUTOMATED_BY_RULE, 1, 0, 0),
        AutomatedRule("harassment/1@2", AUTOMATED_BY_CLAUSE, 2, 1, 1),
    )


def test_a_rule_and_a_clause_of_the_same_name_stay_apart() -> None:
    ruled = _decision(1, "spam/1@1", rule="spam/1@1", decided=True)
    unnamed = replace(ruled, action_id=2, rule=None)
    rules = build_report(_facts(decisions=(ruled, unnamed))).automated.rules
    assert [(rule.rule, rule.kind) for rule in rules] == [
        ("spam/1@1", AUTOMATED_BY_RULE),
        ("spam/1@1", AUTOMATED_BY_CLAUSE),
    ]
