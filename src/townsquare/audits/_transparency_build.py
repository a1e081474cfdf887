"""Counting a period's facts into its transparency report (pure: no database, no clock).

(1) decisions are split by where they came from (`source_type`): notices, or our own
initiative; (2) restorations are set apart — they lift a measure, they are not one;
(3) appeals are counted when filed and when decided, each in its own period; (4) automated
means are grouped by the automated rule version their decisions name, or by the clause they
cite when they name none; (5) the Santa Clara numbers regroup the same decisions and appeals.
"""

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime

from townsquare.audits._transparency_facts import (
    LoggedAppeal,
    LoggedDecision,
    LoggedRequest,
    ReportFacts,
)
from townsquare.audits._transparency_report import (
    AUTOMATED_BY_CLAUSE,
    AUTOMATED_BY_RULE,
    AppealNumbers,
    AutomatedMeans,
    AutomatedRule,
    Counts,
    Medians,
    NoticeNumbers,
    OrderNumbers,
    OwnInitiativeNumbers,
    SantaClaraNumbers,
    TransparencyReport,
)

__all__ = ["build_report"]

_OWN_INITIATIVE = "SOURCE_VOLUNTARY"
_NOT_MEASURES = frozenset({"no_action", "restore"})
_REVERSED, _UPHELD = "reversed", "upheld"
_FORMATS = {"post": "text", "account": "account", "url": "link"}
_FLAG_SOURCES = {
    "SOURCE_ARTICLE_16": "user_report",
    "SOURCE_TRUSTED_FLAGGER": "trusted_flagger",
    "SOURCE_TYPE_OTHER_NOTIFICATION": "outside_request",
    "SOURCE_VOLUNTARY": "moderator",
}


def build_report(facts: ReportFacts) -> TransparencyReport:
    """The report of `facts.period` from its facts."""
    decisions = facts.decisions
    return TransparencyReport(
        period=facts.period,
        decisions=len(decisions),
        orders=_orders(facts.requests),
        notices=_notices(facts),
        own_initiative=_own_initiative(decisions),
        appeals=_appeals(facts),
        automated=_automated(facts),
        santa_clara=_santa_clara(facts),
    )


def counts(keys: Iterable[str]) -> Counts:
    """`(key, how many times)` pairs, sorted by key."""
    return tuple(sorted(Counter(keys).items()))


def median_hours(spans: Iterable[tuple[datetime, datetime]]) -> float | None:
    """The median of `end - start` in hours, to the hundredth; None for no spans."""
    hours = [(end - start).total_seconds() / 3600 for start, end in spans]
    return round(statistics.median(hours), 2) if hours else None


def _medians_by(key: Callable[[LoggedRequest], str], requests: Iterable[LoggedRequest]) -> Medians:
    """`(key, median hours to answer)` pairs over the answered `requests`, sorted by key."""
    spans: dict[str, list[tuple[datetime, datetime]]] = {}
    for request in requests:
        if request.answered_at is not None:
            spans.setdefault(key(request), []).append((request.received_at, request.answered_at))
    return tuple(
        (name, hours) for name in sorted(spans) if (hours := median_hours(spans[name])) is not None
    )


def _is_measure(decision: LoggedDecision) -> bool:
    return decision.action not in _NOT_MEASURES


def _orders(requests: tuple[LoggedRequest, ...]) -> OrderNumbers:
    known = [r for r in requests if not r.sealed]
    answered = [r for r in known if r.answered_at is not None]
    return OrderNumbers(
        received=len(requests),
        sealed=len(requests) - len(known),
        by_requester_kind=counts(r.requester_kind for r in known),
        by_requester=counts(r.requester for r in known),
        by_country=counts(r.country or "none" for r in known),
        by_ground=counts(r.ground for r in known),
        by_outcome=counts(r.outcome or "pending" for r in known),
        answered=len(answered),
        median_hours_to_answer=median_hours(
            (r.received_at, r.answered_at) for r in answered if r.answered_at is not None
        ),
        median_hours_by_requester_kind=_medians_by(lambda r: r.requester_kind, answered),
        median_hours_by_requester=_medians_by(lambda r: r.requester, answered),
        median_hours_by_country=_medians_by(lambda r: r.country or "none", answered),
    )


def _notices(facts: ReportFacts) -> NoticeNumbers:
    # (1) a decision on a notice: anything but our own initiative; (2) restores are not one.
    on_notice = [
        d for d in facts.decisions if d.source_type != _OWN_INITIATIVE and d.action != "restore"
    ]
    measures = [d for d in on_notice if _is_measure(d)]
    flagged = [r for r in facts.requests if not r.sealed and r.requester_kind == "trusted_flagger"]
    return NoticeNumbers(
        received=len(facts.notices),
        by_category=counts(n.category for n in facts.notices),
        by_clause=counts((n.clause or "none").partition("@")[0] for n in facts.notices),
        from_trusted_flaggers=len(flagged),
        decisions=len(on_notice),
        actions_by_ground=counts(d.decision_ground for d in measures),
        actions_by_kind=counts(d.action for d in measures),
        no_action=len(on_notice) - len(measures),
        automated_decisions=sum(d.automated for d in on_notice),
        median_hours_to_decision=median_hours(
            (d.first_notice_at, d.decided_at) for d in on_notice if d.first_notice_at is not None
        ),
    )


def _own_initiative(decisions: tuple[LoggedDecision, ...]) -> OwnInitiativeNumbers:
    own = [d for d in decisions if d.source_type == _OWN_INITIATIVE and _is_measure(d)]
    return OwnInitiativeNumbers(
        actions=len(own),
        by_kind=counts(d.action for d in own),
        by_ground=counts(d.decision_ground for d in own),
        by_category=counts(d.category for d in own),
        by_detection=counts("automated" if d.automated_detection else "human" for d in own),
        by_restriction=counts(kind for d in own for kind in d.restriction_types or ("none",)),
    )


def _appeals(facts: ReportFacts) -> AppealNumbers:
    # (3) filed in the period, and decided in the period, each counted in its own period.
    period = facts.period
    filed = [a for a in facts.appeals if period.holds(a.filed_at)]
    decided = _decided_in_period(facts)
    return AppealNumbers(
        filed=len(filed),
        by_basis=counts(a.appellant_role for a in filed),
        by_action=counts(a.action for a in filed),
        decided=len(decided),
        upheld=sum(a.outcome == _UPHELD for a in decided),
        reversed=sum(a.outcome == _REVERSED for a in decided),
        median_hours_to_decide=median_hours(
            (a.filed_at, a.decided_at) for a in decided if a.decided_at is not None
        ),
    )


def _decided_in_period(facts: ReportFacts) -> list[LoggedAppeal]:
    return [
        a for a in facts.appeals if a.decided_at is not None and facts.period.holds(a.decided_at)
    ]


def _automated(facts: ReportFacts) -> AutomatedMeans:
    # (4) a decision names the automated rule version that detected its item when one did;
    # older automated decisions, and those no rule detected, are known by the clause cited.
    automated = [d for d in facts.decisions if d.automated or d.automated_detection]
    by_means: dict[tuple[str, str], set[int]] = {}
    for decision in automated:
        by_means.setdefault(_means(decision), set()).add(decision.action_id)
    rules = []
    for (kind, name), mine in sorted(by_means.items(), key=_rules_first):
        against = [a for a in facts.appeals if a.action_id in mine]
        rules.append(
            AutomatedRule(
                rule=name,
                kind=kind,
                decisions=len(mine),
                appealed=len(against),
                reversed=sum(a.outcome == _REVERSED for a in against),
            )
        )
    return AutomatedMeans(
        detected=sum(d.automated_detection for d in facts.decisions),
        decided=sum(d.automated for d in facts.decisions),
        rules=tuple(rules),
    )


def _means(decision: LoggedDecision) -> tuple[str, str]:
    """What names the automated means of `decision`: (kind, rule version or clause)."""
    if decision.rule is not None:
        return AUTOMATED_BY_RULE, decision.rule
    return AUTOMATED_BY_CLAUSE, decision.clause


def _rules_first(item: tuple[tuple[str, str], set[int]]) -> tuple[bool, str]:
    (kind, name), _ = item
    return kind != AUTOMATED_BY_RULE, name


def _santa_clara(facts: ReportFacts) -> SantaClaraNumbers:
    # (5) the same decisions and appeals, in the Santa Clara Principles' breakdowns.
    measures = [d for d in facts.decisions if _is_measure(d)]
    suspensions = [d for d in measures if d.action == "suspend"]
    decided = _decided_in_period(facts)
    automated_flag = [a for a in decided if a.automated_detection]
    on_appeal = {a.restore_action_id for a in facts.appeals if a.restore_action_id is not None}
    restores = [d for d in facts.decisions if d.action == "restore"]
    return SantaClaraNumbers(
        content_actioned=sum(d.target_kind in {"post", "url"} for d in measures),
        accounts_suspended_temporarily=sum(d.ends_at is not None for d in suspensions),
        accounts_suspended_permanently=sum(d.ends_at is None for d in suspensions),
        appeals_reinstated=sum(a.outcome == _REVERSED for a in decided),
        appeals_not_reinstated=sum(a.outcome == _UPHELD for a in decided),
        automated_flag_appeals=len(automated_flag),
        automated_flag_reinstated=sum(a.outcome == _REVERSED for a in automated_flag),
        reinstated_without_appeal=sum(d.action_id not in on_appeal for d in restores),
        by_rule=counts(d.clause.partition("@")[0] for d in measures),
        by_country=counts(c for d in measures for c in d.territorial_scope or ("everywhere",)),
        by_format=counts(_FORMATS.get(d.target_kind, d.target_kind) for d in measures),
        by_source_of_flag=counts(_source_of_flag(d) for d in measures),
        election_window_actions=sum(d.election_window is not None for d in measures),
    )


def _source_of_flag(decision: LoggedDecision) -> str:
    if decision.automated_detection:
        return "automated"
    return _FLAG_SOURCES.get(decision.source_type, "other")
