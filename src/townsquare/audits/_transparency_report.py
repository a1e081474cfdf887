"""The transparency report as a value: every number DSA Art. 15(1) and 24(1) and the Santa
Clara Principles 2.0 ("Numbers") ask for, for one period (docs/design/transparency-reports.md
says which number answers which item).

Counts are `(key, count)` pairs sorted by key, so two reports of the same facts are equal
and serialise to the same bytes. Median times are in hours, None when nothing was timed;
`Medians` are `(key, hours)` pairs sorted by key, with no pair for a key nothing was timed for.
"""

from dataclasses import dataclass

from townsquare.audits._transparency_period import ReportPeriod

__all__ = [
    "AUTOMATED_BY_CLAUSE",
    "AUTOMATED_BY_RULE",
    "REPORT_SCHEMA",
    "AppealNumbers",
    "AutomatedMeans",
    "AutomatedRule",
    "Counts",
    "Medians",
    "NoticeNumbers",
    "OrderNumbers",
    "OwnInitiativeNumbers",
    "SantaClaraNumbers",
    "TransparencyReport",
]

REPORT_SCHEMA = "townsquare.transparency-report/2"
"""The JSON's schema name and version; a change to what a number means changes it. Version 2
added the orders' medians by requester and country and the automated rules' `kind`."""

Counts = tuple[tuple[str, int], ...]
Medians = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class OrderNumbers:
    """Art. 15(1)(a) and Santa Clara "state-actor flags": outside requests received. Sealed
    ones are counted, never broken down. The medians by requester kind, requester and country
    are over the answered requests of each (a country-less request's key is "none")."""

    received: int
    sealed: int
    by_requester_kind: Counts
    by_requester: Counts
    by_country: Counts
    by_ground: Counts
    by_outcome: Counts
    answered: int
    median_hours_to_answer: float | None
    median_hours_by_requester_kind: Medians
    median_hours_by_requester: Medians
    median_hours_by_country: Medians


@dataclass(frozen=True)
class NoticeNumbers:
    """Art. 15(1)(b): notices received and the decisions taken on notices."""

    received: int
    by_category: Counts
    by_clause: Counts
    from_trusted_flaggers: int
    decisions: int
    actions_by_ground: Counts
    actions_by_kind: Counts
    no_action: int
    automated_decisions: int
    median_hours_to_decision: float | None


@dataclass(frozen=True)
class OwnInitiativeNumbers:
    """Art. 15(1)(c): measures taken on our own initiative."""

    actions: int
    by_kind: Counts
    by_ground: Counts
    by_category: Counts
    by_detection: Counts
    by_restriction: Counts


@dataclass(frozen=True)
class AppealNumbers:
    """Art. 15(1)(d) / Art. 20: complaints filed and decided in the period."""

    filed: int
    by_basis: Counts
    by_action: Counts
    decided: int
    upheld: int
    reversed: int
    median_hours_to_decide: float | None


AUTOMATED_BY_RULE, AUTOMATED_BY_CLAUSE = "rule", "clause"


@dataclass(frozen=True)
class AutomatedRule:
    """One automated means, how many decisions it took part in, and what appeals made of them.

    Its `kind` says what names it: `"rule"`, the automated rule version (`id@version`) the
    decisions' ledger entries name; or `"clause"`, for automated decisions that name no rule,
    the clause (`id@version`) they cite."""

    rule: str
    kind: str
    decisions: int
    appealed: int
    reversed: int

    @property
    def reversal_rate(self) -> float:
        """The accuracy indicator: the share of its decisions reversed on appeal."""
        return self.reversed / self.decisions if self.decisions else 0.0


@dataclass(frozen=True)
class AutomatedMeans:
    """Art. 15(1)(e): each automated rule's numbers; no rules when nothing was automated."""

    detected: int
    decided: int
    rules: tuple[AutomatedRule, ...]


@dataclass(frozen=True)
class SantaClaraNumbers:
    """Santa Clara Principles 2.0, operational principle 1 ("Numbers")."""

    content_actioned: int
    accounts_suspended_temporarily: int
    accounts_suspended_permanently: int
    appeals_reinstated: int
    appeals_not_reinstated: int
    automated_flag_appeals: int
    automated_flag_reinstated: int
    reinstated_without_appeal: int
    by_rule: Counts
    by_country: Counts
    by_format: Counts
    by_source_of_flag: Counts
    election_window_actions: int


@dataclass(frozen=True)
class TransparencyReport:
    """One period's numbers; `decisions` counts every decision logged, no action included."""

    period: ReportPeriod
    decisions: int
    orders: OrderNumbers
    notices: NoticeNumbers
    own_initiative: OwnInitiativeNumbers
    appeals: AppealNumbers
    automated: AutomatedMeans
    santa_clara: SantaClaraNumbers
