"""`townsquare ledger verify` replays moderation from the published entries alone, against a
running server: the visibility they imply is summarised, and a decision `enforce` could not
have written fails verification, saying which entry and why."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import AccountFactory, PostFactory
from live_server import serve_asgi
from townsquare.app import Services, create_app
from townsquare.cli._ledger_commands import ledger_app
from townsquare.ledger import JSON, decode_entry, encode_entry
from townsquare.microblog import Role
from townsquare.moderation import (
    DECISION_ENTRY_TYPE,
    Action,
    ActionKind,
    Decision,
    PostTarget,
    ReviewDraw,
    review_draw_entry,
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


@dataclass(frozen=True)
class Moderated:
    """Two posts removed, one of them restored: one restriction in force."""

    server: Server
    restore: Action


@pytest.fixture
def moderated(
    services: Services,
    tmp_path: Path,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> Iterator[Moderated]:
    moderator = make_account("mod", role=Role.MODERATOR)
    author = make_account("author")
    clause = next(
        c for c in services.policies.clauses.values() if ActionKind.REMOVE in c.allowed_actions
    )

    def enforce(action: ActionKind, post_id: int, restores: int | None = None) -> Action:
        target = PostTarget(post_id)
        decision = Decision(moderator.id, action, target, clause.ref, "Facts.", restores=restores)
        return services.moderation.enforce(decision)

    first, second = make_post(author, "one").id, make_post(author, "two").id
    enforce(ActionKind.REMOVE, first)
    removal = enforce(ActionKind.REMOVE, second)
    restore = enforce(ActionKind.RESTORE, second, restores=removal.id)
    services.ledger.integrate()
    with serve_asgi(create_app(services)) as url:
        yield Moderated(Server(url, services, tmp_path / "verifier-state"), restore)


def _publish(services: Services, entry: bytes) -> int:
    """Log `entry` as the server would (a signed, well-formed log): only replay objects."""
    with services.db.write() as conn:
        services.ledger.append(conn, entry)
    services.ledger.integrate()
    return services.ledger.checkpoint().size - 1


def _forged(restore: Action, **changes: JSON) -> bytes:
    logged = decode_entry(restore.entry)
    return encode_entry(logged.type, logged.version, {**logged.fields, **changes})


def test_verify_replays_the_published_decisions(moderated: Moderated) -> None:
    code, output = moderated.server.verify()
    assert code == 0, output
    assert output.startswith("OK: verified"), output
    assert "Moderation: replayed 3 decisions: 1 restrictions in force." in output


def test_a_decision_with_an_unknown_action_kind_fails_verification(moderated: Moderated) -> None:
    index = _publish(moderated.server.services, _forged(moderated.restore, action="explode"))

    code, output = moderated.server.verify()
    assert code == 1, output
    assert output.startswith(f"Verification failed: ledger entry {index}: a {DECISION_ENTRY_TYPE}")
    assert "'explode' is not a valid ActionKind" in output


def test_a_restore_of_an_unknown_action_fails_verification(moderated: Moderated) -> None:
    forged = _forged(moderated.restore, action_id="1", restores="424242")
    index = _publish(moderated.server.services, forged)

    code, output = moderated.server.verify()
    assert code == 1, output
    assert f"ledger entry {index}:" in output
    assert "restores action 424242: expected a restriction in force, found none" in output


def test_restoring_the_same_action_twice_fails_verification(moderated: Moderated) -> None:
    index = _publish(moderated.server.services, _forged(moderated.restore, action_id="2"))

    code, output = moderated.server.verify()
    assert code == 1, output
    assert f"ledger entry {index}:" in output
    assert "expected a restriction in force, found none" in output


def test_verify_recomputes_each_draw_for_second_review(moderated: Moderated) -> None:
    services = moderated.server.services
    drawn = services.moderation.second_reviews.draw(1)
    services.ledger.integrate()

    code, output = moderated.server.verify()
    assert code == 0, output
    assert len(drawn.drawn) == 1
    assert "Second reviews: recomputed 1 draws from their seeds" in output


def test_a_draw_that_did_not_draw_what_its_seed_gives_fails_verification(
    moderated: Moderated,
) -> None:
    services = moderated.server.services
    checkpoint = services.ledger.checkpoint()
    forged = ReviewDraw(
        id=1,
        drawn_at=datetime(2026, 6, 1, tzinfo=UTC),
        tree_size=checkpoint.size,
        root_hash=checkpoint.root_hash,
        candidates=2,
        asked=2,
        drawn=(0,),  # two candidates, two asked: both must be drawn
    )
    index = _publish(services, review_draw_entry(forged))

    code, output = moderated.server.verify()
    assert code == 1, output
    assert f"Verification failed: ledger entry {index}: expected drawn [0]" in output
