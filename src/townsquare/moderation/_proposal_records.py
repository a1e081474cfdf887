"""Proposals: decisions waiting for a second moderator (the two-person rule, `_elections`).

A proposal is a declared state machine:

    proposed ──approve──▶ approved      (enforce applied it, as proposed, in one transaction)
        │ ├──reject───▶ rejected        (a second moderator said no, with reasons)
        │ └──withdraw─▶ withdrawn       (the proposer took it back)

The proposed decision is stored whole, as canonical JSON, so the second moderator approves
exactly what was proposed and `enforce` can check that an approval it is handed matches a
record: `verified_proposal` before anything is written, `mark_approved` in its transaction.
"""

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from townsquare.kernel import ConflictError, NotFoundError, SnowflakeGenerator
from townsquare.microblog import Surface
from townsquare.moderation._decisions import AccountTarget, Decision, PostTarget, Target, UrlTarget
from townsquare.moderation._elections import SecondModeratorRequiredError
from townsquare.moderation._errors import InvalidDecisionError, OwnContentError
from townsquare.moderation._policies import ActionKind
from townsquare.moderation._policy_errors import ModerationError
from townsquare.moderation._roles import require_moderator
from townsquare.storage.tables import moderation_proposals

__all__ = [
    "TRANSITIONS",
    "Proposal",
    "ProposalEvent",
    "ProposalNotFoundError",
    "ProposalState",
    "ProposalTransitionError",
    "insert_proposal",
    "load_proposal",
    "mark_approved",
    "next_proposal_state",
    "pending_proposal_for_case",
    "proposals_for_case",
    "set_outcome",
    "verified_proposal",
]


class ProposalState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ProposalEvent(StrEnum):
    APPROVE = "approve"  # a second moderator approves; enforce applies the decision
    REJECT = "reject"  # a second moderator refuses it, saying why
    WITHDRAW = "withdraw"  # the proposer takes it back


TRANSITIONS: Mapping[tuple[ProposalState, ProposalEvent], ProposalState] = MappingProxyType(
    {
        (ProposalState.PROPOSED, ProposalEvent.APPROVE): ProposalState.APPROVED,
        (ProposalState.PROPOSED, ProposalEvent.REJECT): ProposalState.REJECTED,
        (ProposalState.PROPOSED, ProposalEvent.WITHDRAW): ProposalState.WITHDRAWN,
    }
)


class ProposalNotFoundError(ModerationError, NotFoundError):
    """Raised when no proposal has the id asked for (or a case has none pending)."""


class ProposalTransitionError(ModerationError, ConflictError):
    """Raised when a proposal is no longer pending (approved, rejected or withdrawn)."""


@dataclass(frozen=True)
class Proposal:
    """A proposed decision and what became of it. `window_id` is the election window whose
    rule asked for a second moderator (None: the proposer asked for one of their own accord)."""

    id: int
    decision: Decision
    state: ProposalState
    window_id: int | None
    created_at: datetime
    decided_by: int | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    action_id: int | None = None

    @property
    def proposer_id(self) -> int:
        return self.decision.actor_id


def next_proposal_state(state: ProposalState, event: ProposalEvent) -> ProposalState:
    """The state `event` leads to, or `ProposalTransitionError`."""
    found = TRANSITIONS.get((state, event))
    if found is None:
        raise ProposalTransitionError(
            f"proposal is {state.value}: only a pending proposal can be {event.value}d"
        )
    return found


def insert_proposal(
    conn: Connection,
    ids: SnowflakeGenerator,
    decision: Decision,
    window_id: int | None,
    now: datetime,
) -> Proposal:
    """Record `decision` (without an approval) as proposed, in the caller's transaction."""
    proposal = Proposal(
        ids.next_id(), replace(decision, approval=None), ProposalState.PROPOSED, window_id, now
    )
    conn.execute(
        insert(moderation_proposals),
        {
            "id": proposal.id,
            "case_id": decision.case_id,
            "proposer_id": decision.actor_id,
            "decision": _record(proposal.decision),
            "window_id": window_id,
            "state": proposal.state.value,
            "created_at": now,
        },
    )
    return proposal


def load_proposal(conn: Connection, proposal_id: int) -> Proposal:
    row = conn.execute(
        select(moderation_proposals).where(moderation_proposals.c.id == proposal_id)
    ).first()
    if row is None:
        raise ProposalNotFoundError(f"proposal {proposal_id}: no such proposal")
    return _proposal(row)


def proposals_for_case(conn: Connection, case_id: int) -> list[Proposal]:
    query = (
        select(moderation_proposals)
        .where(moderation_proposals.c.case_id == case_id)
        .order_by(moderation_proposals.c.id)
    )
    return [_proposal(row) for row in conn.execute(query)]


def pending_proposal_for_case(conn: Connection, case_id: int) -> Proposal:
    pending = [p for p in proposals_for_case(conn, case_id) if p.state == ProposalState.PROPOSED]
    if not pending:
        raise ProposalNotFoundError(f"case {case_id}: no decision awaits a second moderator")
    return pending[-1]


def verified_proposal(conn: Connection, decision: Decision, affected: int | None) -> Proposal:
    """The pending proposal `decision.approval` names, once checked: (1) it exists and is
    pending, (2) the decision is exactly the one proposed, by the same moderator, (3) the
    approver is another moderator, who is not the one the decision affects."""
    approval = decision.approval
    if approval is None:
        raise InvalidDecisionError("approval: expected the second moderator's approval")
    # (1)
    proposal = load_proposal(conn, approval.proposal_id)
    next_proposal_state(proposal.state, ProposalEvent.APPROVE)
    # (2)
    if _record(replace(decision, approval=None)) != _record(proposal.decision):
        raise InvalidDecisionError(
            f"approval: proposal {proposal.id} was for another decision; approve it as proposed"
        )
    # (3)
    if approval.approver_id == proposal.proposer_id:
        raise SecondModeratorRequiredError(
            f"proposal {proposal.id}: expected a second moderator, found its proposer approving"
        )
    require_moderator(conn, approval.approver_id, to="to approve")
    if approval.approver_id == affected:
        raise OwnContentError("a moderator never approves a decision about their own content")
    return proposal


def mark_approved(conn: Connection, decision: Decision, action_id: int, now: datetime) -> None:
    """proposed → approved, in `enforce`'s transaction, if still pending."""
    approval = decision.approval
    if approval is None:
        raise InvalidDecisionError("approval: expected the second moderator's approval")
    values = {"decided_by": approval.approver_id, "decided_at": now, "action_id": action_id}
    set_outcome(conn, approval.proposal_id, ProposalEvent.APPROVE, values)


def set_outcome(
    conn: Connection, proposal_id: int, event: ProposalEvent, values: Mapping[str, object]
) -> None:
    """Run `event` on a pending proposal, guarded so two moderators cannot both settle it."""
    new = next_proposal_state(ProposalState.PROPOSED, event)
    changed = conn.execute(
        update(moderation_proposals)
        .where(
            moderation_proposals.c.id == proposal_id,
            moderation_proposals.c.state == ProposalState.PROPOSED.value,
        )
        .values(state=new.value, **values)
    )
    if changed.rowcount != 1:
        raise ProposalTransitionError(
            f"proposal {proposal_id}: settled by another moderator meanwhile"
        )


def _proposal(row: Row[tuple[object, ...]]) -> Proposal:
    values = row._mapping
    return Proposal(
        id=values["id"],
        decision=_decision(json.loads(values["decision"])),
        state=ProposalState(values["state"]),
        window_id=values["window_id"],
        created_at=values["created_at"],
        decided_by=values["decided_by"],
        decided_at=values["decided_at"],
        reason=values["reason"],
        action_id=values["action_id"],
    )


def _record(decision: Decision) -> str:
    """The decision as canonical JSON (sorted keys, dates in ISO 8601, target tagged)."""
    fields = asdict(replace(decision, approval=None))
    fields["target"] = _target_record(decision.target)
    fields["action"] = decision.action.value
    fields["ends_at"] = decision.ends_at.isoformat() if decision.ends_at else None
    fields["surfaces"] = [s.value for s in decision.surfaces]
    fields["territorial_scope"] = list(decision.territorial_scope)
    del fields["approval"]
    return json.dumps(fields, sort_keys=True, ensure_ascii=False)


def _target_record(target: Target) -> dict[str, Any]:
    if isinstance(target, PostTarget):
        return {"kind": "post", "id": target.post_id}
    if isinstance(target, AccountTarget):
        return {"kind": "account", "id": target.account_id}
    return {"kind": "url", "url": target.url}


def _decision(fields: dict[str, Any]) -> Decision:
    target = fields.pop("target")
    kind = target["kind"]
    built: Target = (
        PostTarget(target["id"])
        if kind == "post"
        else AccountTarget(target["id"])
        if kind == "account"
        else UrlTarget(target["url"])
    )
    ends = fields.pop("ends_at")
    return Decision(
        **{
            **fields,
            "target": built,
            "action": ActionKind(fields["action"]),
            "ends_at": datetime.fromisoformat(ends) if ends else None,
            "surfaces": tuple(Surface(s) for s in fields["surfaces"]),
            "territorial_scope": tuple(fields["territorial_scope"]),
        }
    )
