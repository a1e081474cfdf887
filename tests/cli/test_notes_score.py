"""`townsquare notes score` on files in the public layouts: the result files, the summary, and
one clear line (never a traceback) for input it cannot read."""

import io
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from townsquare.cli import app
from townsquare.cli._notes_commands import _spinners
from townsquare.notes.scoring import HELPFULNESS_SCORES_COLUMNS, SCORED_NOTES_COLUMNS

SAMPLES = Path(__file__).parents[1] / "notes" / "scoring" / "tsv_samples"
PUBLIC = SAMPLES / "public"
NUMERIC = SAMPLES / "numeric"


def score(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["notes", "score", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def rows(path: Path) -> list[dict[str, str]]:
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    return [dict(zip(header.split("\t"), line.split("\t"), strict=True)) for line in lines]


def test_the_public_samples_are_scored_into_the_reference_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = score(
        "--notes",
        PUBLIC / "notes-00000.tsv",
        "--ratings",
        PUBLIC / "ratings",
        "--status",
        PUBLIC / "noteStatusHistory-00000.tsv",
        "--enrollment",
        PUBLIC / "userEnrollment-00000.tsv",
        "--out",
        out,
    )
    assert code == 0, stderr
    header = (out / "scored_notes.tsv").read_text().splitlines()[0].split("\t")
    assert tuple(header) == SCORED_NOTES_COLUMNS
    notes = {row["noteId"]: row for row in rows(out / "scored_notes.tsv")}
    assert len(notes) == 12
    status = {note_id[-2:]: row["finalRatingStatus"] for note_id, row in notes.items()}
    # helpful to both opposed groups and to the neutral raters
    assert status["01"] == "CURRENTLY_RATED_HELPFUL"
    assert float(notes["1600000000000001"]["coreNoteIntercept"]) > 0.4
    assert status["02"] == "CURRENTLY_RATED_NOT_HELPFUL"
    assert notes["1600000000000003"]["coreRatingStatus"] == "NEEDS_MORE_RATINGS"
    assert notes["1600000000000003"]["numRatings"] == "2"
    # the not-misleading note is rated as the first one, but only a misleading note is shown
    assert float(notes["1600000000000004"]["coreNoteIntercept"]) > 0.4
    assert status["04"] == "NEEDS_MORE_RATINGS"
    # liked by one side only: the factor explains it, the intercept stays low
    for one_sided in ("1600000000000005", "1600000000000006"):
        assert notes[one_sided]["finalRatingStatus"] == "NEEDS_MORE_RATINGS"
        assert abs(float(notes[one_sided]["coreNoteFactor1"])) > 0.5
        assert float(notes[one_sided]["coreNoteIntercept"]) < 0.4
    raters = rows(out / "helpfulness_scores.tsv")
    assert tuple(raters[0]) == HELPFULNESS_SCORES_COLUMNS
    assert {row["raterParticipantId"] for row in raters} == {
        f"A1B2C3D4E5F6{k:04X}" for k in range(23)
    }
    # every rater's valid ratings agree with the first round's decisions
    assert {row["aboveHelpfulnessThreshold"] for row in raters} == {"True"}
    assert "Scored 12 notes from 255 ratings by 23 raters" in stdout
    assert (
        "final status: 10 NEEDS_MORE_RATINGS, 1 CURRENTLY_RATED_HELPFUL, "
        "1 CURRENTLY_RATED_NOT_HELPFUL"
    ) in stdout
    assert "skipped 1 ratings of notes in neither the notes nor the status history" in stdout


def test_outside_a_terminal_each_step_is_one_plain_line(tmp_path: Path) -> None:
    code, stdout, _ = score(
        "--notes", NUMERIC / "notes.tsv", "--ratings", NUMERIC / "ratings.tsv", "--out", tmp_path
    )
    assert code == 0
    steps = [line.strip().split(":")[0] for line in stdout.splitlines() if line.startswith("  ")]
    assert steps[:4] == [
        f"reading {NUMERIC / 'notes.tsv'}",
        f"reading {NUMERIC / 'ratings.tsv'}",
        "scoring",
        "writing",
    ]
    raters = rows(tmp_path / "helpfulness_scores.tsv")
    assert [row["raterParticipantId"] for row in raters] == [str(1000 + k) for k in range(23)]


def test_on_a_terminal_each_step_ends_as_a_done_spinner_with_what_it_did() -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=100, record=True)
    with _spinners(console) as steps:
        answer = steps.run("reading [notes].tsv", lambda: 42, lambda n: f"{n} notes")
    assert answer == 42
    assert "done reading [notes].tsv: 42 notes" in console.export_text()


def test_malformed_input_is_one_line_naming_file_line_and_column(tmp_path: Path) -> None:
    notes = tmp_path / "notes.tsv"
    text = (NUMERIC / "notes.tsv").read_text()
    notes.write_text(text.replace("1660000000002", "noon", 1))
    code, stdout, stderr = score(
        "--notes", notes, "--ratings", NUMERIC / "ratings.tsv", "--out", tmp_path / "out"
    )
    assert code == 1
    assert stderr.strip() == (
        f"Error: {notes}, line 4, column 3 (createdAtMillis): expected a whole number, found 'noon'"
    )
    assert "Traceback" not in stdout + stderr
    assert not (tmp_path / "out").exists()


def test_a_duplicate_rating_is_one_line_naming_both_lines(tmp_path: Path) -> None:
    ratings = tmp_path / "ratings.tsv"
    lines = (NUMERIC / "ratings.tsv").read_text().splitlines()
    ratings.write_text("\n".join([*lines, lines[1]]) + "\n")
    code, _, stderr = score(
        "--notes", NUMERIC / "notes.tsv", "--ratings", ratings, "--out", tmp_path
    )
    assert code == 1
    assert stderr.strip() == (
        f"Error: {ratings}, line {len(lines) + 1}: this rater rated this note already given at "
        f"{ratings}, line 2; expected one row each"
    )


def test_an_empty_ratings_directory_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "ratings"
    empty.mkdir()
    code, _, stderr = score(
        "--notes", NUMERIC / "notes.tsv", "--ratings", empty, "--out", tmp_path / "out"
    )
    assert code == 1
    assert stderr.strip() == f"Error: {empty}: the directory holds no .tsv file"


def test_ratings_of_other_notes_are_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notes.tsv"
    other_ids = (NUMERIC / "notes.tsv").read_text().replace("16000000000000", "17000000000000")
    notes.write_text(other_ids)
    code, _, stderr = score(
        "--notes", notes, "--ratings", NUMERIC / "ratings.tsv", "--out", tmp_path / "out"
    )
    assert code == 1
    assert stderr.strip() == (
        f"Error: {NUMERIC / 'ratings.tsv'}, line 2, column 1 (noteId): expected a note of the "
        f"notes file or the status history, found '1600000000000001'; no rating is of one of "
        f"those notes: expected files from one download"
    )


def test_an_output_directory_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, stderr = score(
        "--notes",
        NUMERIC / "notes.tsv",
        "--ratings",
        NUMERIC / "ratings.tsv",
        "--out",
        blocker / "out",
    )
    assert code == 1
    expected = f"Error: cannot write the results in {blocker / 'out'}: Not a directory"
    assert stderr.strip() == expected
