"""The audit's input: accounts with their group, posts with their reports, and decisions.

These are the rows of the published dataset (docs/design/audit.md, "The dataset"): anonymised
identifiers, neutral group labels, counts, and what was decided, nothing of the content.
"""

from dataclasses import dataclass

__all__ = [
    "AuditAccount",
    "AuditDataset",
    "AuditDecision",
    "AuditDecisionTime",
    "AuditHelpfulNote",
    "AuditPost",
    "AuditReview",
]


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
class AuditReview:
    """A blind second review of the decision on a post, drawn at random among decisions:
    whether the second moderator, who did not see the author, disagreed with the first."""

    post_id: str
    disagreed: bool


@dataclass(frozen=True)
class AuditDecisionTime:
    """How long a decision on a reported post took: hours from the case's opening (its first
    report or detection) to the decision."""

    post_id: str
    hours_to_decision: float


@dataclass(frozen=True)
class AuditHelpfulNote:
    """A post that carries a community note rated Helpful."""

    post_id: str


@dataclass(frozen=True)
class AuditDataset:
    """Everything the impartiality audit reads. The three first tables are always there;
    `reviews`, `helpful_notes` and `decision_times` are None when the dataset does not
    publish them (the comparisons they feed are then left out)."""

    accounts: tuple[AuditAccount, ...]
    posts: tuple[AuditPost, ...]
    decisions: tuple[AuditDecision, ...]
    reviews: tuple[AuditReview, ...] | None = None
    helpful_notes: tuple[AuditHelpfulNote, ...] | None = None
    decision_times: tuple[AuditDecisionTime, ...] | None = None
