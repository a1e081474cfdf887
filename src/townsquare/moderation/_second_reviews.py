"""Blind second reviews of decisions drawn at random (docs/design/second-reviews.md).

A draw picks decisions on posts that no draw picked before, seeded by the latest signed
checkpoint (`_review_sample`), and logs an `audit.review_draw` entry in the transaction that
stores it. A moderator who took no part in a drawn decision then decides it again, blind:
they see the post and the reports, never the outcome, who decided it, or whose post it is.
Their answer is stored, not enforced: a second review changes nothing anyone sees, so it
does not go through `enforce`; the audit compares the two decisions.
"""

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NoReturn

from sqlalchemy import ColumnElement, Connection, Row, exists, func, not_, or_, select, update

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.ledger import leaf_hash
from townsquare.moderation._blind_review import post_item
from townsquare.moderation._entry_log import EntryLog
from townsquare.moderation._policies import ActionKind, PolicySet
from townsquare.moderation._policy_errors import UnknownClauseError
from townsquare.moderation._review_draw_entry import ReviewDraw, review_draw_entry
from townsquare.moderation._review_errors import (
    InvalidReviewError,
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
)
from townsquare.moderation._review_sample import DrawCandidate, draw_sample
from townsquare.moderation._roles import require_moderator
from townsquare.storage import Database
from townsquare.storage.tables import (
    ledger_checkpoints,
    ledger_entries,
    moderation_actions,
    moderation_proposals,
    moderation_reports,
    review_draws,
    second_reviews,
)

__all__ = ["MAX_DRAW", "SecondReviews", "answer_action", "latest_checkpoint_seed"]

MAX_DRAW = 1000  # keeps the draw's entry far below the ledger's 65,535-byte limit
# pg_advisory_xact_lock key, made like the sequencer's: the CRC-32 of a fixed name. Draws run
# one at a time, so each one's candidates leave out every decision an earlier draw picked, as
# a verifier reading the ledger in order does.
_DRAW_LOCK = zlib.crc32(b"townsquare.moderation.review-draw")
_reviews, _actions = second_reviews, moderation_actions


def answer_action(raw: str) -> ActionKind:
    """A reviewer's answer: `none` (or `no_action`) or an action kind a decision on a post
    can take; not `restore`, which undoes a decision rather than judging the post."""
    text = raw.strip()
    if text == "none":
        return ActionKind.NO_ACTION
    known = {kind.value: kind for kind in ActionKind if kind != ActionKind.RESTORE}
    if text not in known:
        choices = ", ".join(["none", *(a.value for a in ActionKind if a != ActionKind.RESTORE)])
        raise InvalidReviewError(f"action: expected one of {choices}, found {raw!r}")
    return known[text]


@dataclass(frozen=True)
class _Drawn:
    action_id: int
    candidate: DrawCandidate


class SecondReviews:
    """Draw decisions for second review; list, show (blind), take and answer them; read the
    completed ones. The clock and ids are given, so tests fix them."""

    def __init__(
        self,
        db: Database,
        log: EntryLog,
        policies: PolicySet,
        *,
        clock: Clock,
        ids: SnowflakeGenerator,
    ) -> None:
        self._db = db
        self._log = log
        self._policies = policies
        self._clock = clock
        self._ids = ids

    def draw(self, count: int) -> ReviewDraw:
        """Draw up to `count` decisions, in ONE transaction:

        (1) one draw at a time (PostgreSQL: an advisory lock; SQLite writes one at a time);
        (2) the seed: the latest signed checkpoint (`NoCheckpointError` if none holds an
            entry yet);
        (3) the candidates: decisions on posts, restorations excepted, whose entries that
            checkpoint covers, never drawn before;
        (4) the sample (`draw_sample`), stored, and its `audit.review_draw` entry appended.
        """
        if not 0 < count <= MAX_DRAW:
            raise InvalidReviewError(f"count: expected 1 to {MAX_DRAW}, found {count}")
        now = self._clock.now()
        with self._db.write() as conn:
            if conn.dialect.name == "postgresql":  # (1)
                conn.execute(select(func.pg_advisory_xact_lock(_DRAW_LOCK)))
            size, seed = latest_checkpoint_seed(conn)  # (2)
            candidates = _candidates(conn, size)  # (3)
            chosen = set(draw_sample((c.candidate for c in candidates), seed, count))  # (4)
            drawn = [c for c in candidates if c.candidate in chosen]
            result = ReviewDraw(
                id=self._ids.next_id(),
                drawn_at=now,
                tree_size=size,
                root_hash=seed,
                candidates=len(candidates),
                asked=count,
                drawn=tuple(sorted(c.candidate.index for c in drawn)),
            )
            self._store(conn, result, drawn)
            return result

    def _store(self, conn: Connection, draw: ReviewDraw, drawn: Iterable[_Drawn]) -> None:
        entry = review_draw_entry(draw)
        conn.execute(
            review_draws.insert().values(
                id=draw.id,
                drawn_at=draw.drawn_at,
                tree_size=draw.tree_size,
                root_hash=draw.root_hash,
                candidates=draw.candidates,
                leaf_hash=leaf_hash(entry),
            )
        )
        rows = [
            {
                "id": self._ids.next_id(),
                "draw_id": draw.id,
                "action_id": found.action_id,
                "decision_index": found.candidate.index,
            }
            for found in drawn
        ]
        if rows:
            conn.execute(_reviews.insert(), rows)
        self._log.append(conn, entry)

    def open_for(self, moderator_id: int) -> list[SecondReview]:
        """The reviews this moderator may do, oldest draw first: not answered, not taken by
        another, and about a decision they took no part in."""
        query = (
            select(_reviews.c.id)
            .join(_actions, _actions.c.id == _reviews.c.action_id)
            .join(review_draws, review_draws.c.id == _reviews.c.draw_id)
            .where(
                _reviews.c.reviewed_at.is_(None),
                or_(_reviews.c.reviewer_id.is_(None), _reviews.c.reviewer_id == moderator_id),
                not_(_involves(moderator_id)),
            )
            .order_by(review_draws.c.drawn_at, _reviews.c.id)
        )
        with self._db.read() as conn:
            require_moderator(conn, moderator_id, to="to review decisions again")
            ids = conn.execute(query).scalars().all()
            return [_review(conn, review_id) for review_id in ids]

    def blind(self, review_id: int, moderator_id: int) -> BlindReview:
        """The drawn decision as the reviewer decides on it: the post, the reports; not the
        outcome, its decider, nor the author. Refused to anyone involved in the decision."""
        with self._db.read() as conn:
            row = _checked_reviewer(conn, review_id, moderator_id)
            return BlindReview(
                review=_review(conn, review_id),
                item=post_item(conn, row.post_id),
                reports=_reports(conn, row),
            )

    def take(self, review_id: int, moderator_id: int) -> SecondReview:
        """Take an open review (taking one's own again is a no-op); `ReviewTakenError` if
        another moderator has it or it is answered."""
        with self._db.write() as conn:
            _checked_reviewer(conn, review_id, moderator_id)
            self._take(conn, review_id, moderator_id)
            return _review(conn, review_id)

    def _take(self, conn: Connection, review_id: int, moderator_id: int) -> None:
        taken = conn.execute(
            update(_reviews)
            .where(_reviews.c.id == review_id, _reviews.c.reviewer_id.is_(None))
            .values(reviewer_id=moderator_id, taken_at=self._clock.now())
        )
        if taken.rowcount == 1:
            return
        held = conn.execute(
            select(_reviews.c.reviewer_id, _reviews.c.reviewed_at).where(_reviews.c.id == review_id)
        ).one()
        if held.reviewed_at is not None:
            raise ReviewTakenError(f"second review {review_id}: it is already answered")
        if held.reviewer_id != moderator_id:
            raise ReviewTakenError(f"second review {review_id}: another moderator has it")

    def answer(
        self, review_id: int, moderator_id: int, action: str, clause: str
    ) -> CompletedReview:
        """Record the action the reviewer would take and the clause, with the time; an
        open review is taken first. (1) The answer is an action (`answer_action`) and a
        current clause allowing it; (2) the reviewer may review it and holds it; (3) it is
        answered once."""
        chosen = answer_action(action)  # (1)
        cited = self._clause(clause, chosen)
        with self._db.write() as conn:
            _checked_reviewer(conn, review_id, moderator_id)  # (2)
            self._take(conn, review_id, moderator_id)
            answered = conn.execute(  # (3)
                update(_reviews)
                .where(
                    _reviews.c.id == review_id,
                    _reviews.c.reviewer_id == moderator_id,
                    _reviews.c.reviewed_at.is_(None),
                )
                .values(action=chosen.value, clause=cited, reviewed_at=self._clock.now())
            )
            if answered.rowcount != 1:
                raise ReviewTakenError(f"second review {review_id}: it is already answered")
            (done,) = _completed(conn, _reviews.c.id == review_id)
            return done

    def _clause(self, ref: str, action: ActionKind) -> str:
        try:
            clause = self._policies.clause(ref.strip())
        except UnknownClauseError as error:
            raise InvalidReviewError(f"clause: {error}") from None
        if action != ActionKind.NO_ACTION and action not in clause.allowed_actions:
            raise InvalidReviewError(f"clause {clause.ref}: it does not allow {action.value}")
        return clause.ref

    def completed(self) -> list[CompletedReview]:
        """Every answered review, in the order they were drawn."""
        with self._db.read() as conn:
            return _completed(conn, _reviews.c.reviewed_at.is_not(None))


def latest_checkpoint_seed(conn: Connection) -> tuple[int, bytes]:
    """The latest signed checkpoint's size and root hash, which seed a draw;
    `NoCheckpointError` if no checkpoint holds an entry yet."""
    row = conn.execute(
        select(ledger_checkpoints.c.size, ledger_checkpoints.c.root_hash)
        .order_by(ledger_checkpoints.c.size.desc())
        .limit(1)
    ).first()
    if row is None or row.size == 0:
        raise NoCheckpointError(
            "draw: the ledger has no signed checkpoint holding an entry yet, and the draw is "
            "seeded by the latest one's root hash; let the sequencer integrate the queued "
            "entries (the server does it every few seconds) and draw again"
        )
    return int(row.size), bytes(row.root_hash)


def _candidates(conn: Connection, size: int) -> list[_Drawn]:
    drawn_before = exists().where(_reviews.c.action_id == _actions.c.id)
    query = (
        select(_actions.c.id, ledger_entries.c.idx, ledger_entries.c.leaf_hash)
        .join(ledger_entries, ledger_entries.c.leaf_hash == _actions.c.leaf_hash)
        .where(
            _actions.c.target_kind == "post",
            _actions.c.kind != ActionKind.RESTORE.value,
            ledger_entries.c.idx < size,
            not_(drawn_before),
        )
        .order_by(ledger_entries.c.idx)
    )
    return [
        _Drawn(int(row.id), DrawCandidate(int(row.idx), bytes(row.leaf_hash)))
        for row in conn.execute(query)
    ]


def _involves(moderator_id: int) -> ColumnElement[bool]:
    """Over a review joined to its action: whether `moderator_id` took the decision,
    proposed or approved it, or is the author it is about. Never NULL, so `not_` keeps
    the rows it should."""
    in_proposal = exists().where(
        moderation_proposals.c.action_id == _actions.c.id,
        or_(
            moderation_proposals.c.proposer_id == moderator_id,
            moderation_proposals.c.decided_by == moderator_id,
        ),
    )
    return or_(
        _actions.c.actor_id == moderator_id,
        func.coalesce(_actions.c.account_id, 0) == moderator_id,
        in_proposal,
    )


def _checked_reviewer(conn: Connection, review_id: int, moderator_id: int) -> Row[Any]:
    """The review joined to its action, if `moderator_id` moderates and took no part in
    the decision; `ReviewNotFoundError`, `NotAModeratorError` or `ReviewerInvolvedError`."""
    require_moderator(conn, moderator_id, to="to review decisions again")
    row = conn.execute(
        select(
            _actions.c.id,
            _actions.c.post_id,
            _actions.c.case_id,
            _actions.c.created_at,
            _involves(moderator_id).label("involved"),
        )
        .join(_reviews, _reviews.c.action_id == _actions.c.id)
        .where(_reviews.c.id == review_id)
    ).first()
    if row is None:
        _missing(review_id)
    if row.involved:
        raise ReviewerInvolvedError(
            f"second review {review_id}: you took part in this decision (you took, proposed "
            "or approved it, or it is about your post); another moderator must review it"
        )
    return row


def _reports(conn: Connection, action: Row[Any]) -> tuple[ReviewedReport, ...]:
    """The reports the first decider had: those on its case filed by the decision's time."""
    if action.case_id is None:
        return ()
    rows = conn.execute(
        select(moderation_reports.c.category, moderation_reports.c.clause)
        .where(
            moderation_reports.c.case_id == action.case_id,
            moderation_reports.c.created_at <= action.created_at,
        )
        .order_by(moderation_reports.c.id)
    )
    return tuple(ReviewedReport(row.category, row.clause) for row in rows)


def _review(conn: Connection, review_id: int) -> SecondReview:
    row = conn.execute(
        select(_reviews.c.id, _reviews.c.reviewer_id, review_draws.c.drawn_at)
        .join(review_draws, review_draws.c.id == _reviews.c.draw_id)
        .where(_reviews.c.id == review_id)
    ).first()
    if row is None:
        _missing(review_id)
    return SecondReview(id=row.id, drawn_at=row.drawn_at, reviewer_id=row.reviewer_id)


def _completed(conn: Connection, which: ColumnElement[bool]) -> list[CompletedReview]:
    """The answered reviews `which` selects, in the order they were drawn."""
    rows = conn.execute(
        select(
            _reviews.c.id,
            _reviews.c.action_id,
            _reviews.c.action,
            _reviews.c.clause,
            _reviews.c.reviewed_at,
            _actions.c.kind,
            _actions.c.post_id,
        )
        .join(_actions, _actions.c.id == _reviews.c.action_id)
        .where(which, _reviews.c.reviewed_at.is_not(None))
        .order_by(_reviews.c.draw_id, _reviews.c.decision_index)
    )
    return [
        CompletedReview(
            review_id=row.id,
            action_id=row.action_id,
            post_id=row.post_id,
            original=ActionKind(row.kind),
            second=ActionKind(row.action),
            clause=row.clause,
            reviewed_at=row.reviewed_at,
        )
        for row in rows
    ]


def _missing(review_id: int) -> NoReturn:
    raise ReviewNotFoundError(f"second review {review_id}: no such drawn decision")
