"""The automated rules as JSON, with each version's numbers counted from the ledger
(`/api/v1/townsquare/rules[/<id>]`, docs/design/automated-rules.md, "The numbers"). Public,
read-only; the same numbers as the `/rules` pages."""

import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromPath, SkipValidation

from townsquare.moderation.rules import (
    Precision,
    Rule,
    RuleLog,
    RuleLogReader,
    RuleSet,
    RuleVersionStatistics,
)

__all__ = [
    "PrecisionEntity",
    "RuleEntity",
    "RuleStatisticsEntity",
    "RuleVersionEntity",
    "rule_routes",
]

Rules = NamedDependency[SkipValidation[RuleSet]]
"""The rule set, injected by name (`rules`) and not converted: its matches are a union of
dataclasses, which the signature model cannot convert and need not check."""


class PrecisionEntity(msgspec.Struct, kw_only=True):
    """Of `reviewed` detections re-reviewed blind, `violating` broke the clause; `estimate`
    and the 95 % Wilson interval (`low`, `high`) are null when none was reviewed."""

    reviewed: int
    violating: int
    estimate: float | None
    low: float | None
    high: float | None


class RuleStatisticsEntity(msgspec.Struct, kw_only=True):
    """One rule version's numbers, as the ledger shows them."""

    hits: int
    cases_opened: int
    actions_taken: int
    appeals: int
    reversals: int
    precision: PrecisionEntity


class RuleVersionEntity(msgspec.Struct, kw_only=True):
    """One version of a rule (`ref` is `id@version`, as detections cite it), the ledger entry
    that recorded it (null until the server records it) and its numbers."""

    ref: str
    version: int
    title: dict[str, str]
    description: dict[str, str]
    clause: str
    kind: str
    effect: str
    action: str
    severity: int | None
    content_hash: str
    ledger_index: int | None
    statistics: RuleStatisticsEntity


class RuleEntity(msgspec.Struct, kw_only=True):
    """A rule: its current version and every version, oldest first."""

    id: str
    current_version: int
    current: RuleVersionEntity
    versions: list[RuleVersionEntity]


def _precision(precision: Precision) -> PrecisionEntity:
    low, high = precision.interval or (None, None)
    return PrecisionEntity(
        reviewed=precision.reviewed,
        violating=precision.violating,
        estimate=precision.estimate,
        low=low,
        high=high,
    )


def _statistics(counted: RuleVersionStatistics) -> RuleStatisticsEntity:
    return RuleStatisticsEntity(
        hits=counted.hits,
        cases_opened=counted.cases_opened,
        actions_taken=counted.actions_taken,
        appeals=counted.appeals,
        reversals=counted.reversals,
        precision=_precision(counted.precision),
    )


def _version(rule: Rule, log: RuleLog) -> RuleVersionEntity:
    counted = log.statistics.get(rule.ref) or RuleVersionStatistics(rule.ref)
    return RuleVersionEntity(
        ref=rule.ref,
        version=rule.version,
        title=dict(rule.title),
        description=dict(rule.description),
        clause=rule.clause,
        kind=rule.match.kind.value,
        effect=rule.effect.value,
        action=rule.action.value,
        severity=rule.severity,
        content_hash=rule.content_hash,
        ledger_index=log.version_entries.get(rule.ref),
        statistics=_statistics(counted),
    )


def _rule(rules: RuleSet, rule_id: str, log: RuleLog) -> RuleEntity:
    versions = [_version(version, log) for version in rules.history(rule_id)]
    return RuleEntity(
        id=rule_id,
        current_version=versions[-1].version,
        current=versions[-1],
        versions=versions,
    )


@get("/api/v1/townsquare/rules", sync_to_thread=True)
def list_rules(rules: Rules, rule_log: NamedDependency[RuleLogReader]) -> list[RuleEntity]:
    """Every automated rule, by id, with every version and its numbers."""
    log = rule_log.read()
    return [_rule(rules, rule_id, log) for rule_id in sorted(rules.histories)]


@get("/api/v1/townsquare/rules/{rule_id:str}", sync_to_thread=True)
def show_rule(
    rules: Rules, rule_log: NamedDependency[RuleLogReader], rule_id: FromPath[str]
) -> RuleEntity:
    """One rule with every version and its numbers (404 if unknown)."""
    rules.history(rule_id)  # an unknown rule is refused before the ledger is read
    return _rule(rules, rule_id, rule_log.read())


rule_routes = [list_rules, show_rule]
