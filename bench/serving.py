"""What the benchmarks share: a fresh migrated database (and the services over it), and
the real server — `townsquare serve` in a subprocess on a loopback port."""

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from townsquare.app import Services, build_services
from townsquare.kernel import Clock
from townsquare.settings import Settings
from townsquare.storage import create_database_engine, migrate, tables

__all__ = ["fresh_database", "fresh_services", "running_process", "running_server"]


def fresh_database(url: str, data_dir: Path) -> str:
    """An empty migrated database: a SQLite file in `data_dir`, or the PostgreSQL one emptied."""
    if not url:
        url = f"sqlite:///{data_dir / 'townsquare.db'}"
    engine = create_database_engine(url)
    migrate(engine)
    if engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} CASCADE"))
    engine.dispose()
    return url


def fresh_services(url: str, data_dir: Path, clock: Clock) -> Services:
    """The application's services over `fresh_database(url, data_dir)`, on `clock`."""
    url = fresh_database(url, data_dir)
    settings = Settings(data_dir=data_dir, database_url=url, base_url="http://127.0.0.1")
    return build_services(settings, clock=clock)


@contextmanager
def running_server(
    database_url: str, data_dir: Path, port: int, workers: int, *, ready_path: str
) -> Iterator[Path]:
    """Serve `database_url` until the block ends; yield the server's log file.

    The server is up once `ready_path` answers 200; a server that exits or takes longer
    than 60 s ends the benchmark with its log's name.
    """
    env = {
        **os.environ,
        "TOWNSQUARE_DATABASE_URL": database_url,
        "TOWNSQUARE_DATA_DIR": str(data_dir),
        "TOWNSQUARE_BASE_URL": f"http://127.0.0.1:{port}",
    }
    command = [sys.executable, "-m", "townsquare.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    log_path = data_dir / "server.log"
    ready = f"http://127.0.0.1:{port}{ready_path}"
    with running_process(command, env=env, log_path=log_path, ready_url=ready, name="the server"):
        yield log_path


@contextmanager
def running_process(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    log_path: Path,
    ready_url: str,
    name: str,
    cwd: Path | None = None,
) -> Iterator[None]:
    """Run `command` (its output to `log_path`) until the block ends, once `ready_url`
    answers 200; a process that exits or takes longer than 60 s to answer ends the benchmark
    with its log's name. It is terminated at the end (killed after 15 s)."""
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(ready_url, server, log_path, name)
            yield
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_until_up(url: str, server: "subprocess.Popen[bytes]", log_path: Path, name: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"{name} exited with status {server.returncode} (log {log_path})")
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"{name} did not answer within 60 s (log {log_path})")
