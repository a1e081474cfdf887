"""Appeals (DSA Art. 20; Santa Clara 2.0, "Appeal"): a decision reviewed by someone else.

The workflow is a declared state machine, `TRANSITIONS`: an appeal is `filed` by someone
with the right to (`appeal_right`: the author of a restricted post or account, or, for a
decision to take no action, someone who reported it), `assigned` to a moderator who took no
part in the decision, then `upheld` or `reversed` with reasons. The outcome is a
`moderation.appeal` ledger entry; a reversal of a restriction still in force restores
visibility through `enforce` (a RESTORE decision citing the original action), never by
writing the projection here, in the transaction that records the outcome, which also
notifies the appellant.

The reviewer sees a pseudonym, never the appellant's handle or id. Overturn rates are public.
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    exists,
    func,
    not_,
    or_,
    select,
    update,
)

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.ledger import JSON, encode_entry
from townsquare.microblog import NotificationType, record_moderation_notification
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
    moderation_proposals,
    moderation_reports,
)

__all__ = [
    "ADVERSE_ACTIONS",
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
    "appeal_right",
    "next_state",
    "overturn_rates",
    "pseudonym",
]

APPEAL_ENTRY_TYPE = "moderation.appeal"
APPEAL_ENTRY_VERSION = 1
APPEAL_WINDOW_MONTHS = 6  # DSA Art. 20(1): "for a period of at least six months"
ADVERSE_ACTIONS = RESTRICTING_ACTIONS | {ActionKind.WARN}
"""Decisions against the account they concern, which its owner may appeal: those that
restrict, and a warning, which restricts nothing but stays on the account's record."""
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
        """(1) The decision exists; (2) the appellant has the right to appeal it
        (`appeal_right`); (3) within six months; (4) once per person."""
        reason = _checked_text("reason", reason)
        now = self._given.clock.now()
        with self._given.db.write() as conn:
            action = _action(conn, action_id)  # (1)
            role = appeal_right(conn, action, appellant_id)  # (2)
            if role is None:
                raise NotAppellantError(_no_right(action))
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

    def open_until(self, action_id: int, account_id: int) -> datetime | None:
        """Until when `account_id` may appeal the decision `action_id`: its deadline while
        `file` would accept them now (they have the right, the window is open, they have
        not appealed it yet); None otherwise, or when there is no such decision. Pages
        offer an appeal exactly when this says so."""
        with self._given.db.read() as conn:
            found = conn.execute(
                select(moderation_actions).where(moderation_actions.c.id == action_id)
            ).first()
            if found is None or appeal_right(conn, found, account_id) is None:
                return None
            appealed = select(moderation_appeals.c.id).where(
                moderation_appeals.c.action_id == action_id,
                moderation_appeals.c.appellant_id == account_id,
            )
            if conn.execute(appealed).first() is not None:
                return None
        deadline = appeal_deadline(found.created_at)
        return deadline if self._given.clock.now() <= deadline else None

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
        (3) Record the outcome, append its ledger entry, notify the appellant.
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
            self._tell_appellant(conn, appeal_id, original.id)
            return decided

    def _tell_appellant(self, conn: Connection, appeal_id: int, action_id: int) -> None:
        """(3): the appellant is notified; the link is to the notice of the decision they
        appealed, which shows the outcome and its reasons."""
        query = select(moderation_appeals.c.appellant_id).where(
            moderation_appeals.c.id == appeal_id
        )
        record_moderation_notification(
            conn,
            notification_id=self._given.ids.next_id(),
            recipient_id=conn.execute(query).scalar_one(),
            type_=NotificationType.APPEAL_DECIDED,
            action_id=action_id,
            created_at=self._given.clock.now(),
        )

    def state_of(self, appeal_id: int) -> AppealState:
        """Where the appeal is in `TRANSITIONS`; `AppealNotFoundError` if there is none."""
        with self._given.db.read() as conn:
            return _appeal(conn, appeal_id).state

    def pending(self, reviewer_id: int) -> list[Appeal]:
        """Appeals this moderator may decide, oldest first (blind: pseudonyms only): filed,
        or assigned to them, and about a decision they took no part in (`_involves`)."""
        waiting = or_(
            moderation_appeals.c.state == AppealState.FILED.value,
            (moderation_appeals.c.state == AppealState.ASSIGNED.value)
            & (moderation_appeals.c.reviewer_id == reviewer_id),
        )
        query = (
            select(moderation_appeals.c.id)
            .join(moderation_actions, moderation_actions.c.id == moderation_appeals.c.action_id)
            .where(waiting, not_(_involves(reviewer_id)))
        )
        with self._given.db.read() as conn:
            require_moderator(conn, reviewer_id)
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
    return row


def appeal_right(conn: Connection, action: Row[Any], account_id: int) -> str | None:
    """Who may appeal the decision `action` (a `moderation_actions` row), as what:

    - "author": the account it is against (`ADVERSE_ACTIONS`: a restricted post's author, a
      limited, suspended or warned account). DSA Art. 20(1)(a)-(c).
    - "reporter": someone who reported the case, when moderators decided to take no action.
      Art. 20(1) opens complaints to those who submitted a notice, "whether or not" the
      content was acted on; Santa Clara 2.0 asks for appeals of decisions to leave content
      up. A reporter who disagrees with the kind of action taken is not a party to it.
    - None: anyone else; and anyone at all for a restoration, which is in the author's
      favour.

    The notices offer the appeal form exactly when this says so, and `Appeals.file`
    refuses exactly when it does not (docs/design/appeal-rights.md).
    """
    kind = ActionKind(action.kind)
    if kind in ADVERSE_ACTIONS and action.account_id == account_id:
        return "author"
    if kind == ActionKind.NO_ACTION and _reported(conn, action, account_id):
        return "reporter"
    return None


def _no_right(action: Row[Any]) -> str:
    if ActionKind(action.kind) not in ADVERSE_ACTIONS | {ActionKind.NO_ACTION}:
        return f"action {action.id}: a {action.kind} is against no one, so it cannot be appealed"
    return (
        f"action {action.id}: only the account it is against, or (for a decision to take no "
        "action) someone who reported the case, may appeal it"
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


def _involves(reviewer_id: int) -> ColumnElement[bool]:
    """Over an appeal joined to its action: whether `reviewer_id` took part in the decision
    (took it, proposed it, or approved it as the second moderator) or is a party to it
    (appellant, or the account it affects). Such a moderator neither sees the appeal in
    their queue nor may review it (Santa Clara 2.0, Appeal: "not involved in the first
    decision"). Never NULL, so `not_` of it keeps the rows it should."""
    in_proposal = exists().where(
        moderation_proposals.c.action_id == moderation_appeals.c.action_id,
        or_(
            moderation_proposals.c.proposer_id == reviewer_id,
            moderation_proposals.c.decided_by == reviewer_id,
        ),
    )
    return or_(
        moderation_actions.c.actor_id == reviewer_id,
        moderation_appeals.c.appellant_id == reviewer_id,
        func.coalesce(moderation_actions.c.account_id, 0) == reviewer_id,
        in_proposal,
    )


def _check_uninvolved(conn: Connection, appeal_id: int, reviewer_id: int) -> None:
    query = (
        select(moderation_actions.c.actor_id, _involves(reviewer_id).label("involved"))
        .join(moderation_actions, moderation_actions.c.id == moderation_appeals.c.action_id)
        .where(moderation_appeals.c.id == appeal_id)
    )
    row = conn.execute(query).one()
    if reviewer_id == row.actor_id:
        raise SameModeratorError(
            f"appeal {appeal_id}: the moderator who decided may not review it; assign another"
        )
    if row.involved:
        raise SameModeratorError(
            f"appeal {appeal_id}: a moderator who took part in the decision, or a party to "
            "it, may not review it; assign another"
        )


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
