"""Rules as values: a rule version is immutable, hashed, and cited as `id@version`.

A rule version says which clause version it enforces, what it matches (`Match`, one of the
kinds below), and what a match leads to: a case for moderators at a severity (the default),
or — for the clear-cut kinds only (`ACTING_KINDS`) — an action taken at once through
`enforce`. Its `content_hash` covers all of that, a blocklist's entries included.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar

from townsquare.ledger import JSON, canonical_json
from townsquare.moderation._decisions import AccountTarget, PostTarget
from townsquare.moderation._policies import LANGUAGES, ActionKind
from townsquare.moderation.rules._blocklists import Blocklist
from townsquare.moderation.rules._errors import UnknownRuleError

__all__ = [
    "ACTING_KINDS",
    "RULE_ACTIONS",
    "SEVERITIES",
    "Effect",
    "MassMentions",
    "Match",
    "MatchKind",
    "NewAccountSwarm",
    "PostingBurst",
    "ReportStorm",
    "Rule",
    "RuleSet",
    "SameText",
    "UrlBlocklist",
    "rule_hash",
]

SEVERITIES = range(1, 5)
"""A case's severity, on the scale reports use (`_reports.SEVERITY`: 1 other … 4 legal)."""

RULE_ACTIONS = frozenset(
    # The actions that need nothing but a target and facts; a label, a content warning or a
    # geo-restriction needs words or a scope a moderator chooses.
    {
        ActionKind.REMOVE,
        ActionKind.REDUCE_REACH,
        ActionKind.WARN,
        ActionKind.LIMIT,
        ActionKind.SUSPEND,
    }
)


class MatchKind(StrEnum):
    URL_BLOCKLIST = "url_blocklist"
    POSTING_BURST = "posting_burst"
    SAME_TEXT = "same_text"
    NEW_ACCOUNT_SWARM = "new_account_swarm"
    MASS_MENTIONS = "mass_mentions"
    REPORT_STORM = "report_storm"


ACTING_KINDS = frozenset({MatchKind.URL_BLOCKLIST})
"""The kinds clear-cut enough to act without a moderator: a link to a listed domain is a
fact anyone can check against the published list; a burst or a swarm is a suspicion."""


class Effect(StrEnum):
    OPEN_CASE = "open_case"  # a case for moderators, at the rule's severity
    ACT = "act"  # the action, through `enforce`, as an automated decision


@dataclass(frozen=True)
class UrlBlocklist:
    """A post (new or edited) links to a domain on `blocklist`, or under one."""

    blocklist: Blocklist
    kind: ClassVar[MatchKind] = MatchKind.URL_BLOCKLIST
    target: ClassVar[type[PostTarget | AccountTarget]] = PostTarget
    window: ClassVar[timedelta] = timedelta(0)  # it looks at the event alone


@dataclass(frozen=True)
class PostingBurst:
    """One account publishes `min_posts` posts (only posts with links, if `links_only`)
    within `window`."""

    min_posts: int
    window: timedelta
    links_only: bool = False
    kind: ClassVar[MatchKind] = MatchKind.POSTING_BURST
    target: ClassVar[type[PostTarget | AccountTarget]] = AccountTarget


@dataclass(frozen=True)
class SameText:
    """`min_accounts` accounts publish the same text (of at least `min_characters` once
    normalised) within `window`; every copy is matched."""

    min_accounts: int
    window: timedelta
    min_characters: int
    kind: ClassVar[MatchKind] = MatchKind.SAME_TEXT
    target: ClassVar[type[PostTarget | AccountTarget]] = PostTarget


@dataclass(frozen=True)
class NewAccountSwarm:
    """`min_accounts` accounts, each younger than `max_account_age` when it acts, act on
    the same account or post (mention it, reply to it, report it) within `window`."""

    min_accounts: int
    window: timedelta
    max_account_age: timedelta
    kind: ClassVar[MatchKind] = MatchKind.NEW_ACCOUNT_SWARM
    target: ClassVar[type[PostTarget | AccountTarget]] = AccountTarget


@dataclass(frozen=True)
class MassMentions:
    """One account mentions more than `max_mentions` distinct accounts within `window`
    (one post or several); the post that goes over the limit is matched."""

    max_mentions: int
    window: timedelta
    kind: ClassVar[MatchKind] = MatchKind.MASS_MENTIONS
    target: ClassVar[type[PostTarget | AccountTarget]] = PostTarget


@dataclass(frozen=True)
class ReportStorm:
    """At least `min_reports` reports on one post or account within `window`. The item is
    the target, but the rule proposes nothing against it (`no_action`): it tells the case's
    moderators that its reports came as a storm, which is itself a sign of manipulation."""

    min_reports: int
    window: timedelta
    kind: ClassVar[MatchKind] = MatchKind.REPORT_STORM
    target: ClassVar[type[PostTarget | AccountTarget]] = PostTarget  # or an account


Match = UrlBlocklist | PostingBurst | SameText | NewAccountSwarm | MassMentions | ReportStorm


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Rule:
    """One version of one rule, e.g. `link-spam` version 2 (`link-spam@2`)."""

    id: str  # the file name: "link-spam"
    version: int
    title: Mapping[str, str]  # by language: {"en": …, "fr": …}
    description: Mapping[str, str]
    clause: str  # the clause version it enforces, "id@version"
    match: Match
    effect: Effect
    action: ActionKind  # what it does (ACT) or proposes to the case's moderators
    severity: int | None  # the case's severity (OPEN_CASE only)
    content_hash: str  # sha256 hex of the canonical rule, see `rule_hash`

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", _frozen(self.title))
        object.__setattr__(self, "description", _frozen(self.description))

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def title_in(self, language: str) -> str:
        """The title in `language`, or in English when the rule lacks that language."""
        return self.title.get(language) or self.title[LANGUAGES[0]]

    def description_in(self, language: str) -> str:
        return self.description.get(language) or self.description[LANGUAGES[0]]


def canonical_rule(rule: Rule) -> Mapping[str, JSON]:
    """Everything a rule version says, as JSON; its hash is the version's identity."""
    return {
        "id": rule.id,
        "version": rule.version,
        "title": dict(rule.title),
        "description": dict(rule.description),
        "clause": rule.clause,
        "match": _canonical_match(rule.match),
        "effect": rule.effect.value,
        "action": rule.action.value,
        "severity": rule.severity,
    }


def _canonical_match(match: Match) -> Mapping[str, JSON]:
    if isinstance(match, UrlBlocklist):
        blocklist = match.blocklist
        listed: JSON = {"name": blocklist.name, "content_hash": blocklist.content_hash}
        return {"kind": match.kind.value, "blocklist": listed}
    fields: dict[str, JSON] = {"kind": match.kind.value}
    fields["window_seconds"] = int(match.window.total_seconds())
    if isinstance(match, PostingBurst):
        fields.update(min_posts=match.min_posts, links_only=match.links_only)
    elif isinstance(match, SameText):
        fields.update(min_accounts=match.min_accounts, min_characters=match.min_characters)
    elif isinstance(match, NewAccountSwarm):
        age = int(match.max_account_age.total_seconds())
        fields.update(min_accounts=match.min_accounts, max_account_age_seconds=age)
    elif isinstance(match, ReportStorm):
        fields.update(min_reports=match.min_reports)
    else:
        fields.update(max_mentions=match.max_mentions)
    return fields


def rule_hash(rule: Rule) -> str:
    """The sha256 (hex) of the rule's canonical JSON (RFC 8785); `content_hash` ignored."""
    return hashlib.sha256(canonical_json(canonical_rule(rule))).hexdigest()


@dataclass(frozen=True)
class RuleSet:
    """The current version of each rule by id, and every rule's history (oldest first).

    Built from `rules` alone, each rule's history is just its current version.
    """

    rules: Mapping[str, Rule]
    histories: Mapping[str, tuple[Rule, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        histories: dict[str, tuple[Rule, ...]] = {id: (r,) for id, r in self.rules.items()}
        histories.update(self.histories)
        object.__setattr__(self, "rules", MappingProxyType(dict(self.rules)))
        object.__setattr__(self, "histories", MappingProxyType(histories))

    def rule(self, ref_or_id: str) -> Rule:
        """The rule `id` (its current version) or `id@version` (that version)."""
        rule_id, at, version = ref_or_id.partition("@")
        history = self.history(rule_id)
        if not at:
            return history[-1]
        for rule in history:
            if version == str(rule.version):
                return rule
        versions = ", ".join(rule.ref for rule in history)
        raise UnknownRuleError(f"rule {ref_or_id!r}: expected one of {versions}")

    def history(self, rule_id: str) -> tuple[Rule, ...]:
        """Every version of the rule, oldest first."""
        if rule_id not in self.histories:
            raise UnknownRuleError(
                f"rule {rule_id!r}: expected one of {', '.join(sorted(self.histories))}"
            )
        return self.histories[rule_id]

    def versions(self) -> tuple[Rule, ...]:
        """Every version of every rule, by rule id, oldest first."""
        return tuple(rule for id in sorted(self.histories) for rule in self.histories[id])

    @property
    def horizon(self) -> timedelta:
        """How far back the current rules look: the longest of their windows."""
        return max((rule.match.window for rule in self.rules.values()), default=timedelta(0))
