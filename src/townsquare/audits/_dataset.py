"""The audit's input: accounts with their group, posts with their reports, and decisions.

These are the rows of the published dataset (docs/design/audit.md, "The dataset"): anonymised
identifiers, neutral group labels, counts, and what was decided, nothing of the content.
"""

from dataclasses import dataclass

__all__ = ["AuditAccount", "AuditDataset", "AuditDecision", "AuditPost"]


@dataclass(frozen=True)
class AuditAccount:
    """An account and the neutral label of the group it was inferred to belong to."""

    account_id: str
    group: str


@dataclass(frozen=True)
class AuditPost:
    """A post, its author, how many reports it received and under which clause (empty when
    it received none)."""

    post_id: str
    account_id: str
    reports: int
    report_clause: str


@dataclass(frozen=True)
class AuditDecision:
    """A decision on a post: the action taken (`none` for a decision not to act), the clause
    cited, whether it was automated, appealed, and reversed."""

    post_id: str
    action: str
    clause: str
    automated: bool
    appealed: bool
    reversed: bool


@dataclass(frozen=True)
class AuditDataset:
    """Everything the impartiality audit reads."""

    accounts: tuple[AuditAccount, ...]
    posts: tuple[AuditPost, ...]
    decisions: tuple[AuditDecision, ...]
