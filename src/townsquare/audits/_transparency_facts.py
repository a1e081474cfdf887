"""What a transparency report is computed from: the period's events as plain values, read
from the database by `_transparency_reading` and counted by `_transparency_build` (pure).

Decisions are read from their statements of reasons exactly as logged (the ledger entry
`enforce` wrote), never re-derived from other tables, so the report cannot say of a decision
something its ledger entry contradicts.
"""

from dataclasses import dataclass
from datetime import datetime

from townsquare.audits._transparency_period import ReportPeriod

__all__ = ["LoggedAppeal", "LoggedDecision", "LoggedNotice", "LoggedRequest", "ReportFacts"]


@dataclass(frozen=True)
class LoggedDecision:
    """One `moderation.decision` entry's fields the report counts. `first_notice_at` is when
    the first notice that led to it arrived (None for own-initiative decisions). `rule` is
    the automated rule version (`id@version`) that detected the item, when one did."""

    action_id: int
    decided_at: datetime
    action: str
    target_kind: str
    clause: str
    decision_ground: str
    category: str
    source_type: str
    automated_detection: bool
    automated_decision: str
    restriction_types: tuple[str, ...]
    territorial_scope: tuple[str, ...]
    ends_at: datetime | None
    restores: int | None
    election_window: str | None
    first_notice_at: datetime | None
    rule: str | None

    @property
    def automated(self) -> bool:
        """Whether automated means took the decision (fully or partly)."""
        return self.automated_decision != "AUTOMATED_DECISION_NOT_AUTOMATED"


@dataclass(frozen=True)
class LoggedNotice:
    """A member's report (DSA Art. 16 notice): its Mastodon category and the clause cited."""

    created_at: datetime
    category: str
    clause: str | None


@dataclass(frozen=True)
class LoggedRequest:
    """An outside request. While `sealed` its requester, country, ground and times are
    secret: only that it arrived is counted."""

    received_at: datetime
    sealed: bool
    requester_kind: str
    requester: str
    country: str | None
    ground: str
    outcome: str | None
    answered_at: datetime | None


@dataclass(frozen=True)
class LoggedAppeal:
    """An appeal (DSA Art. 20 complaint) against action `action_id`, as known at the
    period's end: `outcome` and `decided_at` are None while it is undecided."""

    action_id: int
    action: str
    clause: str
    appellant_role: str
    filed_at: datetime
    outcome: str | None
    decided_at: datetime | None
    restore_action_id: int | None
    automated_detection: bool
    automated_decision: bool


@dataclass(frozen=True)
class ReportFacts:
    """Everything one period's report counts: decisions taken in it, notices and requests
    received in it, and appeals filed or decided in it or against its decisions, each as
    known at the period's end."""

    period: ReportPeriod
    decisions: tuple[LoggedDecision, ...]
    notices: tuple[LoggedNotice, ...]
    requests: tuple[LoggedRequest, ...]
    appeals: tuple[LoggedAppeal, ...]
