"""Automated rules as published code: declarative rule files, their ledger record, and the
pure matchers that run them on the write path's events.

Rules are versioned files (`policies/rules/*.toml`, with published blocklists in
`policies/rules/blocklists/`): `load_rules` parses them and checks each against the policy
set (the clause version it cites must exist and allow its action) into a `RuleSet`;
`record_rules` appends every rule version not yet recorded to the ledger (`rule.version`),
and refuses a recorded version whose text changed.

Matching is pure: `match_event(rules, window, event)` takes an `Event` (`PostCreated`,
`PostEdited`, `AccountCreated`, `ReportFiled`) and a bounded `Window` of recent acts, and
returns the `Detection`s and the next window. A detection opens a case at the rule's
severity, or — for the clear-cut kinds (`ACTING_KINDS`) — acts at once:
`detection.decision(actor_id)` is the `Decision` to enforce, marked automated.
Each detection is logged as a `rule.detection` entry (`detection_entry`, read back with
`read_detection`).

Each rule version's numbers — hits, cases opened, actions taken, appeals, reversals and
precision with its 95 % Wilson interval — are counted from ledger entries alone
(`rule_statistics`). Precision comes from blind reviews: `RuleReviews` draws detections
(a `rule.review_draw` entry), moderators who took no part answer whether the item breaks
the clause (a `rule.review` entry each), and `check_rule_reviews` recomputes every draw and
checks every answer from the ledger. `Fingerprints` is the seam for near-duplicate text
(`exact_fingerprints` by default).

`RuleRunner` runs the rules on the write path's events (the `rule_events` outbox), in the
background: detections open cases or act through `enforce` under the system account
`@rules`; a rule version that raises is quarantined (`rule.quarantine`) until released.
`case_rule` names the rule version that opened a case.

Errors: `RuleError` for a rule or blocklist file that breaks a rule, or a recorded version
changed (an `InvalidInputError`); `UnknownRuleError` for a rule that does not exist (a
`NotFoundError`); `MalformedRuleReviewError` for a draw or review entry the ledger before
it does not bear out; all are `ModerationError`s.
"""

from townsquare.moderation.rules._blocklists import Blocklist, listed_domain, parse_blocklist
from townsquare.moderation.rules._case_detections import (
    CaseDetection,
    case_detections,
    case_rule,
)
from townsquare.moderation.rules._detection_entry import (
    DETECTION_ENTRY,
    DetectionOutcome,
    DetectionRecord,
    detection_entry,
    read_detection,
)
from townsquare.moderation.rules._detections import Detection
from townsquare.moderation.rules._errors import (
    MalformedRuleReviewError,
    RuleError,
    UnknownRuleError,
)
from townsquare.moderation.rules._events import (
    AccountCreated,
    Actor,
    Event,
    PostCreated,
    PostEdited,
    ReportFiled,
)
from townsquare.moderation.rules._fingerprints import (
    Fingerprints,
    exact_fingerprints,
    normalise_text,
    without_tracking,
)
from townsquare.moderation.rules._matchers import Matched, match_event, sighting_of, start_window
from townsquare.moderation.rules._review_entries import (
    RULE_REVIEW_DRAW_ENTRY,
    RULE_REVIEW_ENTRY,
    DetectionCandidate,
    RuleReviewDraw,
    Verdict,
    check_rule_reviews,
    draw_detections,
    rule_review_draw_entry,
    rule_review_entry,
)
from townsquare.moderation.rules._rule_files import default_rule_directory, load_rules
from townsquare.moderation.rules._rule_ledger import (
    RULE_VERSION_ENTRY,
    record_rules,
    recorded_rule_versions,
    rule_log,
)
from townsquare.moderation.rules._rule_reviews import (
    ACCOUNT_POSTS_SHOWN,
    BlindRuleReview,
    RuleReview,
    RuleReviews,
    read_verdict,
)
from townsquare.moderation.rules._rules import (
    ACTING_KINDS,
    RULE_ACTIONS,
    SEVERITIES,
    Effect,
    MassMentions,
    Match,
    MatchKind,
    NewAccountSwarm,
    PostingBurst,
    ReportStorm,
    Rule,
    RuleSet,
    SameText,
    UrlBlocklist,
    canonical_rule,
    rule_hash,
)
from townsquare.moderation.rules._runner import (
    QUARANTINE_ENTRY,
    RELEASE_ENTRY,
    SYSTEM_HANDLES,
    Matcher,
    Quarantine,
    RuleRunner,
    RunSummary,
)
from townsquare.moderation.rules._statistics import (
    NOT_ACTING,
    GrowingLog,
    Precision,
    RuleLog,
    RuleLogReader,
    RuleVersionStatistics,
    read_rule_log,
    rule_statistics,
    wilson_interval,
)
from townsquare.moderation.rules._window import DEFAULT_CAPACITY, Sighting, Window
from townsquare.moderation.rules._worker import RuleWorker

__all__ = [
    "ACCOUNT_POSTS_SHOWN",
    "ACTING_KINDS",
    "DEFAULT_CAPACITY",
    "DETECTION_ENTRY",
    "NOT_ACTING",
    "QUARANTINE_ENTRY",
    "RELEASE_ENTRY",
    "RULE_ACTIONS",
    "RULE_REVIEW_DRAW_ENTRY",
    "RULE_REVIEW_ENTRY",
    "RULE_VERSION_ENTRY",
    "SEVERITIES",
    "SYSTEM_HANDLES",
    "AccountCreated",
    "Actor",
    "BlindRuleReview",
    "Blocklist",
    "CaseDetection",
    "Detection",
    "DetectionCandidate",
    "DetectionOutcome",
    "DetectionRecord",
    "Effect",
    "Event",
    "Fingerprints",
    "GrowingLog",
    "MalformedRuleReviewError",
    "MassMentions",
    "Match",
    "MatchKind",
    "Matched",
    "Matcher",
    "NewAccountSwarm",
    "PostCreated",
    "PostEdited",
    "PostingBurst",
    "Precision",
    "Quarantine",
    "ReportFiled",
    "ReportStorm",
    "Rule",
    "RuleError",
    "RuleLog",
    "RuleLogReader",
    "RuleReview",
    "RuleReviewDraw",
    "RuleReviews",
    "RuleRunner",
    "RuleSet",
    "RuleVersionStatistics",
    "RuleWorker",
    "RunSummary",
    "SameText",
    "Sighting",
    "UnknownRuleError",
    "UrlBlocklist",
    "Verdict",
    "Window",
    "canonical_rule",
    "case_detections",
    "case_rule",
    "check_rule_reviews",
    "default_rule_directory",
    "detection_entry",
    "draw_detections",
    "exact_fingerprints",
    "listed_domain",
    "load_rules",
    "match_event",
    "normalise_text",
    "parse_blocklist",
    "read_detection",
    "read_rule_log",
    "read_verdict",
    "record_rules",
    "recorded_rule_versions",
    "rule_hash",
    "rule_log",
    "rule_review_draw_entry",
    "rule_review_entry",
    "rule_statistics",
    "sighting_of",
    "start_window",
    "wilson_interval",
    "without_tracking",
]
