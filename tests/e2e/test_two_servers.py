"""Two `townsquare serve` processes on one PostgreSQL behave as one server: writes through
either are kept, exactly one sequencer signs the ledger, and when its holder is killed
(SIGKILL, no chance to clean up) the other takes over and the ledger stays one history."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from conftest import POSTGRES_SERVER_URL, postgres_database
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
    """One `townsquare serve` process (granian runs the app in a worker process of its own)."""

    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def leader_pid(self) -> int | None:
        """The pid of this server's process that took the lead last, if any did."""
        found = LEADING.findall(self.log.read_text(errors="replace"))
        return int(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_for(what: str, ready: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.1)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/v1/townsquare/ping", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def _serving(environ: dict[str, str], log: Path) -> Iterator[Server]:
    port = _free_port()
    command = [sys.executable, "-m", "townsquare.cli", "serve", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, env={**os.environ, **environ}, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", log, process)
    try:
        _wait_for(f"the server on port {port}", lambda: _answers(server.url))
        yield server
    finally:
        for child in _children(process.pid):  # granian's worker, if it outlived its parent
            _kill(child)
        process.terminate()
        process.wait(timeout=15)


def _children(pid: int) -> list[int]:
    listed = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True)
    return [int(word) for word in listed.stdout.split()]


def _kill(pid: int) -> None:
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


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
        _wait_for("a leader", lambda: {first.leader_pid(), second.leader_pid()} != {None})
        leading, standing_by = (first, second) if first.leader_pid() else (second, first)
        assert standing_by.leader_pid() is None

        # (3) the leader's process is killed with no chance to let go; writes go on through
        # the other server meanwhile
        leader = leading.leader_pid()
        assert leader is not None
        os.kill(leader, signal.SIGKILL)
        for number in range(6, 12):
            _write(standing_by, writers, done, number)
        _wait_for("the standby to take the lead", lambda: standing_by.leader_pid() is not None)

        # (4) nothing acknowledged is lost, every entry is integrated, one history verifies
        def queue_is_empty() -> bool:
            with engine.connect() as conn:
                return conn.execute(select(func.count()).select_from(ledger_pending)).scalar() == 0

        _wait_for("the queue to drain", queue_is_empty)
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
