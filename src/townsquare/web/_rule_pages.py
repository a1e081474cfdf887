"""The automated rules in public: every rule with its numbers, and each rule's history.

A detection cites `rule@version`; these pages show every version's text, settings, hash and
the ledger entry that recorded it, what changed from the version before (a word diff, as
for clauses), and each version's numbers counted from the ledger (`RuleLogReader`): hits, cases
opened, actions taken, appeals, reversals, and the precision estimated from blind reviews
with its 95 % interval — or, before any review, a plain statement that there is none.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, SkipValidation

from townsquare.ledger import JSON
from townsquare.moderation import PolicySet, UnknownClauseError
from townsquare.moderation.rules import (
    Effect,
    MatchKind,
    Precision,
    Rule,
    RuleLog,
    RuleLogReader,
    RuleSet,
    RuleVersionStatistics,
    canonical_rule,
)
from townsquare.web._i18n import format_share
from townsquare.web._messages import N_
from townsquare.web._policy_pages import ACTION_LABELS, DiffPiece, word_diff
from townsquare.web._templates import page
from townsquare.web._visitors import Visitor

__all__ = ["Rules", "rule_page", "rules_page", "shown_rule"]

Rules = NamedDependency[SkipValidation[RuleSet]]
"""The rule set, injected by name (`rules`) and not converted: its matches are a union of
dataclasses, which the signature model cannot convert and need not check."""

KIND_LABELS: Mapping[MatchKind, str] = {
    MatchKind.URL_BLOCKLIST: N_("Link to a listed domain"),
    MatchKind.POSTING_BURST: N_("Burst of posts"),
    MatchKind.SAME_TEXT: N_("Same text from several accounts"),
    MatchKind.NEW_ACCOUNT_SWARM: N_("Swarm of new accounts"),
    MatchKind.MASS_MENTIONS: N_("Mass mentions"),
    MatchKind.REPORT_STORM: N_("Report storm"),
}
EFFECT_LABELS: Mapping[Effect, str] = {
    Effect.OPEN_CASE: N_("Opens a case for moderators"),
    Effect.ACT: N_("Acts at once (an automated decision, open to appeal)"),
}


@dataclass(frozen=True)
class ShownPrecision:
    """A precision in the visitor's words: None fields when nothing was reviewed."""

    reviewed: int
    violating: int
    estimate: str | None
    low: str | None
    high: str | None


@dataclass(frozen=True)
class ShownRuleVersion:
    """One version of a rule in the visitor's language, its ledger entry, its numbers and
    its diff from the version before (None for the first)."""

    rule: Rule
    title: str
    paragraphs: tuple[str, ...]
    settings: str
    kind: str
    effect: str
    action: str
    ledger_index: int | None
    numbers: RuleVersionStatistics
    precision: ShownPrecision
    title_diff: tuple[DiffPiece, ...] | None
    text_diff: tuple[DiffPiece, ...] | None
    settings_diff: tuple[DiffPiece, ...] | None


@dataclass(frozen=True)
class ShownRule:
    """A rule: its current version, the clause it enforces, and every version (oldest first)."""

    id: str
    current: ShownRuleVersion
    clause_title: str | None
    clause_policy: str | None
    clause_number: int | None
    history: tuple[ShownRuleVersion, ...]


def _settings(rule: Rule) -> str:
    """What a version matches and does, one `key = value` a line, as the hash covers it."""
    canonical = canonical_rule(rule)
    lines = [f"{key} = {_value(canonical[key])}" for key in ("clause", "effect", "action")]
    if rule.severity is not None:
        lines.append(f"severity = {rule.severity}")
    match = canonical["match"]
    if isinstance(match, Mapping):
        lines += [f"match.{key} = {_value(value)}" for key, value in match.items()]
    return "\n".join(lines)


def _value(value: JSON) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{key} {_value(inner)}" for key, inner in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _precision(precision: Precision, language: str) -> ShownPrecision:
    estimate, interval = precision.estimate, precision.interval
    low, high = interval or (None, None)
    return ShownPrecision(
        reviewed=precision.reviewed,
        violating=precision.violating,
        estimate=None if estimate is None else format_share(estimate, language),
        low=None if low is None else format_share(low, language),
        high=None if high is None else format_share(high, language),
    )


def _version(rule: Rule, previous: Rule | None, log: RuleLog, visitor: Visitor) -> ShownRuleVersion:
    language = visitor.language
    title, text, settings = rule.title_in(language), rule.description_in(language), _settings(rule)
    numbers = log.statistics.get(rule.ref) or RuleVersionStatistics(rule.ref)
    return ShownRuleVersion(
        rule=rule,
        title=title,
        paragraphs=tuple(line for line in text.strip().splitlines() if line.strip()),
        settings=settings,
        kind=visitor.gettext(KIND_LABELS[rule.match.kind]),
        effect=visitor.gettext(EFFECT_LABELS[rule.effect]),
        action=visitor.gettext(ACTION_LABELS[rule.action]),
        ledger_index=log.version_entries.get(rule.ref),
        numbers=numbers,
        precision=_precision(numbers.precision, language),
        title_diff=word_diff(previous.title_in(language), title) if previous else None,
        text_diff=(
            word_diff(previous.description_in(language).strip(), text.strip()) if previous else None
        ),
        settings_diff=word_diff(_settings(previous), settings) if previous else None,
    )


def shown_rule(
    rules: RuleSet, policies: PolicySet, rule_id: str, log: RuleLog, visitor: Visitor
) -> ShownRule:
    """A rule as the pages show it to `visitor` (`UnknownRuleError` if there is none)."""
    history = rules.history(rule_id)
    versions = tuple(
        _version(rule, history[index - 1] if index else None, log, visitor)
        for index, rule in enumerate(history)
    )
    current = versions[-1]
    try:
        clause = policies.clause(current.rule.clause)
    except UnknownClauseError:
        return ShownRule(rule_id, current, None, None, None, versions)
    return ShownRule(
        id=rule_id,
        current=current,
        clause_title=clause.title_in(visitor.language),
        clause_policy=clause.policy,
        clause_number=clause.number,
        history=versions,
    )


@get("/rules", sync_to_thread=True)
def rules_page(
    visitor: NamedDependency[Visitor],
    rules: Rules,
    policies: NamedDependency[PolicySet],
    rule_log: NamedDependency[RuleLogReader],
) -> Response[Any]:
    """Every automated rule: its current version, what it does, and its numbers."""
    log = rule_log.read()
    shown = [shown_rule(rules, policies, rule_id, log, visitor) for rule_id in rules.histories]
    return page(visitor, "rules.html", rules=sorted(shown, key=lambda r: r.current.title))


@get("/rules/{rule_id:str}", sync_to_thread=True)
def rule_page(
    visitor: NamedDependency[Visitor],
    rules: Rules,
    policies: NamedDependency[PolicySet],
    rule_log: NamedDependency[RuleLogReader],
    rule_id: FromPath[str],
) -> Response[Any]:
    """One rule: its description, and each version with its text, hash, ledger entry,
    numbers and the changes from the version before."""
    rules.history(rule_id)  # an unknown rule is refused before the ledger is read
    shown = shown_rule(rules, policies, rule_id, rule_log.read(), visitor)
    return page(visitor, "rule.html", rule=shown)
