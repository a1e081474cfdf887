"""Scoring runs: score every note from the ratings, and change the statuses that moved.

A run (1) claims the lease: a `running` row in `note_scoring_runs` younger than the lease
keeps a second server (or a second `notes run`) from scoring at once; (2) reads the notes and
ratings in one transaction and fingerprints the exported ratings file (`_export`); (3) scores
them (`scoring.score_core`); (4) in one write transaction records what it proposed per note
and per rater, compares with the current statuses and either applies the changes through
moderation's note-status path (`ApplyStatuses`, wired in `app.py`: notes never writes the
projection itself) or, when the drift guard trips, holds them and logs the hold.

A held run waits for a moderator: `release` applies its changes through the same path (the
statuses may have moved since: the changes are recomputed against the current ones) and
`discard` drops it; both are logged.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Connection, delete, func, insert, select, update

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.ledger import JSON, encode_entry
from townsquare.microblog import NoteStatusChange, Role
from townsquare.notes._drift import DriftGuard, DriftReading
from townsquare.notes._export import fingerprint, ratings_tsv
from townsquare.notes._run_errors import (
    NotAReviewerError,
    RunInProgressError,
    RunNotFoundError,
    RunNotHeldError,
)
from townsquare.notes._run_input import RunInput, current_statuses, read_run_input, status_of
from townsquare.notes.scoring import (
    SCORER_VERSION,
    CoreParameters,
    CoreScores,
    NoteStatus,
    score_core,
)
from townsquare.storage import Database
from townsquare.storage.tables import (
    accounts,
    community_notes,
    note_rater_scores,
    note_ratings,
    note_run_scores,
    note_scoring_runs,
)

__all__ = [
    "RUN_DISCARDED_ENTRY_TYPE",
    "RUN_HELD_ENTRY_TYPE",
    "RUN_RELEASED_ENTRY_TYPE",
    "ApplyStatuses",
    "EntryLog",
    "HeldRun",
    "RunState",
    "RunSummary",
    "ScoringRuns",
]

RUN_HELD_ENTRY_TYPE = "notes.run_held"
RUN_RELEASED_ENTRY_TYPE = "notes.run_released"
RUN_DISCARDED_ENTRY_TYPE = "notes.run_discarded"
_ENTRY_VERSION = 1
# A run takes seconds to minutes; a `running` row older than this is a server that died.
LEASE = timedelta(minutes=30)
_REVIEWERS = frozenset({Role.MODERATOR.value, Role.ADMIN.value})


class RunState:
    """`note_scoring_runs.state` values."""

    RUNNING = "running"
    APPLIED = "applied"
    HELD = "held"
    RELEASED = "released"
    DISCARDED = "discarded"
    FAILED = "failed"


class ApplyStatuses(Protocol):
    """Moderation's note-status path (`Moderation.enforce_note_statuses`, wired in
    `app.py`). It MUST write one ledger entry per change and the projection from it in
    `conn`, and MUST NOT commit it; it raises if any change's old status is stale."""

    def __call__(self, changes: Sequence[NoteStatusChange], *, conn: Connection) -> list[bytes]: ...


class EntryLog(Protocol):
    """The ledger (`LedgerLog`): `append` queues an entry in the caller's transaction."""

    def append(self, conn: Connection, entry: bytes) -> int: ...


@dataclass(frozen=True)
class RunSummary:
    """What a run (or a review) did: its state, what it read, how many notes end in each
    status, the changes it proposed and the ledger entries written."""

    run_id: int
    state: str
    fingerprint: str
    notes_scored: int
    changes: int
    entries_written: int
    by_status: dict[str, int] = field(default_factory=dict)
    drift: DriftReading | None = None


_Row = tuple[str, float | None, float | None, str, int]


@dataclass(frozen=True)
class HeldRun:
    """A run the drift guard held: what it read and proposed, and why it was held."""

    run_id: int
    started_at: datetime
    scorer_version: str
    fingerprint: str
    notes_scored: int
    changes: int
    reason: str


@dataclass(frozen=True)
class _Scored:
    """The run's result, per note: (status, intercept, factor, rules, number of ratings)."""

    rows: dict[int, _Row]
    raters: CoreScores | None


class ScoringRuns:
    """Start runs, find out whether one is due, and review held ones."""

    def __init__(
        self,
        db: Database,
        log: EntryLog,
        apply: ApplyStatuses,
        *,
        clock: Clock,
        ids: SnowflakeGenerator,
        guard: DriftGuard | None = None,
        parameters: CoreParameters | None = None,
    ) -> None:
        self.db = db
        self._log = log
        self._apply = apply
        self._clock = clock
        self._ids = ids
        self.guard = guard if guard is not None else DriftGuard()
        self._parameters = parameters

    def run(self) -> RunSummary:
        """Score now (see the module docstring); `RunInProgressError` if another run holds
        the lease. A run that fails is recorded as failed and its error raised."""
        run_id = self._claim()
        try:
            with self.db.read() as conn:
                given = read_run_input(conn)
                ratings_file = ratings_tsv(conn)
            scored = self._score(given)
            return self._finish(run_id, scored, fingerprint(ratings_file))
        except BaseException:
            with self.db.write() as conn:
                _set_state(conn, run_id, RunState.FAILED, self._clock.now())
            raise

    def is_due(self) -> bool:
        """Whether a rating or a note was written since the last run that finished (the
        schedule skips runs that could not change anything)."""
        with self.db.read() as conn:
            last = conn.execute(
                select(func.max(note_scoring_runs.c.started_at)).where(
                    note_scoring_runs.c.state != RunState.FAILED
                )
            ).scalar()
            if last is None:
                return conn.execute(select(func.count()).select_from(note_ratings)).scalar() != 0
            newer_rating = select(func.count()).where(note_ratings.c.created_at >= last)
            newer_note = select(func.count()).where(community_notes.c.created_at >= last)
            return bool(conn.execute(newer_rating).scalar() or conn.execute(newer_note).scalar())

    def held(self) -> list[int]:
        """Ids of the runs waiting for a moderator, oldest first."""
        return [run.run_id for run in self._held_runs()]

    def held_for(self, reviewer_id: int) -> list["HeldRun"]:
        """The runs waiting for a moderator, oldest first, as `reviewer_id` (a moderator or
        an admin, else `NotAReviewerError`) reviews them."""
        with self.db.read() as conn:
            _require_reviewer(conn, reviewer_id)
        return self._held_runs()

    def _held_runs(self) -> list["HeldRun"]:
        runs = note_scoring_runs
        query = select(runs).where(runs.c.state == RunState.HELD).order_by(runs.c.started_at)
        with self.db.read() as conn:
            return [
                HeldRun(
                    row.id,
                    row.started_at,
                    row.scorer_version,
                    row.fingerprint,
                    row.notes_scored,
                    row.changes,
                    row.held_reason or "",
                )
                for row in conn.execute(query)
            ]

    def release(self, run_id: int, reviewer_id: int) -> RunSummary:
        """Apply a held run's changes (against the statuses as they are now), logged."""
        with self.db.write() as conn:
            run = _held_run(conn, run_id, reviewer_id)
            changes = _changes(conn, run_id, run.scorer_version, run.fingerprint)
            entries = self._apply(changes, conn=conn)
            self._log_review(conn, RUN_RELEASED_ENTRY_TYPE, run_id, run.fingerprint, reviewer_id)
            _review(conn, run_id, RunState.RELEASED, reviewer_id, self._clock.now())
            by_status = _proposed_statuses(conn, run_id)
        return RunSummary(
            run_id,
            RunState.RELEASED,
            run.fingerprint,
            run.notes_scored,
            len(changes),
            len(entries) + 1,
            by_status,
        )

    def discard(self, run_id: int, reviewer_id: int) -> RunSummary:
        """Drop a held run: nothing changes but the log, which says who discarded it."""
        with self.db.write() as conn:
            run = _held_run(conn, run_id, reviewer_id)
            self._log_review(conn, RUN_DISCARDED_ENTRY_TYPE, run_id, run.fingerprint, reviewer_id)
            _review(conn, run_id, RunState.DISCARDED, reviewer_id, self._clock.now())
        return RunSummary(run_id, RunState.DISCARDED, run.fingerprint, run.notes_scored, 0, 1)

    # -- the steps ---------------------------------------------------------------------------

    def _claim(self) -> int:
        now = self._clock.now()
        run_id = self._ids.next_id()
        with self.db.write() as conn:
            running = conn.execute(
                select(note_scoring_runs.c.id).where(
                    note_scoring_runs.c.state == RunState.RUNNING,
                    note_scoring_runs.c.started_at > now - LEASE,
                )
            ).first()
            if running is not None:
                raise RunInProgressError(
                    f"scoring run {running.id} is still running; wait for it to finish"
                )
            conn.execute(
                insert(note_scoring_runs),
                {
                    "id": run_id,
                    "started_at": now,
                    "state": RunState.RUNNING,
                    "scorer_version": SCORER_VERSION,
                },
            )
        return run_id

    def _score(self, given: RunInput) -> _Scored:
        if len(given.scoring.ratings) == 0:
            # Nothing to fit: every note needs more ratings.
            undecided: _Row = (NoteStatus.NEEDS_MORE_RATINGS.value, None, None, "TooFewRatings", 0)
            return _Scored({int(n): undecided for n in given.scoring.notes.note_id}, None)
        scores = score_core(given.scoring, self._parameters)
        notes = scores.notes
        rows: dict[int, _Row] = {
            int(notes.note_id[k]): (
                notes.final_status[k].value,
                _number(float(notes.intercept[k])),
                _number(float(notes.factor[k])),
                notes.rules[k],
                int(notes.num_ratings[k]),
            )
            for k in range(len(notes))
        }
        return _Scored(rows, scores)

    def _finish(self, run_id: int, scored: _Scored, printed: str) -> RunSummary:
        now = self._clock.now()
        with self.db.write() as conn:
            _record_scores(conn, run_id, scored)
            changes = _changes(conn, run_id, SCORER_VERSION, printed)
            eligible = sum(1 for row in scored.rows.values() if row[4] >= self.guard.min_ratings)
            drift = self.guard.reading(len(changes), eligible)
            values = {"fingerprint": printed, "notes_scored": len(scored.rows)}
            conn.execute(
                update(note_scoring_runs)
                .where(note_scoring_runs.c.id == run_id)
                .values(**values, changes=len(changes), finished_at=now)
            )
            if drift.holds:
                self._log_hold(conn, run_id, printed, drift, now)
                state, entries = RunState.HELD, 1
                conn.execute(
                    update(note_scoring_runs)
                    .where(note_scoring_runs.c.id == run_id)
                    .values(held_reason=drift.reason)
                )
            else:
                state, entries = RunState.APPLIED, len(self._apply(changes, conn=conn))
            _set_state(conn, run_id, state, now)
            by_status = _proposed_statuses(conn, run_id)
        return RunSummary(
            run_id, state, printed, len(scored.rows), len(changes), entries, by_status, drift
        )

    def _log_hold(
        self, conn: Connection, run_id: int, printed: str, drift: DriftReading, now: datetime
    ) -> None:
        fields: dict[str, JSON] = {
            "run_id": str(run_id),
            "input_fingerprint": printed,
            "scorer_version": SCORER_VERSION,
            "changes": drift.changes,
            "eligible_notes": drift.eligible,
            "share": f"{drift.share:.4f}",
            "threshold": f"{self.guard.max_share:.4f}",
            "min_changes": self.guard.min_changes,
            "held_at": now.isoformat(),
        }
        self._log.append(conn, encode_entry(RUN_HELD_ENTRY_TYPE, _ENTRY_VERSION, fields))

    def _log_review(
        self, conn: Connection, kind: str, run_id: int, printed: str, reviewer_id: int
    ) -> None:
        fields: dict[str, JSON] = {
            "run_id": str(run_id),
            "input_fingerprint": printed,
            "reviewer_id": str(reviewer_id),
            "reviewed_at": self._clock.now().isoformat(),
        }
        self._log.append(conn, encode_entry(kind, _ENTRY_VERSION, fields))


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value


def _record_scores(conn: Connection, run_id: int, scored: _Scored) -> None:
    """What the run proposed per note, and each rater's latest scores."""
    rows = [
        {
            "run_id": run_id,
            "note_id": note_id,
            "status": status,
            "rule": rules,
            "intercept": intercept,
            "factor": factor,
            "num_ratings": count,
        }
        for note_id, (status, intercept, factor, rules, count) in scored.rows.items()
    ]
    if rows:
        conn.execute(insert(note_run_scores), rows)
    if scored.raters is None:
        return
    raters = scored.raters.raters
    conn.execute(delete(note_rater_scores))
    rater_rows = [
        {
            "rater_id": int(raters.rater_id[k]),
            "run_id": run_id,
            "intercept": _number(float(raters.intercept[k])),
            "factor": _number(float(raters.factor[k])),
            "above_threshold": bool(raters.above_threshold[k]),
        }
        for k in range(len(raters))
    ]
    if rater_rows:
        conn.execute(insert(note_rater_scores), rater_rows)


_scores = note_run_scores


def _changes(conn: Connection, run_id: int, version: str, printed: str) -> list[NoteStatusChange]:
    """The run's proposed statuses that differ from the current ones, by note id. Notes
    deleted since the run (with their post) are left out."""
    statuses = current_statuses(conn)
    query = (
        select(note_run_scores, community_notes.c.post_id)
        .join_from(
            note_run_scores, community_notes, community_notes.c.id == note_run_scores.c.note_id
        )
        .where(note_run_scores.c.run_id == run_id)
        .order_by(note_run_scores.c.note_id)
    )
    changes = []
    for row in conn.execute(query):
        old = status_of(statuses, row.note_id)
        if row.status == old:
            continue
        changes.append(
            NoteStatusChange(
                note_id=row.note_id,
                post_id=row.post_id,
                old_status=old,
                new_status=row.status,
                intercept=row.intercept,
                factor=row.factor,
                scorer_version=version,
                fingerprint=printed,
                run_id=run_id,
                rules=row.rule,
            )
        )
    return changes


def _proposed_statuses(conn: Connection, run_id: int) -> dict[str, int]:
    query = (
        select(note_run_scores.c.status, func.count())
        .where(note_run_scores.c.run_id == run_id)
        .group_by(note_run_scores.c.status)
    )
    return {str(row[0]): int(row[1]) for row in conn.execute(query)}


def _set_state(conn: Connection, run_id: int, state: str, now: datetime) -> None:
    conn.execute(
        update(note_scoring_runs)
        .where(note_scoring_runs.c.id == run_id)
        .values(state=state, finished_at=now)
    )


def _review(conn: Connection, run_id: int, state: str, reviewer_id: int, now: datetime) -> None:
    conn.execute(
        update(note_scoring_runs)
        .where(note_scoring_runs.c.id == run_id)
        .values(state=state, reviewed_by=reviewer_id, reviewed_at=now)
    )


def _require_reviewer(conn: Connection, reviewer_id: int) -> None:
    role = conn.execute(select(accounts.c.role).where(accounts.c.id == reviewer_id)).scalar()
    if role not in _REVIEWERS:
        raise NotAReviewerError(
            f"account {reviewer_id}: expected a moderator or admin to review a held run, "
            f"found {role or 'none'}"
        )


def _held_run(conn: Connection, run_id: int, reviewer_id: int) -> "_HeldRun":
    _require_reviewer(conn, reviewer_id)
    row = conn.execute(select(note_scoring_runs).where(note_scoring_runs.c.id == run_id)).first()
    if row is None:
        raise RunNotFoundError(f"scoring run {run_id}: no such run")
    if row.state != RunState.HELD:
        raise RunNotHeldError(f"scoring run {run_id}: is {row.state}, not held for review")
    return _HeldRun(row.scorer_version, row.fingerprint, row.notes_scored)


@dataclass(frozen=True)
class _HeldRun:
    scorer_version: str
    fingerprint: str
    notes_scored: int
