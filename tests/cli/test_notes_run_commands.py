"""`townsquare notes run` and `townsquare notes export DIR`, and `notes score` reading an
export back."""

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cli.environment import cli_environment
from conftest import AccountFactory, PostFactory
from notes.factories_runs import two_camps
from townsquare.app import Services
from townsquare.cli import app
from townsquare.settings import Settings
from townsquare.storage.tables import note_run_scores

runner = CliRunner()


def test_notes_run_applies_and_summarises(
    services: Services, settings: Settings, make_account: AccountFactory, make_post: PostFactory
) -> None:
    two_camps(services, make_account, make_post)
    result = runner.invoke(app, ["notes", "run"], env=cli_environment(settings))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines[0].endswith(": applied")
    assert "10 notes scored" in lines
    assert "  CURRENTLY_RATED_HELPFUL: 1" in lines
    assert "2 status changes" in lines
    assert lines[-1] == "2 ledger entries written"


def test_notes_export_writes_the_four_files_and_the_fingerprint(
    services: Services,
    settings: Settings,
    make_account: AccountFactory,
    make_post: PostFactory,
    tmp_path: Path,
) -> None:
    two_camps(services, make_account, make_post, per_camp=2)
    out = tmp_path / "public"
    result = runner.invoke(app, ["notes", "export", str(out)], env=cli_environment(settings))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "noteStatusHistory-00000.tsv",
        "notes-00000.tsv",
        "ratings-00000.tsv",
        "userEnrollment-00000.tsv",
    ]
    digest = hashlib.sha256((out / "ratings-00000.tsv").read_bytes()).hexdigest()
    assert result.stdout.splitlines()[-1] == f"ratings fingerprint (SHA-256) {digest}"


def test_notes_export_refuses_a_file_in_place_of_the_folder(
    settings: Settings, services: Services, tmp_path: Path
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("")
    result = runner.invoke(app, ["notes", "export", str(taken)], env=cli_environment(settings))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {taken}: exists and is not a folder; name a folder to write in"
    )


def test_notes_score_reads_an_export_back_and_agrees_with_the_run(
    services: Services,
    settings: Settings,
    make_account: AccountFactory,
    make_post: PostFactory,
    tmp_path: Path,
) -> None:
    """The round trip: the files exported just before a run are the run's input, so their
    ratings file hashes to the run's fingerprint and `notes score` on them decides as the
    run did, note for note."""
    two_camps(services, make_account, make_post)
    public = tmp_path / "public"
    exported = runner.invoke(app, ["notes", "export", str(public)], env=cli_environment(settings))
    assert exported.exit_code == 0, exported.output
    summary = services.scoring_runs.run()
    ratings = public / "ratings-00000.tsv"
    assert summary.fingerprint == hashlib.sha256(ratings.read_bytes()).hexdigest()

    out = tmp_path / "scored"
    files = {
        "--notes": "notes-00000.tsv",
        "--ratings": "ratings-00000.tsv",
        "--status": "noteStatusHistory-00000.tsv",
        "--enrollment": "userEnrollment-00000.tsv",
    }
    arguments = [part for option, name in files.items() for part in (option, str(public / name))]
    scored = runner.invoke(app, ["notes", "score", *arguments, "--out", str(out)])
    assert scored.exit_code == 0, scored.output

    header, *lines = (out / "scored_notes.tsv").read_text().splitlines()
    rescored = [dict(zip(header.split("\t"), line.split("\t"), strict=True)) for line in lines]
    again = {int(row["noteId"]): row for row in rescored}
    query = select(note_run_scores).where(note_run_scores.c.run_id == summary.run_id)
    with services.db.read() as conn:
        run = {row.note_id: row for row in conn.execute(query)}
    assert sorted(again) == sorted(run)
    assert len(run) == 10
    assert {n: r["finalRatingStatus"] for n, r in again.items()} == {
        n: row.status for n, row in run.items()
    }
    for note_id, row in run.items():
        intercept = again[note_id]["coreNoteIntercept"]
        assert (float(intercept) if intercept else None) == pytest.approx(row.intercept, abs=1e-9)
