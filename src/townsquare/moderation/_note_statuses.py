"""The note-status path of `enforce`: a scoring run's status changes, logged and applied.

A community note's status decides whether it is shown on its post, so changing it changes
what people see: it goes through the enforcement module family like any decision. In ONE
transaction, each change appends one `notes.status` ledger entry and updates the
`note_statuses` projection from the entry as logged (`apply_note_entry`), exactly as replay
rebuilds it. A status is not a statement of reasons: it adds context and restricts nothing
(docs/design/notes-statuses.md).

A note with no row is needing more ratings: only changes are logged, so a note that was
never shown costs the ledger nothing.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, RowMapping, delete, insert, select

from townsquare.kernel import ConflictError, InvalidInputError
from townsquare.ledger import JSON, decode_entry, encode_entry, leaf_hash
from townsquare.microblog import (
    NoteStatusChange,
    ShownNote,
    StreamEvent,
    StreamEventKind,
    announce,
)
from townsquare.moderation._enforce import Enforcement, joined_transaction
from townsquare.moderation._policy_errors import ModerationError
from townsquare.storage import Prebuilt, member_of
from townsquare.storage.tables import (
    community_notes,
    ledger_entries,
    note_status_changes,
    note_statuses,
)

__all__ = [
    "NEEDS_MORE_RATINGS",
    "NOTE_STATUSES",
    "NOTE_STATUS_ENTRY_TYPE",
    "NOTE_STATUS_ENTRY_VERSION",
    "SHOWN_STATUS",
    "InvalidNoteStatusError",
    "NoteStatusConflictError",
    "NoteStatusRow",
    "RecordedNoteChange",
    "apply_note_entry",
    "enforce_note_statuses",
    "note_change_leaves",
    "note_history",
    "note_row_from_entry",
    "shown_notes_on_posts",
    "stored_note_statuses",
]

NOTE_STATUS_ENTRY_TYPE = "notes.status"
NOTE_STATUS_ENTRY_VERSION = 1
# Spelled as the scorer and the public scored_notes.tsv spell them (moderation does not
# import the notes package; the wiring passes the scorer's values through as text).
NEEDS_MORE_RATINGS = "NEEDS_MORE_RATINGS"
SHOWN_STATUS = "CURRENTLY_RATED_HELPFUL"
NOTE_STATUSES = frozenset({NEEDS_MORE_RATINGS, SHOWN_STATUS, "CURRENTLY_RATED_NOT_HELPFUL"})


class NoteStatusConflictError(ModerationError, ConflictError):
    """Raised when a change's old status is not the note's current one (another run
    applied first), so the whole batch is refused."""


class InvalidNoteStatusError(ModerationError, InvalidInputError):
    """Raised when a change names a status that is not a Community Notes status."""


@dataclass(frozen=True)
class NoteStatusRow:
    """One row of the shown-notes projection (a note's current status, from its entry)."""

    note_id: int
    post_id: int
    status: str
    intercept: float | None
    factor: float | None
    changed_at: datetime


def enforce_note_statuses(
    given: Enforcement, changes: Sequence[NoteStatusChange], *, conn: Connection | None = None
) -> list[bytes]:
    """Log and apply every change in one transaction (`conn` when given, left open); the
    entries written, in order. Nothing is written if any change is refused."""
    with joined_transaction(given.db, conn) as writing:
        now = given.clock.now()
        entries = []
        for change in changes:
            _check(writing, change)
            entry = encode_entry(
                NOTE_STATUS_ENTRY_TYPE, NOTE_STATUS_ENTRY_VERSION, _fields(change, now)
            )
            apply_note_entry(writing, decode_entry(entry).fields, leaf_hash(entry))
            given.log.append(writing, entry)
            # A note shown or withdrawn changes how its post is shown: streams show it anew.
            announce(writing, StreamEvent(StreamEventKind.POST_CHANGED, change.post_id))
            entries.append(entry)
    return entries


def _check(conn: Connection, change: NoteStatusChange) -> None:
    for status in (change.old_status, change.new_status):
        if status not in NOTE_STATUSES:
            raise InvalidNoteStatusError(f"note {change.note_id}: {status!r} is not a status")
    if change.old_status == change.new_status:
        raise InvalidNoteStatusError(
            f"note {change.note_id}: {change.new_status} to itself is not a change"
        )
    current = _current_status(conn, change.note_id)
    if current != change.old_status:
        raise NoteStatusConflictError(
            f"note {change.note_id}: the run expected {change.old_status}, found {current}; "
            "score again"
        )


def _current_status(conn: Connection, note_id: int) -> str:
    query = select(note_statuses.c.status).where(note_statuses.c.note_id == note_id)
    return conn.execute(query).scalar() or NEEDS_MORE_RATINGS


def _fields(change: NoteStatusChange, now: datetime) -> dict[str, JSON]:
    """The entry's fields. Ids and numbers are strings (entries hold no floats; ids exceed
    the safe integer range); a number the run did not compute is null."""
    return {
        "note_id": str(change.note_id),
        "post_id": str(change.post_id),
        "old_status": change.old_status,
        "new_status": change.new_status,
        "intercept": _number(change.intercept),
        "factor": _number(change.factor),
        "scorer_version": change.scorer_version,
        "input_fingerprint": change.fingerprint,
        "run_id": str(change.run_id),
        "rules": change.rules,
        "decided_at": now.isoformat(),
    }


def _number(value: float | None) -> str | None:
    return None if value is None or math.isnan(value) else repr(float(value))


def note_row_from_entry(fields: Mapping[str, JSON]) -> NoteStatusRow:
    """The projection row a `notes.status` entry sets (`ValueError`/`KeyError` if the entry
    is not one `enforce_note_statuses` could have written)."""
    status = str(fields["new_status"])
    if status not in NOTE_STATUSES or fields["old_status"] not in NOTE_STATUSES:
        raise ValueError(f"note status {status!r}: not a Community Notes status")
    return NoteStatusRow(
        note_id=int(str(fields["note_id"])),
        post_id=int(str(fields["post_id"])),
        status=status,
        intercept=_parsed(fields.get("intercept")),
        factor=_parsed(fields.get("factor")),
        changed_at=datetime.fromisoformat(str(fields["decided_at"])),
    )


def _parsed(value: JSON) -> float | None:
    return None if value is None else float(str(value))


def apply_note_entry(conn: Connection, fields: Mapping[str, JSON], entry_hash: bytes) -> None:
    """Set the note's projection row from its entry, in the caller's transaction.

    MUST be called only by `enforce_note_statuses`, in the transaction appending the entry.
    """
    row = note_row_from_entry(fields)
    conn.execute(delete(note_statuses).where(note_statuses.c.note_id == row.note_id))
    conn.execute(
        insert(note_statuses),
        {
            "note_id": row.note_id,
            "post_id": row.post_id,
            "status": row.status,
            "intercept": row.intercept,
            "factor": row.factor,
            "changed_at": row.changed_at,
            "leaf_hash": entry_hash,
        },
    )
    conn.execute(
        insert(note_status_changes),
        {
            "leaf_hash": entry_hash,
            "note_id": row.note_id,
            "post_id": row.post_id,
            "run_id": int(str(fields["run_id"])),
            "old_status": str(fields["old_status"]),
            "new_status": row.status,
            "intercept": row.intercept,
            "factor": row.factor,
            "scorer_version": str(fields["scorer_version"]),
            "fingerprint": str(fields["input_fingerprint"]),
            "rules": str(fields["rules"]),
            "changed_at": row.changed_at,
        },
    )


def stored_note_statuses(conn: Connection) -> frozenset[NoteStatusRow]:
    """The whole stored projection (for replay's comparison)."""
    return frozenset(_row(row._mapping) for row in conn.execute(select(note_statuses)))


def _row(row: RowMapping) -> NoteStatusRow:
    return NoteStatusRow(
        note_id=row["note_id"],
        post_id=row["post_id"],
        status=row["status"],
        intercept=row["intercept"],
        factor=row["factor"],
        changed_at=row["changed_at"],
    )


def shown_notes_on_posts(conn: Connection, post_ids: Sequence[int]) -> dict[int, list[ShownNote]]:
    """The notes rated helpful on each of the posts, oldest decision first (one statement)."""
    if not post_ids:
        return {}
    found: dict[int, list[ShownNote]] = {}
    for post_id, changed_at, note_id, text, sources in _SHOWN_NOTES.rows(conn, ids=post_ids):
        # Only web links: a source is rendered as a link on every surface.
        lines = (line.strip() for line in sources.splitlines())
        links = tuple(line for line in lines if line.startswith(("https://", "http://")))
        found.setdefault(post_id, []).append(ShownNote(note_id, text, links, changed_at))
    return found


_SHOWN_NOTES = Prebuilt(
    select(
        note_statuses.c.post_id,
        note_statuses.c.changed_at,
        community_notes.c.id,
        community_notes.c.text,
        community_notes.c.sources,
    )
    .join_from(note_statuses, community_notes, community_notes.c.id == note_statuses.c.note_id)
    .where(member_of(note_statuses.c.post_id, "ids"), note_statuses.c.status == SHOWN_STATUS)
    .order_by(note_statuses.c.changed_at, note_statuses.c.note_id)
)


def note_change_leaves(conn: Connection, post_id: int) -> list[bytes]:
    """The leaf hashes of every status change of the notes on the post (its receipt)."""
    query = select(note_status_changes.c.leaf_hash).where(note_status_changes.c.post_id == post_id)
    return list(conn.execute(query).scalars())


@dataclass(frozen=True)
class RecordedNoteChange:
    """One status change of a note as logged: its ledger index (None until the sequencer
    integrates it) and leaf hash, and the run's facts."""

    ledger_index: int | None
    leaf_hash: bytes
    old_status: str
    new_status: str
    intercept: float | None
    factor: float | None
    scorer_version: str
    fingerprint: str
    run_id: int
    rules: str
    changed_at: datetime


def note_history(conn: Connection, note_id: int) -> list[RecordedNoteChange]:
    """Every status change of the note, oldest first."""
    changes = note_status_changes
    query = (
        select(changes, ledger_entries.c.idx)
        .join_from(
            changes, ledger_entries, ledger_entries.c.leaf_hash == changes.c.leaf_hash, isouter=True
        )
        .where(changes.c.note_id == note_id)
        .order_by(changes.c.changed_at, changes.c.leaf_hash)
    )
    return [
        RecordedNoteChange(
            ledger_index=row.idx,
            leaf_hash=row.leaf_hash,
            old_status=row.old_status,
            new_status=row.new_status,
            intercept=row.intercept,
            factor=row.factor,
            scorer_version=row.scorer_version,
            fingerprint=row.fingerprint,
            run_id=row.run_id,
            rules=row.rules,
            changed_at=row.changed_at,
        )
        for row in conn.execute(query)
    ]
