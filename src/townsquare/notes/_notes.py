"""The notes service: writing, rating and requesting notes, reading them, and impact.

Statuses are read from `note_statuses`, which only moderation's enforce path writes (a status
change is a ledger entry); this service never writes them. Rater factors are read from
`note_rater_scores`, which the scoring run writes.
"""

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, case, func, select
from sqlalchemy.exc import IntegrityError

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.microblog import Microblog, PostNotFoundError, PostView
from townsquare.notes._drafts import (
    Believable,
    Harm,
    HelpfulnessLevel,
    NoteDraft,
    RatingDraft,
    ValidationDifficulty,
)
from townsquare.notes._eligibility import (
    Eligibility,
    EligibilityRules,
    IneligibleBecause,
    Standing,
    StandingPort,
    eligibility,
)
from townsquare.notes._errors import (
    DuplicateNoteError,
    NoteNotFoundError,
    NotesForbiddenError,
    NotesNotFoundError,
)
from townsquare.notes._impact import RatedNote, rating_impact, writing_impact
from townsquare.notes._models import Impact, Note, PostNotes, Rating
from townsquare.notes._queue import WaitingNote, rating_queue_order, usual_side
from townsquare.notes.scoring import Classification, NoteStatus
from townsquare.storage import Database, insert_ignoring_conflicts
from townsquare.storage.tables import (
    community_notes,
    note_rater_scores,
    note_ratings,
    note_requests,
    note_statuses,
    post_tags,
    tags,
)

__all__ = ["Notes"]

_SEPARATOR = ","
# How many waiting notes the "needs your rating" list orders before it checks visibility: a
# bound on the work per page, newest first, far more than a page.
_QUEUE_WINDOW = 500
_STATUS_ORDER = {
    NoteStatus.CURRENTLY_RATED_HELPFUL: 0,
    NoteStatus.NEEDS_MORE_RATINGS: 1,
    NoteStatus.CURRENTLY_RATED_NOT_HELPFUL: 2,
}


class Notes:
    """Community notes over the database. Ids and the clock are injected; who may see a post
    is the microblog's answer (blocks, audiences and the visibility port), and an account's
    standing is the `StandingPort`'s."""

    def __init__(
        self,
        db: Database,
        microblog: Microblog,
        standing: StandingPort,
        *,
        clock: Clock,
        ids: SnowflakeGenerator,
        rules: EligibilityRules,
    ) -> None:
        self._db = db
        self._microblog = microblog
        self._standing = standing
        self._clock = clock
        self._ids = ids
        self._rules = rules

    # Eligibility -------------------------------------------------------------------------

    def eligibility(self, account_id: int) -> Eligibility:
        """May this account write, rate and request notes now, and if not, why."""
        with self._db.read() as c:
            return self._eligibility(c, account_id)

    def _eligibility(self, c: Connection, account_id: int) -> Eligibility:
        account = self._microblog.accounts.get(account_id, conn=c)
        return eligibility(
            created_at=account.created_at,
            standing=Standing(self._standing.standing(c, account_id)),
            now=self._clock.now(),
            rules=self._rules,
        )

    def _require_eligible(self, c: Connection, account_id: int) -> None:
        decision = self._eligibility(c, account_id)
        if decision.because is not None:
            raise NotesForbiddenError(_INELIGIBLE[decision.because])

    # Contributing ------------------------------------------------------------------------

    def write(self, author_id: int, post_id: int, draft: NoteDraft) -> Note:
        """Write a note on a post the author can see, that is shown, and is not theirs; one
        note per author per post."""
        target = self._shown_post(author_id, post_id)
        if target.author.id == author_id:
            raise NotesForbiddenError("You cannot write a note on your own post.")
        note_id = self._ids.next_id()
        with self._db.write() as c:
            self._require_eligible(c, author_id)
            if _note_by(c, author_id, target.post.id) is not None:
                raise DuplicateNoteError("You already wrote a note on this post.")
            row = _note_row(note_id, author_id, target.post.id, draft)
            try:
                with c.begin_nested():
                    c.execute(community_notes.insert().values(created_at=self._clock.now(), **row))
            except IntegrityError:
                # The same author's note written at once elsewhere won the unique
                # (post, author) key; any other conflict is an error, not a duplicate.
                if _note_by(c, author_id, target.post.id) is None:
                    raise
                raise DuplicateNoteError("You already wrote a note on this post.") from None
        return self.note(author_id, note_id)

    def rate(self, rater_id: int, note_id: int, draft: RatingDraft) -> Rating:
        """Rate a note (rating again replaces the rating). Not one's own note."""
        author_id, post_id = self._note_owner(note_id)
        if author_id == rater_id:
            raise NotesForbiddenError("You cannot rate your own note.")
        self._shown_post(rater_id, post_id)
        now = self._clock.now()
        with self._db.write() as c:
            self._require_eligible(c, rater_id)
            row = {
                "id": self._ids.next_id(),
                "note_id": note_id,
                "rater_id": rater_id,
                "created_at": now,
                "level": draft.level.value,
                "tags": _SEPARATOR.join(draft.tags),
            }
            key = ("note_id", "rater_id")
            if not insert_ignoring_conflicts(c, note_ratings, [row], on=key):
                mine = and_(note_ratings.c.note_id == note_id, note_ratings.c.rater_id == rater_id)
                changed = {k: row[k] for k in ("created_at", "level", "tags")}
                c.execute(note_ratings.update().where(mine).values(**changed))
        return Rating(note_id, rater_id, draft.level, draft.tags, now)

    def request(self, member_id: int, post_id: int) -> int:
        """Ask for a note on a post (asking twice counts once); the post's request count."""
        target = self._shown_post(member_id, post_id)
        row = {
            "post_id": target.post.id,
            "requester_id": member_id,
            "created_at": self._clock.now(),
        }
        with self._db.write() as c:
            self._require_eligible(c, member_id)
            insert_ignoring_conflicts(c, note_requests, [row], on=("post_id", "requester_id"))
            return _request_count(c, target.post.id)

    # Reading -----------------------------------------------------------------------------

    def on_post(self, viewer_id: int | None, post_id: int) -> PostNotes:
        """A post's notes: helpful first, then those needing ratings, then not helpful, each
        newest first. Anonymous visitors see only decided notes (helpful or not helpful)."""
        target = self._shown_post(viewer_id, post_id)
        with self._db.read() as c:
            rows = c.execute(_notes_query().where(community_notes.c.post_id == target.post.id))
            notes = _sorted_for_post(_notes(c, rows.all(), viewer_id))
            requested = viewer_id is not None and _requested(c, viewer_id, target.post.id)
            count = _request_count(c, target.post.id)
        if viewer_id is None:
            notes = [n for n in notes if n.decided]
        return PostNotes(target.post.id, tuple(notes), count, requested)

    def note(self, viewer_id: int | None, note_id: int) -> Note:
        """One note, if the viewer may see its post (anonymous visitors: decided notes only)."""
        _, post_id = self._note_owner(note_id)
        self._shown_post(viewer_id, post_id)
        with self._db.read() as c:
            rows = c.execute(_notes_query().where(community_notes.c.id == note_id)).all()
            found = _notes(c, rows, viewer_id)
        if not found or (viewer_id is None and not found[0].decided):
            raise NoteNotFoundError(f"No note has id {note_id}.")
        return found[0]

    def written_by(self, author_id: int) -> list[Note]:
        """The member's own notes, newest first (shown to them, author included)."""
        with self._db.read() as c:
            query = _notes_query().where(community_notes.c.author_id == author_id)
            rows = c.execute(query.order_by(community_notes.c.id.desc())).all()
            return _notes(c, rows, author_id)

    def on_tagged_posts(
        self,
        viewer_id: int | None,
        hashtags: Collection[str],
        *,
        written: tuple[datetime, datetime],
        limit: int = 100,
    ) -> list[Note]:
        """Notes written in `written` (from inclusive, until exclusive) on posts carrying any
        of `hashtags` (as stored: case-folded, without '#') — what an election window's page
        lists. Helpful first, then those needing ratings, then not helpful, each newest first;
        only on posts the viewer may see and, for anonymous visitors, decided notes only."""
        if not hashtags:
            return []
        tagged = (
            select(post_tags.c.post_id)
            .join(tags, tags.c.id == post_tags.c.tag_id)
            .where(tags.c.name.in_(sorted(hashtags)))
        )
        query = _notes_query().where(
            community_notes.c.post_id.in_(tagged),
            community_notes.c.created_at >= written[0],
            community_notes.c.created_at < written[1],
        )
        with self._db.read() as c:
            notes = _sorted_for_post(_notes(c, c.execute(query).all(), viewer_id))
        chosen: list[Note] = []
        for note in notes:
            if len(chosen) == limit:
                break
            if (viewer_id is not None or note.decided) and self._may_see(viewer_id, note.post_id):
                chosen.append(note)
        return chosen

    def needing_rating(self, viewer_id: int, *, limit: int = 20) -> list[Note]:
        """Notes that still need ratings, not written or rated by the viewer, on posts the
        viewer may see and that are shown; those the viewer's usual side has rated least come
        first (see `rating_queue_order`). Authors are never shown here."""
        with self._db.read() as c:
            side = usual_side(_factor(c, viewer_id))
            waiting = rating_queue_order(_waiting(c, viewer_id), side)
            wanted = [w.note_id for w in waiting]
            rows = c.execute(_notes_query().where(community_notes.c.id.in_(wanted))).all()
            by_id = {n.id: n for n in _notes(c, rows, viewer_id)}
        chosen: list[Note] = []
        for note_id in wanted:
            note = by_id[note_id]
            if self._may_see(viewer_id, note.post_id):
                chosen.append(note)
            if len(chosen) == limit:
                break
        return chosen

    def impact(self, account_id: int) -> Impact:
        """The member's writing and rating impact (see `townsquare.notes._impact`)."""
        with self._db.read() as c:
            written = c.execute(
                select(note_statuses.c.status)
                .select_from(
                    community_notes.outerjoin(
                        note_statuses, note_statuses.c.note_id == community_notes.c.id
                    )
                )
                .where(community_notes.c.author_id == account_id)
            )
            statuses = [_status(row.status) for row in written]
            rated = c.execute(
                select(note_ratings.c.level, note_ratings.c.created_at, *_STATUS_COLUMNS)
                .select_from(
                    note_ratings.outerjoin(
                        note_statuses, note_statuses.c.note_id == note_ratings.c.note_id
                    )
                )
                .where(note_ratings.c.rater_id == account_id)
            )
            ratings = [
                RatedNote(
                    level=HelpfulnessLevel(r.level),
                    rated_at=r.created_at,
                    status=_status(r.status),
                    status_since=r.changed_at,
                )
                for r in rated
            ]
        return Impact(account_id, writing_impact(statuses), rating_impact(ratings))

    # Posts -------------------------------------------------------------------------------

    def _shown_post(self, viewer_id: int | None, post_id: int) -> PostView:
        """The post (the original, for a repost) if the viewer may read it and it is shown."""
        try:
            view = self._microblog.timelines.post(viewer_id, post_id)
        except PostNotFoundError as missing:
            raise NotesNotFoundError(f"No post has id {post_id}.") from missing
        if not view.presentation.visible:
            raise NotesForbiddenError("This post is hidden, so it has no notes.")
        return view.shown

    def _may_see(self, viewer_id: int | None, post_id: int) -> bool:
        try:
            self._shown_post(viewer_id, post_id)
        except (NotesNotFoundError, NotesForbiddenError):
            return False
        return True

    def _note_owner(self, note_id: int) -> tuple[int, int]:
        with self._db.read() as c:
            row = c.execute(
                select(community_notes.c.author_id, community_notes.c.post_id).where(
                    community_notes.c.id == note_id
                )
            ).first()
        if row is None:
            raise NoteNotFoundError(f"No note has id {note_id}.")
        return row.author_id, row.post_id


_INELIGIBLE = {
    IneligibleBecause.ACCOUNT_TOO_NEW: "Your account is too new to contribute notes yet.",
    IneligibleBecause.ACCOUNT_LIMITED: "A limit on your account stops you contributing notes.",
    IneligibleBecause.ACCOUNT_SUSPENDED: "A suspended account cannot contribute notes.",
}

_STATUS_COLUMNS = (note_statuses.c.status, note_statuses.c.changed_at)


def _notes_query() -> Any:
    return select(community_notes, *_STATUS_COLUMNS).select_from(
        community_notes.outerjoin(note_statuses, note_statuses.c.note_id == community_notes.c.id)
    )


def _notes(c: Connection, rows: Sequence[Row[Any]], viewer_id: int | None) -> list[Note]:
    ids = [row.id for row in rows]
    counts = _rating_counts(c, ids)
    mine = _viewer_ratings(c, ids, viewer_id)
    return [_note(row, counts.get(row.id, 0), mine.get(row.id), viewer_id) for row in rows]


def _note(row: Row[Any], ratings: int, viewer_rating: Rating | None, viewer_id: int | None) -> Note:
    status = _status(row.status)
    written_by_viewer = viewer_id is not None and row.author_id == viewer_id
    decided = status is not NoteStatus.NEEDS_MORE_RATINGS
    return Note(
        id=row.id,
        post_id=row.post_id,
        created_at=row.created_at,
        classification=Classification(row.classification),
        reasons=_split(row.reasons),
        trustworthy_sources=row.trustworthy_sources,
        text=row.text,
        sources=tuple(line for line in row.sources.splitlines() if line),
        believable=Believable(row.believable) if row.believable else None,
        harmful=Harm(row.harmful) if row.harmful else None,
        validation_difficulty=(
            ValidationDifficulty(row.validation_difficulty) if row.validation_difficulty else None
        ),
        status=status,
        status_since=row.changed_at,
        ratings=ratings,
        author_id=row.author_id if decided or written_by_viewer else None,
        written_by_viewer=written_by_viewer,
        viewer_rating=viewer_rating,
    )


def _note_row(note_id: int, author_id: int, post_id: int, draft: NoteDraft) -> dict[str, Any]:
    return {
        "id": note_id,
        "post_id": post_id,
        "author_id": author_id,
        "classification": draft.classification.value,
        "believable": draft.believable.value if draft.believable else None,
        "harmful": draft.harmful.value if draft.harmful else None,
        "validation_difficulty": (
            draft.validation_difficulty.value if draft.validation_difficulty else None
        ),
        "reasons": _SEPARATOR.join(draft.reasons),
        "trustworthy_sources": draft.trustworthy_sources,
        "text": draft.text,
        "sources": "\n".join(draft.sources),
    }


def _status(raw: str | None) -> NoteStatus:
    # No row: the note was never scored, so it needs more ratings.
    return NoteStatus(raw) if raw else NoteStatus.NEEDS_MORE_RATINGS


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(_SEPARATOR)) if joined else ()


def _sorted_for_post(notes: Iterable[Note]) -> list[Note]:
    newest_first = sorted(notes, key=lambda n: n.id, reverse=True)
    return sorted(newest_first, key=lambda n: _STATUS_ORDER[n.status])


def _note_by(c: Connection, author_id: int, post_id: int) -> int | None:
    query = select(community_notes.c.id).where(
        community_notes.c.author_id == author_id, community_notes.c.post_id == post_id
    )
    return c.execute(query).scalar()


def _request_count(c: Connection, post_id: int) -> int:
    query = select(func.count()).where(note_requests.c.post_id == post_id)
    return int(c.execute(query).scalar_one())


def _requested(c: Connection, member_id: int, post_id: int) -> bool:
    query = select(note_requests.c.post_id).where(
        note_requests.c.post_id == post_id, note_requests.c.requester_id == member_id
    )
    return c.execute(query).first() is not None


def _rating_counts(c: Connection, note_ids: Sequence[int]) -> dict[int, int]:
    if not note_ids:
        return {}
    query = (
        select(note_ratings.c.note_id, func.count())
        .where(note_ratings.c.note_id.in_(note_ids))
        .group_by(note_ratings.c.note_id)
    )
    return {note_id: int(count) for note_id, count in c.execute(query)}


def _viewer_ratings(
    c: Connection, note_ids: Sequence[int], viewer_id: int | None
) -> dict[int, Rating]:
    if viewer_id is None or not note_ids:
        return {}
    query = select(note_ratings).where(
        note_ratings.c.note_id.in_(note_ids), note_ratings.c.rater_id == viewer_id
    )
    return {
        row.note_id: Rating(
            row.note_id, row.rater_id, HelpfulnessLevel(row.level), _split(row.tags), row.created_at
        )
        for row in c.execute(query)
    }


def _factor(c: Connection, rater_id: int) -> float | None:
    query = select(note_rater_scores.c.factor).where(note_rater_scores.c.rater_id == rater_id)
    factor: float | None = c.execute(query).scalar()
    return factor


def _waiting(c: Connection, viewer_id: int) -> list[WaitingNote]:
    """The newest notes that still need ratings, not the viewer's and not rated by them,
    with their ratings counted by the raters' sides."""
    decided = select(note_statuses.c.note_id).where(
        note_statuses.c.status != NoteStatus.NEEDS_MORE_RATINGS.value
    )
    rated = select(note_ratings.c.note_id).where(note_ratings.c.rater_id == viewer_id)
    candidates = (
        select(community_notes.c.id, community_notes.c.created_at)
        .where(
            community_notes.c.author_id != viewer_id,
            community_notes.c.id.not_in(decided),
            community_notes.c.id.not_in(rated),
        )
        .order_by(community_notes.c.id.desc())
        .limit(_QUEUE_WINDOW)
        .subquery()
    )
    factor = note_rater_scores.c.factor
    query = (
        select(
            candidates.c.id,
            candidates.c.created_at,
            func.count(note_ratings.c.id),
            func.coalesce(func.sum(case((factor > 0, 1), else_=0)), 0),
            func.coalesce(func.sum(case((factor < 0, 1), else_=0)), 0),
        )
        .select_from(
            candidates.outerjoin(note_ratings, note_ratings.c.note_id == candidates.c.id).outerjoin(
                note_rater_scores, note_rater_scores.c.rater_id == note_ratings.c.rater_id
            )
        )
        .group_by(candidates.c.id, candidates.c.created_at)
    )
    return [
        WaitingNote(note_id, created_at, int(total), int(positive), int(negative))
        for note_id, created_at, total, positive, negative in c.execute(query)
    ]
