"""Our notes data in the public Community Notes TSV layouts, byte for byte deterministic.

`townsquare notes export DIR` writes the four files; the scoring run fingerprints the same
ratings bytes (`ratings_fingerprint`), so anyone holding an export recomputes the fingerprint
a ledger entry names with `sha256sum ratings-00000.tsv`.

The spelling, fixed so the bytes never depend on the database or the machine:
- UTF-8, one header line of the layout's columns, tab-separated, every line ending in "\\n";
- rows in ascending numeric id order (notes by noteId; ratings by noteId then
  raterParticipantId; status history by noteId; enrollment by participantId);
- participant ids are our account ids, tweetId is the post id, times are epoch
  milliseconds; 0/1 for the reason and tag columns; an empty field for what we do not record;
- tabs and line breaks inside a note's text become spaces (the layout has no quoting).
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, select

from townsquare.notes.scoring import (
    ENROLLMENT_COLUMNS,
    HELPFUL_TAGS,
    MISLEADING_REASONS,
    NOT_HELPFUL_TAGS,
    NOT_MISLEADING_REASONS,
    NOTE_COLUMNS,
    RATING_COLUMNS,
    STATUS_HISTORY_COLUMNS,
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
_LEVEL_NUMBERS = {"HELPFUL": ("1", "0"), "SOMEWHAT_HELPFUL": ("0", "0"), "NOT_HELPFUL": ("0", "1")}


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
        notes=_tsv(NOTE_COLUMNS, _note_rows(conn)),
        ratings=ratings_tsv(conn),
        status_history=_tsv(STATUS_HISTORY_COLUMNS, _status_rows(conn)),
        enrollment=_tsv(ENROLLMENT_COLUMNS, _enrollment_rows(conn)),
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
    query = (
        select(note_ratings, community_notes.c.post_id)
        .join_from(note_ratings, community_notes, note_ratings.c.note_id == community_notes.c.id)
        .order_by(note_ratings.c.note_id, note_ratings.c.rater_id)
    )
    rows = []
    for row in conn.execute(query):
        tags = set(filter(None, row.tags.split(",")))
        helpful, not_helpful = _LEVEL_NUMBERS[row.level]
        values = {
            "noteId": str(row.note_id),
            "raterParticipantId": str(row.rater_id),
            "createdAtMillis": str(millis(row.created_at)),
            "version": "2",  # the current rating form (the reference reads 1 and 2)
            "agree": "0",
            "disagree": "0",
            "helpful": helpful,
            "notHelpful": not_helpful,
            "helpfulnessLevel": row.level,
            **{tag: _flag(tag in tags) for tag in (*HELPFUL_TAGS, *NOT_HELPFUL_TAGS)},
            "ratedOnTweetId": str(row.post_id),
            "ratingSourceBucketed": "DEFAULT",
        }
        rows.append(values)
    return _tsv(RATING_COLUMNS, rows)


def _note_rows(conn: Connection) -> Iterable[dict[str, str]]:
    for row in conn.execute(select(community_notes).order_by(community_notes.c.id)):
        reasons = set(filter(None, row.reasons.split(",")))
        yield {
            "noteId": str(row.id),
            "noteAuthorParticipantId": str(row.author_id),
            "createdAtMillis": str(millis(row.created_at)),
            "tweetId": str(row.post_id),
            "classification": row.classification,
            "believable": row.believable or "",
            "harmful": row.harmful or "",
            "validationDifficulty": row.validation_difficulty or "",
            **{r: _flag(r in reasons) for r in (*MISLEADING_REASONS, *NOT_MISLEADING_REASONS)},
            "trustworthySources": _flag(row.trustworthy_sources),
            "summary": _one_line(row.text),
            "isMediaNote": "0",
            "isCollaborativeNote": "0",
        }


def _status_rows(conn: Connection) -> Iterable[dict[str, str]]:
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
        status = row.status or "NEEDS_MORE_RATINGS"
        changed = str(millis(row.changed_at)) if row.changed_at is not None else ""
        decided = changed if status != "NEEDS_MORE_RATINGS" else ""
        yield {
            "noteId": str(row.id),
            "noteAuthorParticipantId": str(row.author_id),
            "createdAtMillis": str(millis(row.created_at)),
            "timestampMillisOfCurrentStatus": changed,
            "currentStatus": status,
            "timestampMillisOfLatestNonNMRStatus": decided,
            "mostRecentNonNMRStatus": status if decided else "",
            "currentCoreStatus": status,
            "currentDecidedBy": "CoreModel (v1.1)" if decided else "",
            "timestampMillisOfMostRecentStatusChange": changed,
        }


def _enrollment_rows(conn: Connection) -> Iterable[dict[str, str]]:
    """Every participant (author or rater), earned in: we do not gate rating yet."""
    authors = select(community_notes.c.author_id.label("participant"))
    raters = select(note_ratings.c.rater_id.label("participant"))
    participants = sorted(set(conn.execute(authors.union(raters)).scalars()))
    for participant in participants:
        yield {
            "participantId": str(participant),
            "enrollmentState": "earnedIn",
            "successfulRatingNeededToEarnIn": "0",
            "timestampOfLastStateChange": "0",
            "timestampOfLastEarnOut": "1",
            "modelingPopulation": "CORE",
            "modelingGroup": "0",
            "numberOfTimesEarnedOut": "0",
        }


def _tsv(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> bytes:
    lines = ["\t".join(columns)]
    lines.extend("\t".join(row.get(column, "") for column in columns) for row in rows)
    return "".join(line + "\n" for line in lines).encode()


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").splitlines())
