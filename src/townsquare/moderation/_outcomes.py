"""Where a decided case stands now: what was decided, whether it was appealed and with what
result, and what is in force today. Pages read this rather than recompute it from the case,
which only remembers the first decision ("Removal" long after an appeal reversed it).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from townsquare.ledger import JSON, decode_entry
from townsquare.moderation._appeals import AppealState
from townsquare.moderation._policies import ActionKind
from townsquare.moderation._projection import RESTRICTING_ACTIONS, is_in_force
from townsquare.storage.tables import moderation_actions, moderation_appeals, moderation_cases

__all__ = ["CaseOutcome", "case_outcome"]

_NOT_AUTOMATED = frozenset({None, "AUTOMATED_DECISION_NOT_AUTOMATED"})


@dataclass(frozen=True)
class CaseOutcome:
    """A decided case's outcome as it stands at `now` (what `case_outcome` was asked for).

    - `decided`: the action the case's decision took (`NO_ACTION` included), by
      `action_id`, on `decided_at`, citing `clause` ("id@version"), whose title the
      statement logged by language in `clause_title` ({"en": …, "fr": …}).
    - `facts`: the facts and circumstances its statement of reasons states, as logged.
    - `on_account`: the decision was about an account (not a post or a link);
      `automated`: an automated rule took it; `two_moderators`: a second moderator
      approved it (an election window's two-person rule).
    - `appeal`: the state of the latest appeal of that decision (None: never appealed);
      `reversed` / `upheld`: whether any appeal reversed it / the appeals upheld it;
      `appeal_reasons`: the reviewer's reasons for the latest decided appeal.
    - `in_force`: what holds now. The decided action while it still restricts (or, for a
      warning or no action, the decision itself); None once it was lifted, it ran out, or
      (a warning) an appeal withdrew it.
    - `lifted_by`: the restoration that lifted it, if one did (an appeal's, or a
      moderator's own); `ends_at`: when it runs out by itself, if it does.
    """

    case_id: int
    action_id: int
    decided: ActionKind
    decided_at: datetime
    clause: str
    clause_title: Mapping[str, str]
    facts: str
    on_account: bool
    automated: bool
    two_moderators: bool
    appeal: AppealState | None
    reversed: bool
    upheld: bool
    appeal_reasons: str | None
    in_force: ActionKind | None
    lifted_by: int | None
    ends_at: datetime | None

    @property
    def changed(self) -> bool:
        """Whether what holds now differs from what was first decided."""
        return self.in_force != self.decided


def case_outcome(conn: Connection, case_id: int, now: datetime) -> CaseOutcome | None:
    """The case's outcome at `now`; None while it has no decision."""
    case_query = select(moderation_cases.c.action_id).where(moderation_cases.c.id == case_id)
    action_id = conn.execute(case_query).scalar()
    if action_id is None:
        return None
    action = conn.execute(
        select(moderation_actions).where(moderation_actions.c.id == action_id)
    ).one()
    decided = ActionKind(action.kind)
    statement = decode_entry(action.entry).fields
    facts = statement.get("decision_facts")
    appeals = conn.execute(
        select(moderation_appeals.c.state, moderation_appeals.c.outcome_reasons)
        .where(moderation_appeals.c.action_id == action_id)
        .order_by(moderation_appeals.c.id)
    ).all()
    states = [AppealState(row.state) for row in appeals]
    reasons = [row.outcome_reasons for row in appeals if row.outcome_reasons]
    lifted_by = conn.execute(
        select(moderation_actions.c.id).where(moderation_actions.c.restores_id == action_id)
    ).scalar()
    return CaseOutcome(
        case_id=case_id,
        action_id=action_id,
        decided=decided,
        decided_at=action.created_at,
        clause=action.clause,
        clause_title=_titles(statement.get("clause_title")),
        facts=facts if isinstance(facts, str) else "",
        on_account=action.target_kind == "account",
        automated=statement.get("automated_decision") not in _NOT_AUTOMATED,
        two_moderators=statement.get("second_moderator_approval") is True,
        appeal=states[-1] if states else None,
        reversed=AppealState.REVERSED in states,
        upheld=AppealState.UPHELD in states and AppealState.REVERSED not in states,
        appeal_reasons=reasons[-1] if reasons else None,
        in_force=(
            None
            if decided == ActionKind.WARN and AppealState.REVERSED in states
            else _in_force(conn, decided, action_id, action.ends_at, now)
        ),
        lifted_by=lifted_by,
        ends_at=action.ends_at,
    )


def _in_force(
    conn: Connection, decided: ActionKind, action_id: int, ends_at: datetime | None, now: datetime
) -> ActionKind | None:
    if decided not in RESTRICTING_ACTIONS:
        return decided
    running = ends_at is None or ends_at > now
    return decided if running and is_in_force(conn, action_id) else None


def _titles(logged: JSON) -> Mapping[str, str]:
    if not isinstance(logged, Mapping):
        return {}
    return {language: title for language, title in logged.items() if isinstance(title, str)}
