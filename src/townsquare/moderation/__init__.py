"""Layer 4: moderation in the open — policies as code, reports, cases, `enforce`, visibility.

Policies are versioned files (`policies/` at the repository root, shipped in the wheel):
`load_policies` parses and validates them into a `PolicySet` of `Clause`s, each cited as
`clause@version`; `record_policies` appends every clause version not yet recorded to the
ledger, so a decision can only cite a text the public log already holds.

Automated rules (`townsquare.moderation.rules`, its own API): versioned rule files beside
the policies, each version recorded in the ledger, and pure matchers whose detections open
cases or, for the clear-cut ones, carry a `Decision` for `enforce`
(docs/design/automated-rules.md).

Errors: `PolicyError` for a policy file that breaks a rule (an `InvalidInputError`),
`UnknownClauseError` / `UnknownPolicyError` for a clause or policy that does not exist
(`NotFoundError`s); all are `ModerationError`s (`TownsquareError`s).

Enforcement: `Moderation.enforce(Decision)` is the one code path that changes what anyone
sees. It writes the action, the visibility projection (`Restriction`s), the ledger entry
(`moderation.decision`, the statement of reasons), and the notices and notifications of
the author and the reporters in one transaction — the caller's, given as `conn=`, so a
workflow's own change commits with it.
`ModerationVisibility` is the microblog's visibility port over that projection; `replay`
rebuilds the projection from the ledger alone (`MalformedDecisionEntryError` on a decision
`enforce` could not have logged). Refusals: `NotAModeratorError`,
`OwnContentError`, `ActionNotAllowedError`, `InvalidDecisionError`, `TargetNotFoundError`,
`ActionNotFoundError`, `AlreadyLiftedError`.

Reports and cases (`moderation.cases`, a `Cases`): reports on one item join its open case;
a case is a declared state machine (open → in_review → decided → closed) whose illegal
steps raise `IllegalTransitionError`; the review queue is blind; the deliberation is
published with the decision under moderator pseudonyms and redacted by rule.

Elections (`moderation.elections`, `moderation.proposals`): an admin declares an
`ElectionWindow`; during it, an action on election-related content is a `Proposal` until a
second moderator approves it (`SecondModeratorRequiredError` otherwise), names its item and
is not automated (`BlanketActionError`), and its ledger entry is flagged with the window.

Second reviews (`moderation.second_reviews`, a `SecondReviews`): `draw` picks decisions on
posts at random — `draw_sample` over the `log_candidates`, seeded by the latest signed
checkpoint (`NoCheckpointError` before there is one) — and logs a `ReviewDraw` as an
`audit.review_draw` entry (`review_draw_entry`; `check_review_draw` recomputes it from the
ledger, `check_review_draws` every draw in one pass, `MalformedReviewDrawError` otherwise).
A moderator not involved in the decision (`ReviewerInvolvedError`) decides it again on a
`BlindReview` — the post and the reports, not the outcome, the decider or the author — and
the `CompletedReview` says whether they `disagrees` with it. Reviews change nothing anyone
sees: they do not go through `enforce`.

Outside requests (`moderation.requests`, an `ExternalRequests`): a request from a court, a
government, the police, a regulator, a trusted flagger or a rights holder is logged when it
arrives (a `moderation.request` entry; sealed, only a commitment until its release date),
its items join their cases, and its answer — what the cases decided — is a
`moderation.request_answer` entry.
"""

from townsquare.moderation._appeal_errors import (
    AppealNotFoundError,
    AppealTransitionError,
    AppealWindowClosedError,
    InvalidAppealError,
    NotAppealReviewerError,
    NotAppellantError,
    SameModeratorError,
)
from townsquare.moderation._appeals import (
    APPEAL_ENTRY_TYPE,
    Appeal,
    Appeals,
    AppealState,
    ClauseRate,
    OverturnRates,
    appeal_deadline,
    overturn_rates,
)
from townsquare.moderation._blind_review import CaseItem, RevealedAuthor
from townsquare.moderation._case_service import (
    CaseDecision,
    CaseFile,
    CaseProposal,
    Cases,
    PublishedCase,
    ReportSummary,
    case_decision,
)
from townsquare.moderation._cases import (
    Case,
    CaseEvent,
    CaseNotFoundError,
    CaseState,
    IllegalTransitionError,
    NotTheReviewerError,
)
from townsquare.moderation._copies import (
    COPIES_LISTED,
    COPY_THRESHOLD,
    IMAGE_COPY_DISTANCE,
    Copy,
    CoveredCopy,
    similarity_text,
)
from townsquare.moderation._decisions import (
    DEFAULT_REDUCED_SURFACES,
    REDUCIBLE_SURFACES,
    AccountTarget,
    Action,
    Approval,
    CopyOf,
    Decision,
    PostTarget,
    Target,
    UrlTarget,
)
from townsquare.moderation._deliberation import Comment, CommentKind, PublishedComment
from townsquare.moderation._election_windows import (
    ElectionWindows,
    FlaggedDecision,
    WindowNotFoundError,
)
from townsquare.moderation._elections import (
    ELECTION_CATEGORY,
    BlanketActionError,
    ElectionWindow,
    InvalidWindowError,
    SecondModeratorRequiredError,
    WindowDraft,
)
from townsquare.moderation._errors import (
    ActionNotAllowedError,
    ActionNotFoundError,
    AlreadyLiftedError,
    InvalidDecisionError,
    MalformedDecisionEntryError,
    NotAModeratorError,
    OwnContentError,
    TargetNotFoundError,
)
from townsquare.moderation._export import (
    InvalidStatementError,
    Statements,
    dsa_statement,
    validate_statement,
    write_statements,
)
from townsquare.moderation._moderation import Moderation
from townsquare.moderation._note_statuses import (
    NOTE_STATUS_ENTRY_TYPE,
    InvalidNoteStatusError,
    NoteStatusConflictError,
    NoteStatusRow,
    RecordedNoteChange,
)
from townsquare.moderation._notices import Notice, Notices, NoticeSubject
from townsquare.moderation._outcomes import CaseOutcome
from townsquare.moderation._policies import (
    ActionKind,
    Clause,
    Ground,
    Policy,
    PolicySet,
)
from townsquare.moderation._policy_errors import (
    ModerationError,
    PolicyError,
    UnknownClauseError,
    UnknownPolicyError,
)
from townsquare.moderation._policy_files import default_policy_directory, load_policies
from townsquare.moderation._policy_ledger import record_policies, recorded_policy_versions
from townsquare.moderation._preview import StatementPreview
from townsquare.moderation._projection import Restriction
from townsquare.moderation._proposal_records import (
    Proposal,
    ProposalNotFoundError,
    ProposalState,
    ProposalTransitionError,
)
from townsquare.moderation._proposals import Proposals
from townsquare.moderation._queue import QueueFilter, QueueItem
from townsquare.moderation._reasons import DECISION_ENTRY_TYPE, Circumstances, statement_of_reasons
from townsquare.moderation._replay import ProjectionDifference, Replayed, replay
from townsquare.moderation._reports import InvalidReportError, Report, ReportCategory, ReportDraft
from townsquare.moderation._request_entries import (
    LoggedRequests,
    MalformedRequestEntryError,
    SealedEntry,
    check_released,
    check_request_entries,
)
from townsquare.moderation._request_service import (
    ExternalRequests,
    PublishedRequest,
    RequestNumbers,
    request_numbers,
)
from townsquare.moderation._requests import (
    ANSWER_ENTRY_TYPE,
    ASKABLE_ACTIONS,
    INTAKE_ENTRY_TYPE,
    MAX_ITEMS,
    MAX_SEAL,
    ExternalRequest,
    IllegalRequestTransitionError,
    InvalidRequestError,
    ItemResult,
    RequestAnswer,
    RequestDraft,
    RequesterKind,
    RequestNotFoundError,
    RequestNotReadyError,
    RequestOutcome,
    RequestState,
    answer_fields,
    commitment,
    request_details,
)
from townsquare.moderation._review_draw_entry import (
    ReviewDraw,
    check_review_draw,
    check_review_draws,
    review_draw_entry,
)
from townsquare.moderation._review_errors import (
    InvalidReviewError,
    MalformedReviewDrawError,
    NoCheckpointError,
    ReviewerInvolvedError,
    ReviewNotFoundError,
    ReviewTakenError,
)
from townsquare.moderation._review_records import (
    BlindReview,
    CompletedReview,
    ReviewedReport,
    SecondReview,
    disagrees,
)
from townsquare.moderation._review_sample import (
    REVIEW_DRAW_ENTRY_TYPE,
    DrawCandidate,
    draw_sample,
    log_candidates,
)
from townsquare.moderation._second_reviews import MAX_DRAW, SecondReviews, answer_action
from townsquare.moderation._standing import ModerationStanding
from townsquare.moderation._visibility import ModerationVisibility, viewer_country

__all__ = [
    "ANSWER_ENTRY_TYPE",
    "APPEAL_ENTRY_TYPE",
    "ASKABLE_ACTIONS",
    "COPIES_LISTED",
    "COPY_THRESHOLD",
    "DECISION_ENTRY_TYPE",
    "DEFAULT_REDUCED_SURFACES",
    "ELECTION_CATEGORY",
    "IMAGE_COPY_DISTANCE",
    "INTAKE_ENTRY_TYPE",
    "MAX_DRAW",
    "MAX_ITEMS",
    "MAX_SEAL",
    "NOTE_STATUS_ENTRY_TYPE",
    "REDUCIBLE_SURFACES",
    "REVIEW_DRAW_ENTRY_TYPE",
    "AccountTarget",
    "Action",
    "ActionKind",
    "ActionNotAllowedError",
    "ActionNotFoundError",
    "AlreadyLiftedError",
    "Appeal",
    "AppealNotFoundError",
    "AppealState",
    "AppealTransitionError",
    "AppealWindowClosedError",
    "Appeals",
    "Approval",
    "BlanketActionError",
    "BlindReview",
    "Case",
    "CaseDecision",
    "CaseEvent",
    "CaseFile",
    "CaseItem",
    "CaseNotFoundError",
    "CaseOutcome",
    "CaseProposal",
    "CaseState",
    "Cases",
    "Circumstances",
    "Clause",
    "ClauseRate",
    "Comment",
    "CommentKind",
    "CompletedReview",
    "Copy",
    "CopyOf",
    "CoveredCopy",
    "Decision",
    "DrawCandidate",
    "ElectionWindow",
    "ElectionWindows",
    "ExternalRequest",
    "ExternalRequests",
    "FlaggedDecision",
    "Ground",
    "IllegalRequestTransitionError",
    "IllegalTransitionError",
    "InvalidAppealError",
    "InvalidDecisionError",
    "InvalidNoteStatusError",
    "InvalidReportError",
    "InvalidRequestError",
    "InvalidReviewError",
    "InvalidStatementError",
    "InvalidWindowError",
    "ItemResult",
    "LoggedRequests",
    "MalformedDecisionEntryError",
    "MalformedRequestEntryError",
    "MalformedReviewDrawError",
    "Moderation",
    "ModerationError",
    "ModerationStanding",
    "ModerationVisibility",
    "NoCheckpointError",
    "NotAModeratorError",
    "NotAppealReviewerError",
    "NotAppellantError",
    "NotTheReviewerError",
    "NoteStatusConflictError",
    "NoteStatusRow",
    "Notice",
    "NoticeSubject",
    "Notices",
    "OverturnRates",
    "OwnContentError",
    "Policy",
    "PolicyError",
    "PolicySet",
    "PostTarget",
    "ProjectionDifference",
    "Proposal",
    "ProposalNotFoundError",
    "ProposalState",
    "ProposalTransitionError",
    "Proposals",
    "PublishedCase",
    "PublishedComment",
    "PublishedRequest",
    "QueueFilter",
    "QueueItem",
    "RecordedNoteChange",
    "Replayed",
    "Report",
    "ReportCategory",
    "ReportDraft",
    "ReportSummary",
    "RequestAnswer",
    "RequestDraft",
    "RequestNotFoundError",
    "RequestNotReadyError",
    "RequestNumbers",
    "RequestOutcome",
    "RequestState",
    "RequesterKind",
    "Restriction",
    "RevealedAuthor",
    "ReviewDraw",
    "ReviewNotFoundError",
    "ReviewTakenError",
    "ReviewedReport",
    "ReviewerInvolvedError",
    "SameModeratorError",
    "SealedEntry",
    "SecondModeratorRequiredError",
    "SecondReview",
    "SecondReviews",
    "StatementPreview",
    "Statements",
    "Target",
    "TargetNotFoundError",
    "UnknownClauseError",
    "UnknownPolicyError",
    "UrlTarget",
    "WindowDraft",
    "WindowNotFoundError",
    "answer_action",
    "answer_fields",
    "appeal_deadline",
    "case_decision",
    "check_released",
    "check_request_entries",
    "check_review_draw",
    "check_review_draws",
    "commitment",
    "default_policy_directory",
    "disagrees",
    "draw_sample",
    "dsa_statement",
    "load_policies",
    "log_candidates",
    "overturn_rates",
    "record_policies",
    "recorded_policy_versions",
    "replay",
    "request_details",
    "request_numbers",
    "review_draw_entry",
    "similarity_text",
    "statement_of_reasons",
    "validate_statement",
    "viewer_country",
    "write_statements",
]
