"""The export in the public Community Notes TSV layouts: its columns, its determinism, and
the run's input fingerprint recomputed from the exported ratings file."""

import csv
import hashlib
import io
from pathlib import Path

from sqlalchemy import select

from conftest import AccountFactory, PostFactory
from notes.factories_runs import add_note, rate, two_camps
from townsquare.app import Services
from townsquare.ledger import decode_entry
from townsquare.notes import export_tables, write_export
from townsquare.notes.scoring import (
    ENROLLMENT_COLUMNS,
    NOTE_COLUMNS,
    RATING_COLUMNS,
    STATUS_HISTORY_COLUMNS,
    PipelineParameters,
)
from townsquare.storage.tables import ledger_pending


def rows(data: bytes) -> list[dict[str, str]]:
    """The data rows, read as the reference reads them (tab-separated, quoted cells)."""
    header, *lines = csv.reader(io.StringIO(data.decode(), newline=""), delimiter="\t")
    return [dict(zip(header, line, strict=True)) for line in lines]


def test_each_file_has_its_layouts_columns_in_order(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    world = two_camps(services, make_account, make_post, per_camp=2)
    with services.db.read() as conn:
        export = export_tables(conn)
    for data, columns in [
        (export.notes, NOTE_COLUMNS),
        (export.ratings, RATING_COLUMNS),
        (export.status_history, STATUS_HISTORY_COLUMNS),
        (export.enrollment, ENROLLMENT_COLUMNS),
    ]:
        assert data.decode().splitlines()[0].split("\t") == list(columns)
        assert all(line.count("\t") == len(columns) - 1 for line in data.decode().splitlines())
    ratings = rows(export.ratings)
    assert len(ratings) == 10 * 4  # ten notes (four and six background), each rated by four
    first = ratings[0]
    assert first["noteId"] == str(world.bridging)
    # The current rating form: the level says it all, the legacy columns are empty.
    assert (first["version"], first["helpfulnessLevel"], first["helpful"]) == ("2", "HELPFUL", "")
    assert first["ratedOnTweetId"] == str(world.post_id)
    notes = rows(export.notes)
    assert [n["noteId"] for n in notes] == sorted(n["noteId"] for n in notes)
    assert notes[0]["misleadingFactualError"] == "1"
    assert {r["currentStatus"] for r in rows(export.status_history)} == {"NEEDS_MORE_RATINGS"}
    assert len(rows(export.enrollment)) == 10 + 4  # the ten notes' writers and the raters


def test_the_export_is_deterministic_and_keeps_a_notes_text_as_written(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    writer, rater = make_account("writer"), make_account("rater")
    post = make_post(writer)
    note = add_note(services, post.id, writer, text="Two\tparts\nand a line.")
    rate(services, note, rater, "SOMEWHAT_HELPFUL", tags="helpfulClear,helpfulGoodSources")
    with services.db.read() as conn:
        first = export_tables(conn)
    with services.db.read() as conn:
        assert export_tables(conn) == first
    (exported,) = rows(first.notes)
    assert exported["summary"] == "Two\tparts\nand a line."
    assert b'"Two\tparts\nand a line."' in first.notes  # quoted, as pandas reads it
    (rating,) = rows(first.ratings)
    assert (rating["helpfulClear"], rating["helpfulGoodSources"], rating["helpfulOther"]) == (
        "1",
        "1",
        "0",
    )


def test_anyone_recomputes_the_runs_fingerprint_from_the_export(
    services: Services, make_account: AccountFactory, make_post: PostFactory, tmp_path: Path
) -> None:
    two_camps(services, make_account, make_post)
    summary = services.scoring_runs.run()
    with services.db.read() as conn:
        written = write_export(export_tables(conn), tmp_path / "export")
        logged = [decode_entry(e) for e in conn.execute(select(ledger_pending.c.entry)).scalars()]

    ratings_file = next(path for path in written if path.name.startswith("ratings"))
    recomputed = hashlib.sha256(ratings_file.read_bytes()).hexdigest()
    assert recomputed == summary.fingerprint
    assert {e.fields["input_fingerprint"] for e in logged if e.type == "notes.status"} == {
        recomputed
    }
    status_rows = rows((tmp_path / "export" / "noteStatusHistory-00000.tsv").read_bytes())
    assert {r["currentStatus"] for r in status_rows} == {
        "CURRENTLY_RATED_HELPFUL",
        "CURRENTLY_RATED_NOT_HELPFUL",
        "NEEDS_MORE_RATINGS",
    }
    decided = [r for r in status_rows if r["currentStatus"] != "NEEDS_MORE_RATINGS"]
    assert {r["currentDecidedBy"] for r in decided} == {"CoreModel (v1.1)"}
    assert all(r["timestampMillisOfMostRecentStatusChange"] for r in decided)


def test_every_participant_is_enrolled_where_both_scorers_keep_them_in_core(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    """The reference's Core drops a rater listed with group 0 or none, and its stable
    initialisation fails unless some ratings come from group 13: every participant is
    listed, earned in, in group 13 (a Core group), as our runs score them."""
    world = two_camps(services, make_account, make_post, per_camp=2)
    with services.db.read() as conn:
        enrolled = rows(export_tables(conn).enrollment)
    ids = [int(row["participantId"]) for row in enrolled]
    assert ids == sorted(set(ids))
    assert {a.id for a in (*world.left_camp, *world.right_camp)} <= set(ids)
    parameters = PipelineParameters()
    assert {row["modelingGroup"] for row in enrolled} == {str(parameters.stable_init_group)}
    assert parameters.stable_init_group in parameters.core_groups
    assert {(row["enrollmentState"], row["modelingPopulation"]) for row in enrolled} == {
        ("earnedIn", "CORE")
    }
