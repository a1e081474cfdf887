"""`townsquare notes run` and `townsquare notes export DIR`."""

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from conftest import AccountFactory, PostFactory
from notes.factories_runs import two_camps
from townsquare.app import Services
from townsquare.cli import app
from townsquare.settings import Settings

runner = CliRunner()


def _environment(settings: Settings) -> dict[str, str]:
    return {
        "TOWNSQUARE_DATA_DIR": str(settings.data_dir),
        "TOWNSQUARE_DATABASE_URL": settings.database_url,
        "TOWNSQUARE_BASE_URL": settings.base_url,
    }


def test_notes_run_applies_and_summarises(
    services: Services, settings: Settings, make_account: AccountFactory, make_post: PostFactory
) -> None:
    two_camps(services, make_account, make_post)
    result = runner.invoke(app, ["notes", "run"], env=_environment(settings))
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
    result = runner.invoke(app, ["notes", "export", str(out)], env=_environment(settings))
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
    result = runner.invoke(app, ["notes", "export", str(taken)], env=_environment(settings))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {taken}: exists and is not a folder; name a folder to write in"
    )
