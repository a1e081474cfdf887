"""Our notes data in the public Community Notes TSV layouts, byte for byte deterministic.

`townsquare notes export DIR` writes the four files; the scoring run fingerprints the same
ratings bytes (`ratings_tsv`), so anyone holding an export recomputes the fingerprint a
ledger entry names with `sha256sum ratings-00000.tsv`.

Each file is the scorer's row type written by the scorer's writer (`scoring.write_notes`,
`write_ratings`, `write_status_history`, `write_enrollment`): one definition of each public
layout, which `townsquare notes score` reads back. What this module fixes on top, so the bytes
never depend on the database or the machine:
- rows in ascending numeric id order (notes by noteId; ratings by noteId then
  raterParticipantId; status history by noteId; enrollment by participantId);
- participant ids are our account ids, tweetId is the post id, times are epoch milliseconds;
- the enrollment lists every author and rater, earned in, in the modeling group `_enrollment`
  explains (13: both scorers keep them in Core), as the run scores them.
"""

import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, select

from townsquare.notes._enrollment import MODELING_GROUP, participants
from townsquare.notes.scoring import (
    HELPFUL_TAGS,
    MISLEADING_REASONS,
    NOT_HELPFUL_TAGS,
    NOT_MISLEADING_REASONS,
    Classification,
    EnrollmentRow,
    NoteRow,
    NoteStatus,
    RatingRow,
    StatusHistoryRow,
    TsvSource,
    write_enrollment,
    write_notes,
    write_ratings,
    write_status_history,
)
from townsquare.storage.tables import community_notes, note_ratings, note_statuses

__all__ = [
    "ENROLLMENT_FILE",
    "NOTES_FILE",
    "RATINGS_FILE",
    "STATUS_HISTORY_FILE",
    "Export",
    "export_tables",
    "fingerprint",
    "millis",
    "ratings_tsv",
    "write_export",
]

# The reference's download page names its files so; one part each (ours are small).
NOTES_FILE = "notes-00000.tsv"
RATINGS_FILE = "ratings-00000.tsv"
STATUS_HISTORY_FILE = "noteStatusHistory-00000.tsv"
ENROLLMENT_FILE = "userEnrollment-00000.tsv"
# The model named as deciding a status, as the reference's noteStatusHistory names its Core.
_DECIDED_BY = "CoreModel (v1.1)"
_NMR = NoteStatus.NEEDS_MORE_RATINGS.value

_Row = TypeVar("_Row")


@dataclass(frozen=True)
class Export:
    """The four files' bytes, and the fingerprint of the ratings file."""

    notes: bytes
    ratings: bytes
    status_history: bytes
    enrollment: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.ratings)

    def files(self) -> dict[str, bytes]:
        return {
            NOTES_FILE: self.notes,
            RATINGS_FILE: self.ratings,
            STATUS_HISTORY_FILE: self.status_history,
            ENROLLMENT_FILE: self.enrollment,
        }


def fingerprint(ratings_file: bytes) -> str:
    """The input fingerprint a run records: SHA-256 of the ratings file, lowercase hex."""
    return hashlib.sha256(ratings_file).hexdigest()


def millis(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def export_tables(conn: Connection) -> Export:
    """Everything, read in the caller's (one) transaction, so the files agree."""
    return Export(
        notes=_written(write_notes, _note_rows(conn)),
        ratings=ratings_tsv(conn),
        status_history=_written(write_status_history, _status_rows(conn)),
        enrollment=_written(write_enrollment, _enrollment_rows(conn)),
    )


def write_export(export: Export, directory: Path) -> list[Path]:
    """Write the four files into `directory` (created if missing); their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in export.files().items():
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written


def ratings_tsv(conn: Connection) -> bytes:
    """The ratings file, the bytes a run's fingerprint is taken of."""
    return _written(write_ratings, _rating_rows(conn))


def _written(write: Callable[[TsvSource, Iterable[_Row]], int], rows: Iterable[_Row]) -> bytes:
    """A file's bytes as the scorer's writer writes them (UTF-8, "\\n" line ends)."""
    stream = io.StringIO(newline="")
    write(stream, rows)
    return stream.getvalue().encode()


def _rating_rows(conn: Connection) -> Iterator[RatingRow]:
    query = (
        select(note_ratings, community_notes.c.post_id)
        .join_from(note_ratings, community_notes, note_ratings.c.note_id == community_notes.c.id)
        .order_by(note_ratings.c.note_id, note_ratings.c.rater_id)
    )
    for row in conn.execute(query):
        tags = frozenset(filter(None, row.tags.split(",")))
        yield RatingRow(
            note_id=row.note_id,
            rater_id=row.rater_id,
            created_at_millis=millis(row.created_at),
            helpfulness_level=row.level,
            rated_on_tweet_id=row.post_id,
            helpful_tags=tags & frozenset(HELPFUL_TAGS),
            not_helpful_tags=tags & frozenset(NOT_HELPFUL_TAGS),
        )


def _note_rows(conn: Connection) -> Iterator[NoteRow]:
    for row in conn.execute(select(community_notes).order_by(community_notes.c.id)):
        reasons = frozenset(filter(None, row.reasons.split(",")))
        yield NoteRow(
            note_id=row.id,
            author_id=row.author_id,
            created_at_millis=millis(row.created_at),
            tweet_id=row.post_id,
            classification=Classification(row.classification),
            summary=row.text,
            believable=row.believable or "",
            harmful=row.harmful or "",
            validation_difficulty=row.validation_difficulty or "",
            misleading_reasons=reasons & frozenset(MISLEADING_REASONS),
            not_misleading_reasons=reasons & frozenset(NOT_MISLEADING_REASONS),
            trustworthy_sources=row.trustworthy_sources,
        )


def _status_rows(conn: Connection) -> Iterator[StatusHistoryRow]:
    """The current status of every note; a note never scored out of needing more ratings
    has no row in the projection and is written as NEEDS_MORE_RATINGS with no time."""
    query = (
        select(community_notes, note_statuses.c.status, note_statuses.c.changed_at)
        .join_from(
            community_notes,
            note_statuses,
            note_statuses.c.note_id == community_notes.c.id,
            isouter=True,
        )
        .order_by(community_notes.c.id)
    )
    for row in conn.execute(query):
        status = row.status or _NMR
        changed = millis(row.changed_at) if row.changed_at is not None else None
        decided = status != _NMR
        yield StatusHistoryRow(
            note_id=row.id,
            author_id=row.author_id,
            created_at_millis=millis(row.created_at),
            current_status=status,
            current_status_at_millis=changed,
            latest_non_nmr_status=status if decided else "",
            latest_non_nmr_at_millis=changed if decided else None,
            decided_by=_DECIDED_BY if decided else "",
            changed_at_millis=changed,
        )


def _enrollment_rows(conn: Connection) -> Iterator[EnrollmentRow]:
    """Every participant (author or rater), earned in (we do not gate rating yet), in the
    group the run scores them in."""
    for participant in participants(conn):
        yield EnrollmentRow(
            participant_id=participant,
            enrollment_state="earnedIn",
            last_earn_out_at_millis=1,
            modeling_group=MODELING_GROUP,
        )
