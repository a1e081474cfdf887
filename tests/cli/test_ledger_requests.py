"""`townsquare ledger verify` checks outside requests against their commitments: an open
one by its own entry, a sealed one — once its release date has passed — against what the
server then publishes. A server that keeps it sealed too long, or changed it, fails."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from conftest import AccountFactory, PostFactory
from live_server import serve_asgi
from townsquare.app import Services, create_app
from townsquare.cli._ledger_commands import ledger_app
from townsquare.kernel import FixedClock
from townsquare.ledger import encode_entry
from townsquare.microblog import Role
from townsquare.moderation import (
    INTAKE_ENTRY_TYPE,
    ActionKind,
    ExternalRequest,
    Ground,
    PostTarget,
    RequestDraft,
    RequesterKind,
    commitment,
)
from townsquare.storage.tables import external_requests

pytestmark = pytest.mark.e2e

# The server's clock starts ten days ago; the verifier reads the real one.
STARTED = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(STARTED)


@dataclass(frozen=True)
class Server:
    url: str
    services: Services
    state: Path
    sealed: ExternalRequest

    def verify(self) -> tuple[int, str]:
        vkey = self.services.ledger.vkey()
        args = ["verify", self.url, "--vkey", vkey, "--state", str(self.state)]
        result = CliRunner().invoke(ledger_app, args)
        return result.exit_code, result.stdout + result.stderr


def _draft(post_id: int, **changes: object) -> RequestDraft:
    fields: dict[str, object] = {
        "requester_kind": RequesterKind.COURT,
        "requester": "Tribunal judiciaire de Lyon",
        "legal_basis": "Ordonnance de référé",
        "ground": Ground.ILLEGAL_CONTENT,
        "requested_action": ActionKind.REMOVE,
        "items": (PostTarget(post_id),),
        "summary": "An order to remove a defamatory post.",
        "country": "FR",
        **changes,
    }
    return RequestDraft(**fields)  # type: ignore[arg-type]


@pytest.fixture
def server(
    services: Services, tmp_path: Path, make_account: AccountFactory, make_post: PostFactory
) -> Iterator[Server]:
    moderator = make_account("mod", role=Role.MODERATOR)
    post = make_post(make_account("author"), "a post").id
    requests = services.moderation.requests
    requests.receive(_draft(post, requester_kind=RequesterKind.GOVERNMENT), logged_by=moderator.id)
    # Sealed for five days: its release date passed five days ago, by the verifier's clock.
    sealed = requests.receive(
        _draft(post, release_at=STARTED + timedelta(days=5)), logged_by=moderator.id
    )
    services.ledger.integrate()
    with serve_asgi(create_app(services)) as url:
        yield Server(url, services, tmp_path / "verifier-state", sealed)


def test_a_released_request_matches_its_commitment(server: Server, clock: FixedClock) -> None:
    clock.advance(timedelta(days=10))
    code, output = server.verify()
    assert code == 0, output
    assert (
        "Outside requests: 2 logged, 0 answered; 1 sealed entries released and matched to "
        "their commitments, 0 entries still sealed." in output
    )


def test_a_server_that_keeps_a_request_sealed_too_long_fails(server: Server) -> None:
    code, output = server.verify()  # the server's clock says the seal still holds
    assert code == 1, output
    assert f"request {server.sealed.id}: still sealed by the server after its release" in output


def test_a_request_changed_after_its_intake_fails(server: Server, clock: FixedClock) -> None:
    clock.advance(timedelta(days=10))
    with server.services.db.write() as conn:
        conn.execute(
            update(external_requests)
            .where(external_requests.c.id == server.sealed.id)
            .values(requester="Someone else")
        )
    code, output = server.verify()
    assert code == 1, output
    assert f"request {server.sealed.id}'s released details hash to" in output
    assert "but the ledger committed to" in output


def test_an_open_entry_that_does_not_match_its_commitment_fails(
    server: Server, clock: FixedClock
) -> None:
    clock.advance(timedelta(days=10))
    details = {"summary": "what the server shows"}
    forged = encode_entry(
        INTAKE_ENTRY_TYPE,
        1,
        {
            "request_id": "77",
            "received_at": STARTED.isoformat(),
            "release_at": None,
            "commitment": commitment("details", {"summary": "what it hashed"}, "00"),
            "details": details,
            "nonce": "00",
        },
    )
    with server.services.db.write() as conn:
        server.services.ledger.append(conn, forged)
    server.services.ledger.integrate()
    code, output = server.verify()
    assert code == 1, output
    assert "its details hash to" in output
