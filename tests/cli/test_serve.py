"""`townsquare serve` for real: a server process answering on a free loopback port."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from townsquare.cli._serve import _demo_hint
from townsquare.demo import DEMO_PASSWORD, DemoLogin
from townsquare.microblog import Role

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[int, Path]]:
    database = tmp_path / "townsquare.db"
    database.write_bytes(sqlite_template.read_bytes())
    port = _free_port()
    log = tmp_path / "server.log"
    env = {
        **os.environ,
        "TOWNSQUARE_DATABASE_URL": f"sqlite:///{database}",
        "TOWNSQUARE_DATA_DIR": str(tmp_path / "data"),
    }
    command = [sys.executable, "-m", "townsquare.cli", "serve", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=15)


def _get(url: str) -> object:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                return json.loads(reply.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_answers_on_the_port_it_announces(server: tuple[int, Path]) -> None:
    port, log = server
    assert _get(f"http://127.0.0.1:{port}/api/v1/townsquare/ping") == {"ok": True}
    assert f"http://127.0.0.1:{port}/" in log.read_text()


def test_the_demo_hint_names_the_staff_and_the_password() -> None:
    hint = _demo_hint((DemoLogin("alix", "Alix", Role.ADMIN),))
    assert "@alix (admin)" in hint
    assert DEMO_PASSWORD in hint
