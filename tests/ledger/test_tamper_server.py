"""End to end: `townsquare ledger verify` against a running server whose database is tampered.

Each scenario is something an operator with database access could try: edit an entry, drop
one, rewrite history and sign it with the log's own key, or swap the checkpoint for one signed
by another key. Each must make `verify` fail, saying what it expected and what it found.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from typer.testing import CliRunner

from live_server import serve_asgi
from townsquare.app import Services, create_app
from townsquare.cli._ledger_commands import ledger_app
from townsquare.ledger import Signer, encode_entry, sign_note
from townsquare.storage.tables import (
    ledger_checkpoints,
    ledger_cosignatures,
    ledger_entries,
    ledger_tiles,
)

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Server:
    url: str
    services: Services
    state: Path

    def verify(self) -> tuple[int, str]:
        """Run `townsquare ledger verify`; (exit code, stdout + stderr)."""
        vkey = self.services.ledger.vkey()
        args = ["verify", self.url, "--vkey", vkey, "--state", str(self.state)]
        result = CliRunner().invoke(ledger_app, args)
        return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def server(services: Services, tmp_path: Path) -> Iterator[Server]:
    with serve_asgi(create_app(services)) as url:
        yield Server(url, services, tmp_path / "verifier-state")


def append(services: Services, *numbers: int, kind: str = "test.action") -> None:
    with services.db.write() as conn:
        for number in numbers:
            services.ledger.append(conn, encode_entry(kind, 1, {"n": number}))
    services.ledger.integrate()


def assert_fails(server: Server, *expected: str) -> None:
    code, output = server.verify()
    assert code == 1, output
    assert output.startswith("Verification failed: "), output
    for part in expected:
        assert part in output, output


@pytest.fixture
def verified_server(server: Server) -> Server:
    """A server with 10 entries that `verify` accepted (its state saved)."""
    append(server.services, *range(10))
    code, output = server.verify()
    assert code == 0, output
    assert output.startswith(f"OK: verified 10 entries of {server.services.ledger.origin}")
    return server


def test_a_growing_server_log_verifies_run_after_run(verified_server: Server) -> None:
    append(verified_server.services, *range(10, 300))

    code, output = verified_server.verify()

    assert code == 0, output
    assert "verified 300 entries" in output
    assert "extends the checkpoint of size 10 verified before" in output


def test_an_edited_entry_row_is_caught(verified_server: Server) -> None:
    with verified_server.services.db.write() as conn:
        edited = encode_entry("test.action", 1, {"n": 99})
        conn.execute(update(ledger_entries).where(ledger_entries.c.idx == 3).values(entry=edited))

    assert_fails(
        verified_server,
        "tile/entries/000.p/10 (entries 0 to 9): entry 3 of the bundle: expected leaf hash",
    )


def test_a_deleted_entry_row_is_caught(verified_server: Server) -> None:
    with verified_server.services.db.write() as conn:
        conn.execute(delete(ledger_entries).where(ledger_entries.c.idx == 3))

    assert_fails(
        verified_server, "tile/entries/000.p/10: GET ", "/ledger/tile/entries/000.p/10: expected "
    )


def test_a_rewritten_history_signed_with_the_right_key_is_a_fork(verified_server: Server) -> None:
    services = verified_server.services
    with services.db.write() as conn:
        for table in (ledger_cosignatures, ledger_checkpoints, ledger_tiles, ledger_entries):
            conn.execute(delete(table))
    append(services, *range(12), kind="test.rewritten")

    assert_fails(
        verified_server,
        "fork: expected the tree of size 12 to extend the last verified "
        f"{services.ledger.origin} at size 10",
    )


def test_a_rewritten_history_of_the_same_size_is_a_fork(verified_server: Server) -> None:
    services = verified_server.services
    with services.db.write() as conn:
        for table in (ledger_cosignatures, ledger_checkpoints, ledger_tiles, ledger_entries):
            conn.execute(delete(table))
    append(services, *range(10), kind="test.rewritten")

    assert_fails(verified_server, "fork: expected root ", "at size 10 (last verified)")


def test_a_checkpoint_signed_by_another_key_is_caught(verified_server: Server) -> None:
    services = verified_server.services
    impostor, log_key = Signer(services.ledger.origin, b"\x66" * 32), services.ledger.verifier
    checkpoint = services.ledger.checkpoint()
    with services.db.write() as conn:
        note = sign_note(checkpoint.format(), [impostor]).decode()
        latest = ledger_checkpoints.c.size == checkpoint.size
        conn.execute(update(ledger_checkpoints).where(latest).values(note=note))

    assert_fails(
        verified_server,
        f"checkpoint: note: expected a signature by {log_key.name}+{log_key.key_id:08x}, ",
        f"found signatures by {impostor.name}+{impostor.key_id:08x} only",
    )


def test_a_rollback_to_an_older_checkpoint_is_caught(verified_server: Server) -> None:
    services = verified_server.services
    with services.db.write() as conn:
        conn.execute(delete(ledger_checkpoints).where(ledger_checkpoints.c.size == 10))
    # Only older checkpoints remain: the server now serves the smaller tree it signed before.
    remaining = services.ledger.checkpoint().size

    assert_fails(
        verified_server, "rollback: expected a tree of at least 10 entries", f"size {remaining}"
    )
