"""The note-status path of enforce: one `notes.status` entry per change and the projection
from it, in one transaction; a refused change leaves neither; replay rebuilds it."""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

import townsquare
from conftest import AccountFactory, PostFactory
from notes.factories_runs import add_note
from townsquare.app import Services
from townsquare.ledger import decode_entry
from townsquare.microblog import NoteStatusChange
from townsquare.moderation import (
    InvalidNoteStatusError,
    MalformedDecisionEntryError,
    NoteStatusConflictError,
    replay,
)
from townsquare.storage.tables import ledger_pending, note_statuses

HELPFUL = "CURRENTLY_RATED_HELPFUL"
NMR = "NEEDS_MORE_RATINGS"


@pytest.fixture
def notes(services: Services, make_account: AccountFactory, make_post: PostFactory) -> list[int]:
    author = make_account("poster")
    post = make_post(author)
    writers = [make_account(f"writer{k}") for k in range(2)]  # one note per author per post
    return [add_note(services, post.id, w, text=f"Note {k}.") for k, w in enumerate(writers)]


def change(services: Services, note_id: int, old: str, new: str) -> NoteStatusChange:
    with services.db.read() as conn:
        post_id = conn.execute(
            select(note_statuses.c.post_id).where(note_statuses.c.note_id == note_id)
        ).scalar()
    return NoteStatusChange(
        note_id=note_id,
        post_id=post_id or 7,
        old_status=old,
        new_status=new,
        intercept=0.42,
        factor=-0.1,
        scorer_version="townsquare-core/1",
        fingerprint="ab" * 32,
        run_id=99,
        rules="GeneralCRH",
    )


def counts(services: Services) -> tuple[int, int]:
    with services.db.read() as conn:
        entries = conn.execute(select(func.count()).select_from(ledger_pending)).scalar()
        rows = conn.execute(select(func.count()).select_from(note_statuses)).scalar()
    return int(entries or 0), int(rows or 0)


def test_a_change_writes_one_entry_and_the_row_from_it(
    services: Services, notes: list[int]
) -> None:
    (entry,) = services.moderation.enforce_note_statuses([change(services, notes[0], NMR, HELPFUL)])
    fields = decode_entry(entry).fields
    assert (fields["old_status"], fields["new_status"]) == (NMR, HELPFUL)
    assert (fields["intercept"], fields["factor"]) == ("0.42", "-0.1")
    assert counts(services) == (1, 1)
    with services.db.read() as conn:
        row = conn.execute(select(note_statuses)).one()
    assert (row.note_id, row.status, row.intercept) == (notes[0], HELPFUL, 0.42)


def test_a_refused_change_in_the_middle_leaves_neither_entry_nor_row(
    services: Services, notes: list[int]
) -> None:
    good = change(services, notes[0], NMR, HELPFUL)
    stale = change(services, notes[1], HELPFUL, NMR)  # it needs more ratings, not helpful
    with pytest.raises(NoteStatusConflictError, match="expected CURRENTLY_RATED_HELPFUL"):
        services.moderation.enforce_note_statuses([good, stale])
    assert counts(services) == (0, 0)


def test_a_status_that_is_not_one_is_refused(services: Services, notes: list[int]) -> None:
    with pytest.raises(InvalidNoteStatusError, match="'SHOWN' is not a status"):
        services.moderation.enforce_note_statuses([change(services, notes[0], NMR, "SHOWN")])
    with pytest.raises(InvalidNoteStatusError, match="to itself"):
        services.moderation.enforce_note_statuses([change(services, notes[0], NMR, NMR)])
    assert counts(services) == (0, 0)


def test_replay_rebuilds_the_statuses_and_the_comparison_sees_a_tampered_row(
    services: Services, notes: list[int]
) -> None:
    services.moderation.enforce_note_statuses([change(services, notes[0], NMR, HELPFUL)])
    services.moderation.enforce_note_statuses([change(services, notes[0], HELPFUL, NMR)])
    services.moderation.enforce_note_statuses([change(services, notes[1], NMR, HELPFUL)])
    assert services.moderation.check_projection().matches
    with services.db.read() as conn:
        replayed = replay(conn.execute(select(ledger_pending.c.entry)).scalars())
    assert {row.note_id for row in replayed.shown_notes} == {notes[1]}

    with services.db.write() as conn:
        conn.execute(note_statuses.delete().where(note_statuses.c.note_id == notes[1]))
    difference = services.moderation.check_projection()
    assert not difference.matches
    assert {row.note_id for row in difference.missing_notes} == {notes[1]}


def test_replay_refuses_a_change_from_a_status_the_note_did_not_have(
    services: Services, notes: list[int]
) -> None:
    (entry,) = services.moderation.enforce_note_statuses([change(services, notes[0], NMR, HELPFUL)])
    with pytest.raises(MalformedDecisionEntryError, match="changes from NEEDS_MORE_RATINGS, but"):
        replay([entry, entry])


def test_only_the_note_status_path_writes_the_shown_notes() -> None:
    """Structural: no module but `_note_statuses` writes `note_statuses` and
    `note_status_changes` (tests aside)."""
    source = Path(townsquare.__file__).parent
    write = re.compile(r"(insert|update|delete)\(\s*note_status(es|_changes)\b")
    offenders = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if path.name != "_note_statuses.py" and write.search(path.read_text())
    ]
    assert offenders == []
