"""The blind review of rule detections drawn at random, which estimates each rule version's
precision (docs/design/automated-rules.md, "Precision").

A draw picks up to N detections of each rule version that no draw picked before, seeded by
the latest signed checkpoint as the draw of decisions is (`SecondReviews.draw`), and logs a
`rule.review_draw` entry in the transaction that stores it. A moderator who took no part in
what the detection led to then says whether the item breaks the clause the rule enforces:
they see the item and the clause, never the rule, its facts or what followed. Each answer
is a `rule.review` entry, without the reviewer, so the precision is counted from the ledger.
"""

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import ColumnElement, Connection, Row, exists, func, not_, or_, select, update

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.ledger import LedgerError, decode_entry, leaf_hash
from townsquare.moderation._blind_review import CaseItem, post_item
from townsquare.moderation._entry_log import EntryLog
from townsquare.moderation._review_errors import (
    InvalidReviewError,
    ReviewerInvolvedError,
    ReviewNotFoundError,
    ReviewTakenError,
)
from townsquare.moderation._review_sample import DrawCandidate
from townsquare.moderation._roles import require_moderator
from townsquare.moderation._second_reviews import MAX_DRAW, latest_checkpoint_seed
from townsquare.moderation.rules._detection_entry import DetectionRecord, read_detection
from townsquare.moderation.rules._errors import RuleError
from townsquare.moderation.rules._review_entries import (
    DetectionCandidate,
    RuleReviewDraw,
    Verdict,
    draw_detections,
    rule_review_draw_entry,
    rule_review_entry,
)
from townsquare.moderation.rules._rules import RuleSet
from townsquare.storage import Database
from townsquare.storage.tables import (
    ledger_entries,
    moderation_actions,
    moderation_proposals,
    posts,
    rule_review_draws,
    rule_reviews,
)

__all__ = [
    "ACCOUNT_POSTS_SHOWN",
    "BlindRuleReview",
    "RuleReview",
    "RuleReviews",
    "read_verdict",
]

ACCOUNT_POSTS_SHOWN = 10  # an account detected is judged by its latest posts before detection
_DRAW_LOCK = zlib.crc32(b"townsquare.moderation.rule-review-draw")  # as `SecondReviews.draw`
_DETECTION_MARKER = b'"rule.detection"'
_BATCH = 1000
_reviews, _actions = rule_reviews, moderation_actions


def read_verdict(raw: str) -> Verdict:
    """A reviewer's answer, `violates` or `does_not_violate`; `InvalidReviewError` otherwise."""
    try:
        return Verdict(raw.strip())
    except ValueError:
        choices = ", ".join(v.value for v in Verdict)
        raise InvalidReviewError(f"verdict: expected one of {choices}, found {raw!r}") from None


@dataclass(frozen=True)
class RuleReview:
    """A drawn detection waiting for, or under, its blind review: nothing of the rule or
    what it led to. `reviewer_id` is the moderator who holds it, if any."""

    id: int
    drawn_at: datetime
    reviewer_id: int | None


@dataclass(frozen=True)
class BlindRuleReview:
    """What the reviewer judges: the clause (`id@version`) and the item — the post, or for a
    detected account its latest posts before the detection (`ACCOUNT_POSTS_SHOWN`)."""

    review: RuleReview
    clause: str
    target_kind: str
    items: tuple[CaseItem, ...]


class RuleReviews:
    """Draw detections for blind review; list, show and answer them. The clock and ids are
    given, so tests fix them."""

    def __init__(
        self,
        db: Database,
        log: EntryLog,
        rules: RuleSet,
        *,
        clock: Clock,
        ids: SnowflakeGenerator,
    ) -> None:
        self._db = db
        self._log = log
        self._rules = rules
        self._clock = clock
        self._ids = ids

    def draw(self, count: int) -> RuleReviewDraw:
        """Draw up to `count` detections of each rule version, in ONE transaction:

        (1) one draw at a time (PostgreSQL: an advisory lock; SQLite writes one at a time);
        (2) the seed: the latest signed checkpoint (`NoCheckpointError` if none);
        (3) the candidates: `rule.detection` entries that checkpoint covers, never drawn;
        (4) the sample (`draw_detections`), stored, and its `rule.review_draw` entry appended.
        """
        if not 0 < count <= MAX_DRAW:
            raise InvalidReviewError(f"count: expected 1 to {MAX_DRAW}, found {count}")
        with self._db.write() as conn:
            if conn.dialect.name == "postgresql":  # (1)
                conn.execute(select(func.pg_advisory_xact_lock(_DRAW_LOCK)))
            size, seed = latest_checkpoint_seed(conn)  # (2)
            candidates = dict(_candidates(conn, size))  # (3)
            drawn = draw_detections(candidates, seed, count)  # (4)
            counts: dict[str, int] = {}
            for found in candidates:
                counts[found.rule] = counts.get(found.rule, 0) + 1
            draw = RuleReviewDraw(
                id=self._ids.next_id(),
                drawn_at=self._clock.now(),
                tree_size=size,
                root_hash=seed,
                candidates=counts,
                asked=count,
                drawn=drawn,
            )
            by_index = {found.candidate.index: record for found, record in candidates.items()}
            self._store(conn, draw, [(index, by_index[index]) for index in drawn])
            return draw

    def _store(
        self, conn: Connection, draw: RuleReviewDraw, drawn: list[tuple[int, DetectionRecord]]
    ) -> None:
        entry = rule_review_draw_entry(draw)
        conn.execute(
            rule_review_draws.insert().values(
                id=draw.id,
                drawn_at=draw.drawn_at,
                tree_size=draw.tree_size,
                root_hash=draw.root_hash,
                leaf_hash=leaf_hash(entry),
            )
        )
        rows = [self._row(draw.id, index, record) for index, record in drawn]
        if rows:
            conn.execute(_reviews.insert(), rows)
        self._log.append(conn, entry)

    def _row(self, draw_id: int, index: int, record: DetectionRecord) -> dict[str, object]:
        return {
            "id": self._ids.next_id(),
            "draw_id": draw_id,
            "detection_id": record.id,
            "detection_index": index,
            "rule": record.rule,
            "target_kind": record.target_kind,
            "target_id": record.target_id,
            "account_id": record.account_id,
            "case_id": record.case_id,
            "action_id": record.action_id,
            "detected_at": record.detected_at,
        }

    def open_for(self, moderator_id: int) -> list[RuleReview]:
        """The reviews this moderator may do, oldest draw first: not answered, not held by
        another, about a detection whose case or action they took no part in."""
        query = (
            select(_reviews.c.id)
            .join(rule_review_draws, rule_review_draws.c.id == _reviews.c.draw_id)
            .where(
                _reviews.c.reviewed_at.is_(None),
                or_(_reviews.c.reviewer_id.is_(None), _reviews.c.reviewer_id == moderator_id),
                not_(_involves(moderator_id)),
            )
            .order_by(rule_review_draws.c.drawn_at, _reviews.c.id)
        )
        with self._db.read() as conn:
            require_moderator(conn, moderator_id, to="to review rule detections")
            ids = conn.execute(query).scalars().all()
            return [_review(conn, review_id) for review_id in ids]

    def blind(self, review_id: int, moderator_id: int) -> BlindRuleReview:
        """The drawn detection as its reviewer judges it: the clause and the item; not the
        rule, its facts, or what followed. Refused to anyone involved."""
        with self._db.read() as conn:
            row = _checked_reviewer(conn, review_id, moderator_id)
            return BlindRuleReview(
                review=_review(conn, review_id),
                clause=self._rules.rule(row.rule).clause,
                target_kind=row.target_kind,
                items=_items(conn, row),
            )

    def answer(self, review_id: int, moderator_id: int, verdict: str) -> Verdict:
        """Record the verdict and log its `rule.review` entry, in one transaction: (1) the
        verdict is one of `Verdict`; (2) the moderator may review it, and takes it unless
        another holds it; (3) it is answered once."""
        chosen = read_verdict(verdict)  # (1)
        now = self._clock.now()
        with self._db.write() as conn:
            row = _checked_reviewer(conn, review_id, moderator_id)  # (2)
            conn.execute(
                update(_reviews)
                .where(_reviews.c.id == review_id, _reviews.c.reviewer_id.is_(None))
                .values(reviewer_id=moderator_id, taken_at=now)
            )
            answered = conn.execute(  # (3)
                update(_reviews)
                .where(
                    _reviews.c.id == review_id,
                    _reviews.c.reviewer_id == moderator_id,
                    _reviews.c.reviewed_at.is_(None),
                )
                .values(verdict=chosen.value, reviewed_at=now)
            )
            if answered.rowcount != 1:
                raise ReviewTakenError(
                    f"rule review {review_id}: it is answered, or another moderator holds it"
                )
            self._log.append(conn, rule_review_entry(row.detection_id, row.rule, chosen, now))
            return chosen


def _candidates(
    conn: Connection, size: int
) -> Iterator[tuple[DetectionCandidate, DetectionRecord]]:
    """The `rule.detection` entries among the first `size`, less those drawn before."""
    drawn = set(conn.execute(select(_reviews.c.detection_index)).scalars())
    for start in range(0, size, _BATCH):
        rows = conn.execute(
            select(ledger_entries.c.idx, ledger_entries.c.entry, ledger_entries.c.leaf_hash)
            .where(ledger_entries.c.idx >= start, ledger_entries.c.idx < min(start + _BATCH, size))
            .order_by(ledger_entries.c.idx)
        )
        for row in rows:
            data = bytes(row.entry)
            if _DETECTION_MARKER not in data or row.idx in drawn:
                continue
            record = _detection(data)
            if record is not None:
                at = DrawCandidate(int(row.idx), bytes(row.leaf_hash))
                yield DetectionCandidate(record.rule, at), record


def _detection(data: bytes) -> DetectionRecord | None:
    try:
        entry = decode_entry(data)
        return read_detection(entry.fields) if entry.type == "rule.detection" else None
    except (LedgerError, RuleError):
        return None


def _involves(moderator_id: int) -> ColumnElement[bool]:
    """Over a review: whether `moderator_id` is the account detected, took an action on the
    detection's case or the action it led to, or proposed or approved one. Never NULL."""
    on_detection = or_(
        _actions.c.id == _reviews.c.action_id, _actions.c.case_id == _reviews.c.case_id
    )
    acted = exists().where(on_detection, _actions.c.actor_id == moderator_id)
    proposed = exists().where(
        or_(
            moderation_proposals.c.case_id == _reviews.c.case_id,
            moderation_proposals.c.action_id == _reviews.c.action_id,
        ),
        or_(
            moderation_proposals.c.proposer_id == moderator_id,
            moderation_proposals.c.decided_by == moderator_id,
        ),
    )
    return or_(_reviews.c.account_id == moderator_id, acted, proposed)


def _checked_reviewer(conn: Connection, review_id: int, moderator_id: int) -> Row[Any]:
    require_moderator(conn, moderator_id, to="to review rule detections")
    row = conn.execute(
        select(
            _reviews.c.detection_id,
            _reviews.c.rule,
            _reviews.c.target_kind,
            _reviews.c.target_id,
            _reviews.c.account_id,
            _reviews.c.detected_at,
            _involves(moderator_id).label("involved"),
        ).where(_reviews.c.id == review_id)
    ).first()
    if row is None:
        _missing(review_id)
    if row.involved:
        raise ReviewerInvolvedError(
            f"rule review {review_id}: you took part in what this detection led to (you "
            "acted on its case, proposed or approved an action, or it is about you); another "
            "moderator must review it"
        )
    return row


def _items(conn: Connection, row: Row[Any]) -> tuple[CaseItem, ...]:
    if row.target_kind == "post":
        return (post_item(conn, row.target_id),)
    latest = conn.execute(
        select(posts.c.id)
        .where(posts.c.account_id == row.target_id, posts.c.created_at <= row.detected_at)
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
        .limit(ACCOUNT_POSTS_SHOWN)
    ).scalars()
    return tuple(post_item(conn, post_id) for post_id in latest)


def _review(conn: Connection, review_id: int) -> RuleReview:
    row = conn.execute(
        select(_reviews.c.id, _reviews.c.reviewer_id, rule_review_draws.c.drawn_at)
        .join(rule_review_draws, rule_review_draws.c.id == _reviews.c.draw_id)
        .where(_reviews.c.id == review_id)
    ).first()
    if row is None:
        _missing(review_id)
    return RuleReview(id=row.id, drawn_at=row.drawn_at, reviewer_id=row.reviewer_id)


def _missing(review_id: int) -> NoReturn:
    raise ReviewNotFoundError(f"rule review {review_id}: no drawn detection has this id")
