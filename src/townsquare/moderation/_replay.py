"""Replay: the visibility projection rebuilt from the ledger's entries alone (pure).

Decisions are applied in ledger order, exactly as `enforce` applied them: a restricting
decision puts its restriction in force, a restore lifts the one it names. Expired
restrictions stay, as in the stored projection: the end date is part of the restriction
and the port compares it with the clock at read time.

A decision `enforce` could not have logged (an unknown action kind, a restore of an action
that no earlier entry put in force, a missing field) is not skipped: it makes replay fail,
since a log holding one does not describe what the server enforced. That includes the
two-person rule: a decision taken during a declared election window under a civic-integrity
category must be flagged with a window, approved by a second moderator, name its item and
not be automated (`_elections`). Hashtag-related decisions cannot be told apart here (the
ledger holds no content), so replay checks the rule where the entry alone shows it applies.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from townsquare.ledger import JSON, Entry, decode_entry
from townsquare.moderation._elections import (
    WINDOW_ENTRY_TYPE,
    WINDOW_ENTRY_VERSION,
    ElectionWindow,
    governing_window,
    needs_two_moderators,
    window_from_entry,
)
from townsquare.moderation._errors import MalformedDecisionEntryError
from townsquare.moderation._note_statuses import (
    NEEDS_MORE_RATINGS,
    NOTE_STATUS_ENTRY_TYPE,
    NOTE_STATUS_ENTRY_VERSION,
    SHOWN_STATUS,
    NoteStatusRow,
    note_row_from_entry,
)
from townsquare.moderation._policies import ActionKind
from townsquare.moderation._projection import Restriction, restriction_from_entry
from townsquare.moderation._reasons import DECISION_ENTRY_TYPE, DECISION_ENTRY_VERSIONS

__all__ = ["ProjectionDifference", "Replayed", "compare", "replay"]


@dataclass(frozen=True)
class Replayed:
    """The projection the ledger implies, how many decisions it was built from, how many
    election windows were declared and how many decisions were flagged with one."""

    restrictions: frozenset[Restriction]
    decisions: int
    windows: int = 0
    flagged: int = 0
    notes: frozenset[NoteStatusRow] = frozenset()
    note_changes: int = 0

    @property
    def shown_notes(self) -> frozenset[NoteStatusRow]:
        """The notes the ledger says are shown now (rated helpful)."""
        return frozenset(row for row in self.notes if row.status == SHOWN_STATUS)


@dataclass(frozen=True)
class ProjectionDifference:
    """`missing`: implied by the ledger but not stored; `unexpected`: stored, not implied."""

    decisions: int
    missing: frozenset[Restriction]
    unexpected: frozenset[Restriction]
    missing_notes: frozenset[NoteStatusRow] = frozenset()
    unexpected_notes: frozenset[NoteStatusRow] = frozenset()

    @property
    def matches(self) -> bool:
        notes_match = not self.missing_notes and not self.unexpected_notes
        return not self.missing and not self.unexpected and notes_match


def replay(entries: Iterable[bytes]) -> Replayed:
    """Apply every `moderation.decision` entry of `entries` (the log from its first entry,
    in order); `MalformedDecisionEntryError` names the first entry that cannot be applied."""
    in_force: dict[int, Restriction] = {}
    windows: dict[int, ElectionWindow] = {}
    notes: dict[int, NoteStatusRow] = {}
    decisions = flagged = note_changes = 0
    for index, data in enumerate(entries):
        entry = decode_entry(data)
        is_window = entry.type == WINDOW_ENTRY_TYPE and entry.version == WINDOW_ENTRY_VERSION
        is_decision = entry.type == DECISION_ENTRY_TYPE and entry.version in DECISION_ENTRY_VERSIONS
        is_note = (entry.type, entry.version) == (NOTE_STATUS_ENTRY_TYPE, NOTE_STATUS_ENTRY_VERSION)
        if not (is_window or is_decision or is_note):
            continue
        try:
            if is_note:
                note_changes += 1
                _apply_note(notes, entry.fields)
                continue
            if is_window:
                window = window_from_entry(entry.fields)
                windows[window.id] = window
                continue
            decisions += 1
            _apply(in_force, entry.fields)
            flagged += _check_two_person_rule(windows, entry)
        except KeyError as error:
            raise _malformed(index, entry.type, f"missing field {error}") from None
        except (TypeError, ValueError) as error:
            raise _malformed(index, entry.type, str(error)) from None
    return Replayed(
        frozenset(in_force.values()),
        decisions,
        len(windows),
        flagged,
        frozenset(notes.values()),
        note_changes,
    )


def _apply_note(notes: dict[int, NoteStatusRow], fields: Mapping[str, JSON]) -> None:
    """One status change, as `apply_note_entry` applies it; its old status must be the one
    the earlier entries left (a note with none needs more ratings)."""
    row = note_row_from_entry(fields)
    earlier = notes.get(row.note_id)
    current = earlier.status if earlier is not None else NEEDS_MORE_RATINGS
    if fields["old_status"] != current:
        raise ValueError(
            f"note {row.note_id}: changes from {fields['old_status']}, but was {current}"
        )
    notes[row.note_id] = row


def _check_two_person_rule(windows: Mapping[int, ElectionWindow], entry: Entry) -> bool:
    """Whether the decision is flagged with an election window; `ValueError` if it breaks
    the two-person rule as far as the entry shows (version 1 predates windows)."""
    fields = entry.fields
    flag = fields.get("election_window") if entry.version >= 2 else None
    if not windows and flag is None:
        return False
    if flag is not None:
        if not isinstance(flag, str) or int(flag) not in windows:
            raise ValueError(f"election window {flag!r}: no earlier entry declares it")
        if fields.get("second_moderator_approval") is not True:
            raise ValueError(f"flagged with election window {flag} without a second moderator")
    window = governing_window(
        windows.values(),
        at=datetime.fromisoformat(str(fields["decided_at"])),
        category=str(fields["category"]),
        hashtags=(),
    )
    if window is None or not needs_two_moderators(ActionKind(str(fields["action"]))):
        return flag is not None
    rule = f"decided during election window {window.id} ({window.name}) on election-related content"
    target = fields["target"]
    if flag is None:
        raise ValueError(f"{rule} without a second moderator")
    if isinstance(target, Mapping) and target.get("kind") == "url":
        raise ValueError(f"{rule} as a URL or domain block, naming no item")
    if fields.get("automated_decision") != "AUTOMATED_DECISION_NOT_AUTOMATED":
        raise ValueError(f"{rule} by automated means")
    return True


def _apply(in_force: dict[int, Restriction], fields: Mapping[str, JSON]) -> None:
    """One decision, as `apply_entry` applies it to the stored projection (the entry is
    read whole first, so an unknown action kind is named before what it restores)."""
    restriction = restriction_from_entry(fields)
    restores = fields.get("restores")
    lifted = in_force.pop(int(restores), None) if isinstance(restores, str) else None
    if restores is not None and lifted is None:
        raise ValueError(f"restores action {restores}: expected a restriction in force, found none")
    if restriction is not None:
        in_force[restriction.action_id] = restriction


def _malformed(index: int, entry_type: str, why: str) -> MalformedDecisionEntryError:
    return MalformedDecisionEntryError(
        f"ledger entry {index}: a {entry_type} entry that the server could not have written: {why}"
    )


def compare(
    replayed: Replayed,
    stored: frozenset[Restriction],
    stored_notes: frozenset[NoteStatusRow] = frozenset(),
) -> ProjectionDifference:
    return ProjectionDifference(
        decisions=replayed.decisions,
        missing=replayed.restrictions - stored,
        unexpected=stored - replayed.restrictions,
        missing_notes=replayed.notes - stored_notes,
        unexpected_notes=stored_notes - replayed.notes,
    )
