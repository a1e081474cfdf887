"""The case state machine (issue 4, "Reports and cases"), declared as data.

    open ──take──▶ in_review ──decide──▶ decided ──close──▶ closed
      ▲               │  ▲                    ▲
      └───release─────┘  │ reject             │ approve
                 propose │                    │
                         ▼                    │
                    awaiting_approval ────────┘

A decision the two-person rule of an election window governs is proposed, not decided: the
case awaits a second moderator, who approves it (it is enforced then) or rejects it (the
reviewer decides again).

`TRANSITIONS` is the whole machine: `next_state` is the only way a case changes state, and
an event the table does not list for the current state raises `IllegalTransitionError`.
The handlers that run each transition against the database live in `_case_service`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from townsquare.kernel import ConflictError, NotFoundError, PermissionDeniedError
from townsquare.moderation._decisions import AccountTarget, PostTarget
from townsquare.moderation._policy_errors import ModerationError

__all__ = [
    "COMMENTABLE",
    "PUBLISHED",
    "TRANSITIONS",
    "Case",
    "CaseEvent",
    "CaseNotFoundError",
    "CaseState",
    "CaseTarget",
    "IllegalTransitionError",
    "NotTheReviewerError",
    "next_state",
]


class CaseState(StrEnum):
    OPEN = "open"
    IN_REVIEW = "in_review"
    AWAITING_APPROVAL = "awaiting_approval"
    DECIDED = "decided"
    CLOSED = "closed"


class CaseEvent(StrEnum):
    TAKE = "take"  # a moderator takes the case for review
    RELEASE = "release"  # ...or hands it back to the queue
    DECIDE = "decide"  # the reviewer's decision, enforced (no action included)
    PROPOSE = "propose"  # ...or proposed, where a second moderator must approve it
    APPROVE = "approve"  # a second moderator approves the proposal; it is enforced
    REJECT = "reject"  # ...or rejects it (or its proposer withdraws it)
    CLOSE = "close"  # the decision is final (appeals, when any, run on their own machine)
    COVER = "cover"  # its post was decided as a copy, from another case, in one step


TRANSITIONS: Mapping[tuple[CaseState, CaseEvent], CaseState] = MappingProxyType(
    {
        (CaseState.OPEN, CaseEvent.TAKE): CaseState.IN_REVIEW,
        (CaseState.IN_REVIEW, CaseEvent.RELEASE): CaseState.OPEN,
        (CaseState.IN_REVIEW, CaseEvent.DECIDE): CaseState.DECIDED,
        (CaseState.IN_REVIEW, CaseEvent.PROPOSE): CaseState.AWAITING_APPROVAL,
        (CaseState.AWAITING_APPROVAL, CaseEvent.APPROVE): CaseState.DECIDED,
        (CaseState.AWAITING_APPROVAL, CaseEvent.REJECT): CaseState.IN_REVIEW,
        (CaseState.DECIDED, CaseEvent.CLOSE): CaseState.CLOSED,
        (CaseState.OPEN, CaseEvent.COVER): CaseState.DECIDED,
    }
)
# Moderators deliberate before the decision; what is published is what was said until then.
COMMENTABLE = frozenset({CaseState.OPEN, CaseState.IN_REVIEW, CaseState.AWAITING_APPROVAL})
# Only a decided case is public ("the files": its decision and its redacted deliberation).
PUBLISHED = frozenset({CaseState.DECIDED, CaseState.CLOSED})

CaseTarget = PostTarget | AccountTarget


class IllegalTransitionError(ModerationError, ConflictError):
    """Raised when an event is not allowed in the case's current state."""


class CaseNotFoundError(ModerationError, NotFoundError):
    """Raised when a case does not exist (or, publicly, is not decided yet)."""


class NotTheReviewerError(ModerationError, PermissionDeniedError):
    """Raised when a moderator decides or releases a case another moderator is reviewing."""


def next_state(state: CaseState, event: CaseEvent) -> CaseState:
    """The state `event` leads to from `state`, or `IllegalTransitionError`."""
    found = TRANSITIONS.get((state, event))
    if found is None:
        allowed = sorted(e.value for (s, e) in TRANSITIONS if s == state) or ["none"]
        raise IllegalTransitionError(
            f"case is {state.value}: expected one of {', '.join(allowed)}, not {event.value}"
        )
    return found


@dataclass(frozen=True)
class Case:
    """A case as stored. `author_id` is whom it is about (a post's author or the account
    reported); the queue shows it only under a pseudonym unless asked (blind review)."""

    id: int
    target: CaseTarget
    author_id: int
    state: CaseState
    clause: str | None
    severity: int
    opened_at: datetime
    report_count: int
    reviewer_id: int | None = None
    action_id: int | None = None
    outcome: str | None = None
    decided_at: datetime | None = None
