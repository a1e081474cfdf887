"""What a decision would log, before anyone enforces it: the case page's preview step."""

from dataclasses import dataclass, replace

from townsquare.ledger import JSON
from townsquare.moderation._decisions import Approval, Decision, check_decision
from townsquare.moderation._elections import ElectionWindow
from townsquare.moderation._enforce import Enforcement, authorize
from townsquare.moderation._reasons import Circumstances, statement_of_reasons

__all__ = ["StatementPreview", "preview_statement"]


@dataclass(frozen=True)
class StatementPreview:
    """The statement of reasons `enforce` would log (its action id not yet assigned), and the
    election window whose two-person rule makes the decision a proposal first (or None)."""

    fields: dict[str, JSON]
    election_window: ElectionWindow | None


def preview_statement(given: Enforcement, decision: Decision) -> StatementPreview:
    """Run `enforce`'s checks (1) and build its statement (2) in a read transaction, so every
    refusal `enforce` would raise is raised here; write nothing."""
    check_decision(decision)
    clause = given.policies.clause(decision.clause)
    with given.db.read() as conn:
        now = given.clock.now()
        allowed = authorize(conn, decision, clause, now)
    window = allowed.election_window
    if window is not None and decision.approval is None:
        # What will be logged once a second moderator approves it.
        decision = replace(decision, approval=Approval(0, 0))
    facts = Circumstances(
        0,
        now,
        allowed.affected_account_id,
        allowed.content_date,
        window.id if window else None,
        allowed.source_type,
    )
    fields = statement_of_reasons(decision, clause, facts)
    del fields["action_id"]
    return StatementPreview(fields, window)
