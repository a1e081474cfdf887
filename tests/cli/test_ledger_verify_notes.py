"""`townsquare ledger verify` re-derives the notes shown from the `notes.status` entries and
checks them against the list the server publishes."""

from pathlib import Path

import pytest
from sqlalchemy import delete
from typer.testing import CliRunner

from conftest import AccountFactory, PostFactory
from live_server import serve_asgi
from notes.factories_runs import two_camps
from townsquare.app import Services, create_app
from townsquare.cli._ledger_commands import ledger_app
from townsquare.storage.tables import note_statuses

pytestmark = pytest.mark.e2e


def verify(services: Services, url: str, state: Path) -> tuple[int, str]:
    args = ["verify", url, "--vkey", services.ledger.vkey(), "--state", str(state)]
    result = CliRunner().invoke(ledger_app, args)
    return result.exit_code, result.stdout + result.stderr


def test_verify_derives_the_shown_notes_and_matches_the_server(
    services: Services, make_account: AccountFactory, make_post: PostFactory, tmp_path: Path
) -> None:
    two_camps(services, make_account, make_post)
    services.scoring_runs.run()
    services.ledger.integrate()
    with serve_asgi(create_app(services)) as url:
        code, out = verify(services, url, tmp_path / "state")
    assert code == 0, out
    assert (
        "Community notes: replayed 2 status changes: 1 notes shown, the same as the server "
        "publishes." in out
    )


def test_verify_fails_when_the_server_hides_a_note_its_ledger_shows(
    services: Services, make_account: AccountFactory, make_post: PostFactory, tmp_path: Path
) -> None:
    world = two_camps(services, make_account, make_post)
    services.scoring_runs.run()
    services.ledger.integrate()
    with services.db.write() as conn:  # a tampered projection
        conn.execute(delete(note_statuses).where(note_statuses.c.note_id == world.bridging))
    with serve_asgi(create_app(services)) as url:
        code, out = verify(services, url, tmp_path / "state")
    assert code == 1
    assert "Verification failed: the server shows notes the ledger does not (none)" in out
    assert f"hides notes it shows ({world.bridging})" in out
