"""Two `townsquare serve` processes on one PostgreSQL behave as one server: writes through
either are kept, exactly one sequencer signs the ledger, and when its holder is killed
(SIGKILL, no chance to clean up) the other takes over and the ledger stays one history."""

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from conftest import POSTGRES_SERVER_URL, postgres_database
from live_server import ServedTownsquare, serve_townsquare, wait_for
from townsquare.api._grants import Grants
from townsquare.api._scopes import parse_scopes
from townsquare.app import build_services
from townsquare.ledger import decode_entry
from townsquare.microblog import Role
from townsquare.settings import Settings
from townsquare.storage import create_database_engine, migrate
from townsquare.storage.tables import ledger_pending

pytestmark = pytest.mark.e2e

LEADING = re.compile(r"ledger sequencer: process (\d+) now integrates and signs the ledger")


@dataclass
class Server:
    """One `townsquare serve` process, and the pid of its process that leads the ledger."""

    served: ServedTownsquare

    @property
    def url(self) -> str:
        return self.served.url

    @property
    def process(self) -> "subprocess.Popen[bytes]":
        return self.served.process

    def leader_pid(self) -> int | None:
        """The pid of this server's process that took the lead last, if any did."""
        found = LEADING.findall(self.served.log.read_text(errors="replace"))
        return int(found[-1]) if found else None


@contextmanager
def _serving(environ: dict[str, str], log: Path) -> Iterator[Server]:
    with serve_townsquare(environ, log) as served:
        yield Server(served)


@dataclass(frozen=True)
class Writers:
    member: str
    admin: str


def _accounts(settings: Settings) -> Writers:
    services = build_services(settings)
    try:
        member = services.microblog.accounts.register("alice", "a long password")
        admin = services.microblog.accounts.register(
            "operator", "another long password", role=Role.ADMIN
        )
        grants = Grants(services.microblog)
        scopes = parse_scopes("read write")
        return Writers(
            member=grants.issue_token(None, member.id, scopes).access_token,
            admin=grants.issue_token(None, admin.id, scopes).access_token,
        )
    finally:
        services.db.dispose()


@dataclass
class Acknowledged:
    posts: list[str]
    windows: list[str]


def _write(server: Server, writers: Writers, done: Acknowledged, number: int) -> None:
    """A post and an election window (one ledger entry) through `server`; what it answered
    with success is acknowledged."""
    post = httpx.post(
        f"{server.url}/api/v1/statuses",
        headers={"Authorization": f"Bearer {writers.member}"},
        data={"status": f"written through {server.url}, number {number}"},
        timeout=30,
    )
    assert post.status_code == 200, post.text
    done.posts.append(post.json()["id"])
    starts = datetime.now(UTC) + timedelta(days=2)
    window = httpx.post(
        f"{server.url}/api/v1/townsquare/elections",
        headers={"Authorization": f"Bearer {writers.admin}"},
        json={
            "name": f"Election {number}",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(days=1)).isoformat(),
            "territories": ["FR"],
            "hashtags": [],
        },
        timeout=30,
    )
    assert window.status_code == 201, window.text
    done.windows.append(window.json()["id"])


def _verify(url: str, vkey: str, state: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "townsquare.cli", "ledger", "verify", url]
    return subprocess.run(
        [*command, "--vkey", vkey, "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(not POSTGRES_SERVER_URL, reason="needs TOWNSQUARE_TEST_POSTGRES_URL")
def test_two_servers_on_one_postgresql_survive_the_sequencer_being_killed(tmp_path: Path) -> None:
    with postgres_database("two_servers") as database_url, ExitStack() as stack:
        # (1) one database and one data folder (the keys) for both, as behind a reverse proxy
        data = tmp_path / "data"
        public_url = "http://townsquare.test"
        settings = Settings(data_dir=data, database_url=database_url, base_url=public_url)
        engine = create_database_engine(database_url)
        stack.callback(engine.dispose)
        migrate(engine)
        writers = _accounts(settings)
        environ = {
            "TOWNSQUARE_DATABASE_URL": database_url,
            "TOWNSQUARE_DATA_DIR": str(data),
            "TOWNSQUARE_BASE_URL": public_url,
        }
        first = stack.enter_context(_serving(environ, tmp_path / "first.log"))
        second = stack.enter_context(_serving(environ, tmp_path / "second.log"))

        # (2) writes through both; exactly one of them signs
        done = Acknowledged([], [])
        for number in range(6):
            _write((first, second)[number % 2], writers, done, number)
        wait_for("a leader", lambda: {first.leader_pid(), second.leader_pid()} != {None})
        leading, standing_by = (first, second) if first.leader_pid() else (second, first)
        assert standing_by.leader_pid() is None

        # (3) the leader's process is killed with no chance to let go; writes go on through
        # the other server meanwhile
        leader = leading.leader_pid()
        assert leader is not None
        os.kill(leader, signal.SIGKILL)
        for number in range(6, 12):
            _write(standing_by, writers, done, number)
        wait_for("the standby to take the lead", lambda: standing_by.leader_pid() is not None)

        # (4) nothing acknowledged is lost, every entry is integrated, one history verifies
        def queue_is_empty() -> bool:
            with engine.connect() as conn:
                return conn.execute(select(func.count()).select_from(ledger_pending)).scalar() == 0

        wait_for("the queue to drain", queue_is_empty)
        for post_id in done.posts:
            answer = httpx.get(f"{standing_by.url}/api/v1/statuses/{post_id}", timeout=30)
            assert answer.status_code == 200, post_id
        services = build_services(settings)
        stack.callback(services.db.dispose)
        ledger = services.ledger
        entries = [decode_entry(data) for data in ledger.entries(0, ledger.size())]
        logged = {
            str(entry.fields["window_id"])
            for entry in entries
            if entry.type == "moderation.election_window"
        }
        assert set(done.windows) <= logged
        verified = _verify(standing_by.url, ledger.vkey(), tmp_path / "verifier")
        assert verified.returncode == 0, verified.stdout + verified.stderr
