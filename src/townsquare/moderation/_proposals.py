"""`Proposals`: the handlers of the proposal state machine (`_proposal_records`).

`decide` is how a workflow applies a decision: it enforces it, unless an election window's
two-person rule governs it, in which case it records a proposal instead. A different
moderator then approves it (`enforce` applies it, exactly as proposed, and settles the
proposal in the same transaction) or rejects it with reasons; the proposer may withdraw it.
"""

from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection

from townsquare.moderation._decisions import Action, Approval, Decision, check_decision
from townsquare.moderation._enforce import (
    Authorized,
    Enforce,
    Enforcement,
    authorize,
    joined_transaction,
)
from townsquare.moderation._errors import InvalidDecisionError
from townsquare.moderation._proposal_records import (
    Proposal,
    ProposalEvent,
    insert_proposal,
    load_proposal,
    set_outcome,
)
from townsquare.moderation._roles import require_moderator

__all__ = ["Proposals"]

_MAX_REASON = 5000


class Proposals:
    """Proposals and their approval. `enforce` MUST be `Moderation.enforce`, over `given`."""

    def __init__(self, given: Enforcement, enforce: Enforce) -> None:
        self._given = given
        self._enforce = enforce

    def decide(self, decision: Decision, *, conn: Connection | None = None) -> Action | Proposal:
        """Enforce `decision`, or record it as a proposal if a second moderator must approve
        it. With `conn`, both write in the caller's transaction (see `Enforce`)."""
        with joined_transaction(self._given.db, conn) as writing:
            allowed = self._authorized(writing, decision)
            window = allowed.election_window
            if window is None or decision.approval is not None:
                return self._enforce(decision, conn=writing)
            return insert_proposal(writing, self._given.ids, decision, window.id, self._now())

    def propose(self, decision: Decision, *, conn: Connection | None = None) -> Proposal:
        """Ask a second moderator to approve `decision`, whether a window requires it or not."""
        with joined_transaction(self._given.db, conn) as writing:
            allowed = self._authorized(writing, decision)
            window_id = allowed.election_window.id if allowed.election_window else None
            return insert_proposal(writing, self._given.ids, decision, window_id, self._now())

    def approve(
        self, proposal_id: int, approver_id: int, *, conn: Connection | None = None
    ) -> Action:
        """Enforce the proposed decision with `approver_id`'s approval (checked by `enforce`)."""
        with joined_transaction(self._given.db, conn) as writing:
            proposal = load_proposal(writing, proposal_id)
            approved = replace(proposal.decision, approval=Approval(proposal_id, approver_id))
            return self._enforce(approved, conn=writing)

    def reject(
        self,
        proposal_id: int,
        moderator_id: int,
        reason: str,
        *,
        conn: Connection | None = None,
    ) -> Proposal:
        """A second moderator rejects the proposal; its proposer, doing so, withdraws it."""
        text = reason.strip()
        if not 0 < len(text) <= _MAX_REASON:
            raise InvalidDecisionError(
                f"reason: expected 1 to {_MAX_REASON} characters saying why it is refused"
            )
        with joined_transaction(self._given.db, conn) as writing:
            proposal = load_proposal(writing, proposal_id)
            withdrawing = moderator_id == proposal.proposer_id
            if not withdrawing:
                require_moderator(writing, moderator_id, to="to reject a proposal")
            event = ProposalEvent.WITHDRAW if withdrawing else ProposalEvent.REJECT
            values = {"decided_by": moderator_id, "decided_at": self._now(), "reason": text}
            set_outcome(writing, proposal_id, event, values)
            return load_proposal(writing, proposal_id)

    def get(self, proposal_id: int) -> Proposal:
        with self._given.db.read() as conn:
            return load_proposal(conn, proposal_id)

    def _authorized(self, conn: Connection, decision: Decision) -> Authorized:
        check_decision(decision)
        clause = self._given.policies.clause(decision.clause)
        return authorize(conn, decision, clause, self._now())

    def _now(self) -> datetime:
        return self._given.clock.now()
