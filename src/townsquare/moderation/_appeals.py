"""Appeals (DSA Art. 20; Santa Clara 2.0, "Appeal"): a decision reviewed by someone else.

The workflow is a declared state machine, `TRANSITIONS`: an appeal is `filed` by the author
of the affected content (or, for a decision to take no action, by someone who reported it),
`assigned` to a moderator who did not take the decision, then `upheld` or `reversed` with
reasons. The outcome is a `moderation.appeal` ledger entry; a reversal of a restriction still
in force restores visibility through `enforce` (a RESTORE decision citing the original
action), never by writing the projection here, in the transaction that records the outcome.

The reviewer sees a pseudonym, never the appellant's handle or id. Overturn rates are public.
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, select, update

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.ledger import JSON, encode_entry
from townsquare.moderation._appeal_errors import (
    AppealNotFoundError,
    AppealTransitionError,
    AppealWindowClosedError,
    InvalidAppealError,
    NotAppealReviewerError,
    NotAppellantError,
    SameModeratorError,
)
from townsquare.moderation._decisions import (
    AccountTarget,
    Decision,
    PostTarget,
    Target,
    UrlTarget,
)
from townsquare.moderation._enforce import Enforce, EntryLog
from townsquare.moderation._policies import ActionKind
from townsquare.moderation._projection import RESTRICTING_ACTIONS, is_in_force
from townsquare.moderation._roles import require_moderator
from townsquare.storage import Database, insert_ignoring_conflicts
from townsquare.storage.tables import (
    moderation_actions,
    moderation_appeals,
    moderation_reports,
)

__all__ = [
    "APPEAL_ENTRY_TYPE",
    "APPEAL_ENTRY_VERSION",
    "APPEAL_WINDOW_MONTHS",
    "TRANSITIONS",
    "Appeal",
    "AppealState",
    "Appeals",
    "ClauseRate",
    "OverturnRates",
    "appeal_deadline",
    "appeal_entry",
    "next_state",
    "overturn_rates",
    "pseudonym",
]

APPEAL_ENTRY_TYPE = "moderation.appeal"
APPEAL_ENTRY_VERSION = 1
APPEAL_WINDOW_MONTHS = 6  # DSA Art. 20(1): "for a period of at least six months"
_MAX_REASON = 5000


class AppealState(StrEnum):
    FILED = "filed"
    ASSIGNED = "assigned"
    UPHELD = "upheld"
    REVERSED = "reversed"


TRANSITIONS: Mapping[AppealState, frozenset[AppealState]] = {
    AppealState.FILED: frozenset({AppealState.ASSIGNED}),
    AppealState.ASSIGNED: frozenset({AppealState.UPHELD, AppealState.REVERSED}),
    AppealState.UPHELD: frozenset(),
    AppealState.REVERSED: frozenset(),
}
"""The only moves an appeal makes; the handlers are `Appeals.assign` and `Appeals.decide`."""


def next_state(current: AppealState, wanted: AppealState) -> AppealState:
    """`wanted`, if `TRANSITIONS` allows it from `current`; else `AppealTransitionError`."""
    if wanted not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing (it is final)"
        raise AppealTransitionError(
            f"appeal: a {current} appeal may move to {allowed}, not to {wanted}"
        )
    return wanted


def appeal_deadline(decided_at: datetime) -> datetime:
    """Six calendar months after the decision (the day is clamped: 31 Aug → 28/29 Feb)."""
    months = decided_at.month - 1 + APPEAL_WINDOW_MONTHS
    year, month = decided_at.year + months // 12, months % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return decided_at.replace(year=year, month=month, day=min(decided_at.day, days))


def pseudonym(appeal_id: int) -> str:
    """What the reviewer calls the appellant: derived from the appeal, not the account, so
    two appeals by one person cannot be linked and no handle can be recovered."""
    digest = hashlib.sha256(f"townsquare-appeal:{appeal_id}".encode()).hexdigest()
    return f"appellant-{digest[:10]}"


@dataclass(frozen=True)
class Appeal:
    """An appeal as the reviewer may see it: the appellant only as `appellant` (a pseudonym)."""

    id: int
    action_id: int
    action: ActionKind
    clause: str
    state: AppealState
    appellant: str
    appellant_role: str
    reason: str
    filed_at: datetime
    reviewer_id: int | None
    outcome_reasons: str | None
    decided_at: datetime | None
    restore_action_id: int | None


def appeal_entry(appeal: Appeal) -> dict[str, JSON]:
    """The `moderation.appeal` entry's fields: ids as strings, no content, no identities
    beyond the appellant's pseudonym (pure)."""
    return {
        "appeal_id": str(appeal.id),
        "action_id": str(appeal.action_id),
        "action": appeal.action.value,
        "clause": appeal.clause,
        "appellant": appeal.appellant,
        "appellant_role": appeal.appellant_role,
        "outcome": appeal.state.value,
        "outcome_reasons": appeal.outcome_reasons,
        "filed_at": appeal.filed_at.isoformat(),
        "decided_at": appeal.decided_at.isoformat() if appeal.decided_at else None,
        "restore_action_id": _id(appeal.restore_action_id),
    }


def decided_entry(appeal: Appeal) -> bytes:
    """The `moderation.appeal` ledger entry of a decided appeal, exactly as it was logged:
    a receipt recomputes it from the stored appeal to find it in the tree (pure)."""
    return encode_entry(APPEAL_ENTRY_TYPE, APPEAL_ENTRY_VERSION, appeal_entry(appeal))


@dataclass(frozen=True)
class ClauseRate:
    clause: str
    decided: int
    reversed: int

    @property
    def rate(self) -> float:
        return self.reversed / self.decided if self.decided else 0.0


@dataclass(frozen=True)
class OverturnRates:
    """Appeals decided and reversed, overall and per clause id (any version)."""

    decided: int
    reversed: int
    per_clause: tuple[ClauseRate, ...]

    @property
    def rate(self) -> float:
        return self.reversed / self.decided if self.decided else 0.0


def overturn_rates(outcomes: Iterable[tuple[str, AppealState]]) -> OverturnRates:
    """Rates over (clause cited, outcome) pairs of decided appeals (pure)."""
    counts: dict[str, list[int]] = {}
    for clause, outcome in outcomes:
        tally = counts.setdefault(clause.partition("@")[0], [0, 0])
        tally[0] += 1
        tally[1] += outcome == AppealState.REVERSED
    per_clause = tuple(ClauseRate(c, d, r) for c, (d, r) in sorted(counts.items()))
    return OverturnRates(
        decided=sum(c.decided for c in per_clause),
        reversed=sum(c.reversed for c in per_clause),
        per_clause=per_clause,
    )


@dataclass(frozen=True)
class AppealContext:
    """What appeals are given: the database, the ledger, `enforce`, the clock and ids."""

    db: Database
    log: EntryLog
    enforce: Enforce
    clock: Clock
    ids: SnowflakeGenerator


class Appeals:
    """File, assign and decide appeals; list them for reviewers; publish overturn rates."""

    def __init__(self, context: AppealContext) -> None:
        self._given = context

    def file(self, appellant_id: int, action_id: int, reason: str) -> Appeal:
        """(1) The decision exists and is appealable; (2) the appellant is its author, or a
        reporter of a no-action decision; (3) within six months; (4) once per person."""
        reason = _checked_text("reason", reason)
        now = self._given.clock.now()
        with self._given.db.write() as conn:
            action = _action(conn, action_id)  # (1)
            role = _appellant_role(conn, action, appellant_id)  # (2)
            deadline = appeal_deadline(action.created_at)
            if now > deadline:  # (3)
                raise AppealWindowClosedError(
                    f"action {action_id}: appeals closed on {deadline.date().isoformat()}"
                )
            appeal_id = self._given.ids.next_id()
            row = {"id": appeal_id, "action_id": action_id, "appellant_id": appellant_id}
            details = {"appellant_role": role, "reason": reason, "filed_at": now}
            _insert_once(conn, {**row, **details, "state": "filed"})  # (4)
            return _appeal(conn, appeal_id)

    def assign(self, appeal_id: int, reviewer_id: int) -> Appeal:
        """filed → assigned, to a moderator who neither took the decision nor is affected."""
        with self._given.db.write() as conn:
            appeal = _appeal(conn, appeal_id)
            next_state(appeal.state, AppealState.ASSIGNED)
            require_moderator(conn, reviewer_id)
            _check_uninvolved(conn, appeal_id, reviewer_id)
            values = {"state": "assigned", "reviewer_id": reviewer_id}
            _move(conn, appeal, {**values, "assigned_at": self._given.clock.now()})
            return _appeal(conn, appeal_id)

    def decide(
        self, appeal_id: int, reviewer_id: int, outcome: AppealState, reasons: str
    ) -> Appeal:
        """assigned → upheld | reversed, by the assigned reviewer, with reasons, in ONE
        transaction (any refusal undoes it all):

        (1) Check the move and the reviewer.
        (2) On a reversal of a restriction still in force, `enforce` a RESTORE citing it
            (`enforce` is the one writer of visibility; it writes in this transaction).
        (3) Record the outcome and append its ledger entry.
        """
        reasons = _checked_text("reasons", reasons)
        with self._given.db.write() as conn:
            # (1)
            appeal = _appeal(conn, appeal_id)
            next_state(appeal.state, outcome)
            if appeal.reviewer_id != reviewer_id:
                raise NotAppealReviewerError(f"appeal {appeal_id}: assigned to another moderator")
            original = _action(conn, appeal.action_id)
            # (2)
            restore_id = None
            if outcome == AppealState.REVERSED and _restorable(conn, original):
                facts = f"Appeal {appeal_id} reversed this decision: {reasons}"
                restore = _restore_decision(original, reviewer_id, facts[:_MAX_REASON])
                restore_id = self._given.enforce(restore, conn=conn).id
            # (3)
            values: dict[str, object] = {"state": outcome.value, "outcome_reasons": reasons}
            values |= {"decided_at": self._given.clock.now(), "restore_action_id": restore_id}
            _move(conn, appeal, values)
            decided = _appeal(conn, appeal_id)
            self._given.log.append(conn, decided_entry(decided))
            return decided

    def state_of(self, appeal_id: int) -> AppealState:
        """Where the appeal is in `TRANSITIONS`; `AppealNotFoundError` if there is none."""
        with self._given.db.read() as conn:
            return _appeal(conn, appeal_id).state

    def pending(self, reviewer_id: int) -> list[Appeal]:
        """Appeals not yet decided, oldest first, for a moderator (blind: pseudonyms only)."""
        with self._given.db.read() as conn:
            require_moderator(conn, reviewer_id)
            query = select(moderation_appeals.c.id).where(
                moderation_appeals.c.state.in_(["filed", "assigned"])
            )
            ids = conn.execute(query.order_by(moderation_appeals.c.id)).scalars().all()
            return [_appeal(conn, appeal_id) for appeal_id in ids]

    def filed_by(self, appellant_id: int) -> list[Appeal]:
        """The appellant's own appeals, newest first (to track their progress)."""
        with self._given.db.read() as conn:
            query = select(moderation_appeals.c.id).where(
                moderation_appeals.c.appellant_id == appellant_id
            )
            ids = conn.execute(query.order_by(moderation_appeals.c.id.desc())).scalars().all()
            return [_appeal(conn, appeal_id) for appeal_id in ids]

    def overturn_rates(self) -> OverturnRates:
        """Public: appeals decided, reversed, and the rate, overall and per clause."""
        query = (
            select(moderation_actions.c.clause, moderation_appeals.c.state)
            .join(moderation_actions, moderation_actions.c.id == moderation_appeals.c.action_id)
            .where(moderation_appeals.c.state.in_(["upheld", "reversed"]))
        )
        with self._given.db.read() as conn:
            rows = conn.execute(query).all()
        return overturn_rates((row.clause, AppealState(row.state)) for row in rows)


def decided_appeal_entries(conn: Connection, action_ids: Iterable[int]) -> list[bytes]:
    """The `moderation.appeal` entries logged for decided appeals of these actions."""
    query = select(moderation_appeals.c.id).where(
        moderation_appeals.c.action_id.in_(list(action_ids)),
        moderation_appeals.c.state.in_([AppealState.UPHELD.value, AppealState.REVERSED.value]),
    )
    ids = conn.execute(query.order_by(moderation_appeals.c.id)).scalars().all()
    return [decided_entry(_appeal(conn, appeal_id)) for appeal_id in ids]


def _checked_text(name: str, text: str) -> str:
    text = text.strip()
    if not 0 < len(text) <= _MAX_REASON:
        raise InvalidAppealError(f"{name}: expected 1 to {_MAX_REASON} characters")
    return text


def _action(conn: Connection, action_id: int) -> Row[Any]:
    row = conn.execute(
        select(moderation_actions).where(moderation_actions.c.id == action_id)
    ).first()
    if row is None:
        raise AppealNotFoundError(f"action {action_id}: no such decision")
    if row.kind == ActionKind.RESTORE.value:
        raise InvalidAppealError(f"action {action_id}: a restore is itself an appeal's remedy")
    return row


def _appellant_role(conn: Connection, action: Row[Any], appellant_id: int) -> str:
    """Art. 20(1): the affected recipient; for a decision not to act, those who reported it."""
    if action.account_id == appellant_id:
        return "author"
    if action.kind == ActionKind.NO_ACTION.value and _reported(conn, action, appellant_id):
        return "reporter"
    raise NotAppellantError(
        f"action {action.id}: only its author (or, for no action, a reporter) may appeal"
    )


def _reported(conn: Connection, action: Row[Any], account_id: int) -> bool:
    if action.case_id is None:
        return False
    query = select(moderation_reports.c.id).where(
        moderation_reports.c.case_id == action.case_id,
        moderation_reports.c.reporter_id == account_id,
    )
    return conn.execute(query).first() is not None


def _insert_once(conn: Connection, row: Mapping[str, object]) -> None:
    """Store the appeal unless this person already appealed this decision. The unique key
    decides, not a read before the insert: appeals filed at once would all pass a read, and
    the constraint lets exactly one in (docs/design/unique-writes.md); the others are told so."""
    key = ("action_id", "appellant_id")
    if not insert_ignoring_conflicts(conn, moderation_appeals, [dict(row)], on=key):
        raise AppealWindowClosedError(f"action {row['action_id']}: you have already appealed it")


def _check_uninvolved(conn: Connection, appeal_id: int, reviewer_id: int) -> None:
    query = select(
        moderation_actions.c.actor_id, moderation_actions.c.account_id, moderation_appeals
    ).join(moderation_actions, moderation_actions.c.id == moderation_appeals.c.action_id)
    row = conn.execute(query.where(moderation_appeals.c.id == appeal_id)).one()
    if reviewer_id == row.actor_id:
        raise SameModeratorError(
            f"appeal {appeal_id}: the moderator who decided may not review it; assign another"
        )
    if reviewer_id in {row.appellant_id, row.account_id}:
        raise SameModeratorError(f"appeal {appeal_id}: a party to the decision may not review it")


def _move(conn: Connection, appeal: Appeal, values: Mapping[str, object]) -> None:
    """Write the move, guarded on the state read: a concurrent move makes this one fail."""
    moved = conn.execute(
        update(moderation_appeals)
        .where(moderation_appeals.c.id == appeal.id)
        .where(moderation_appeals.c.state == appeal.state.value)
        .values(**values)
    )
    if moved.rowcount != 1:
        raise AppealTransitionError(f"appeal {appeal.id}: it moved while this was decided")


def _restorable(conn: Connection, original: Row[Any]) -> bool:
    return ActionKind(original.kind) in RESTRICTING_ACTIONS and is_in_force(conn, original.id)


def _restore_decision(original: Row[Any], reviewer_id: int, facts: str) -> Decision:
    target: Target
    if original.target_kind == "post":
        target = PostTarget(original.post_id)
    elif original.target_kind == "account":
        target = AccountTarget(original.account_id)
    else:
        target = UrlTarget(original.url)
    return Decision(
        actor_id=reviewer_id,
        action=ActionKind.RESTORE,
        target=target,
        clause=original.clause,
        facts=facts,
        restores=original.id,
    )


def _appeal(conn: Connection, appeal_id: int) -> Appeal:
    query = (
        select(moderation_appeals, moderation_actions.c.kind, moderation_actions.c.clause)
        .join(moderation_actions, moderation_actions.c.id == moderation_appeals.c.action_id)
        .where(moderation_appeals.c.id == appeal_id)
    )
    row = conn.execute(query).first()
    if row is None:
        raise AppealNotFoundError(f"appeal {appeal_id}: no such appeal")
    return Appeal(
        id=row.id,
        action_id=row.action_id,
        action=ActionKind(row.kind),
        clause=row.clause,
        state=AppealState(row.state),
        appellant=pseudonym(row.id),
        appellant_role=row.appellant_role,
        reason=row.reason,
        filed_at=row.filed_at,
        reviewer_id=row.reviewer_id,
        outcome_reasons=row.outcome_reasons,
        decided_at=row.decided_at,
        restore_action_id=row.restore_action_id,
    )


def _id(value: int | None) -> str | None:
    return None if value is None else str(value)
