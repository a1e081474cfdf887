"""`townsquare serve` for real: a server process answering on a free loopback port."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from townsquare.cli import app
from townsquare.cli._serve import _demo_hint
from townsquare.demo import DEMO_PASSWORD, DemoLogin
from townsquare.ledger import read_or_create_signer
from townsquare.microblog import Role
from townsquare.moderation import default_policy_directory, load_policies
from townsquare.moderation.rules import default_rule_directory, load_rules

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(tmp_path: Path, template: Path, **environ: str) -> Iterator[tuple[int, Path]]:
    """`townsquare serve --port P` on a free port P, over a copy of the migrated `template`,
    with TOWNSQUARE_BASE_URL only if given in `environ`; yields P and the server's log."""
    database = tmp_path / "townsquare.db"
    database.write_bytes(template.read_bytes())
    port = _free_port()
    log = tmp_path / "server.log"
    env = {
        **{k: v for k, v in os.environ.items() if k != "TOWNSQUARE_BASE_URL"},
        "TOWNSQUARE_DATABASE_URL": f"sqlite:///{database}",
        "TOWNSQUARE_DATA_DIR": str(tmp_path / "data"),
        **environ,
    }
    command = [sys.executable, "-m", "townsquare.cli", "serve", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture
def server(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[int, Path]]:
    with serving(tmp_path, sqlite_template) as served:
        yield served


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


def test_serve_records_the_policy_and_rule_versions_before_serving(
    server: tuple[int, Path],
) -> None:
    port, log = server
    _get(f"http://127.0.0.1:{port}/api/v1/townsquare/ping")
    rules = load_rules(default_rule_directory(), load_policies(default_policy_directory()))
    announced = f"Recorded {len(rules.versions())} new automated rule versions in the ledger."
    assert announced in log.read_text().splitlines()


def test_without_a_base_url_discovery_names_the_port_served(server: tuple[int, Path]) -> None:
    """Regression: served on another port than 8000, OAuth discovery still said :8000, so
    Mastodon.py asked for its token on the wrong port."""
    port, log = server
    base = f"http://127.0.0.1:{port}"
    discovery = _get(f"{base}/.well-known/oauth-authorization-server")
    assert isinstance(discovery, dict)
    assert discovery["issuer"] == f"{base}/"
    assert discovery["token_endpoint"] == f"{base}/oauth/token"
    assert discovery["authorization_endpoint"] == f"{base}/oauth/authorize"
    instance = _get(f"{base}/api/v2/instance")
    assert isinstance(instance, dict)
    assert instance["domain"] == f"127.0.0.1:{port}"
    assert "Warning" not in log.read_text()


def test_a_base_url_for_another_address_is_kept_with_a_warning(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """Behind a reverse proxy the configured base URL is right, so it stays; otherwise the
    one-line warning says why clients go elsewhere."""
    with serving(tmp_path, sqlite_template, TOWNSQUARE_BASE_URL="https://town.example") as (
        port,
        log,
    ):
        discovery = _get(f"http://127.0.0.1:{port}/.well-known/oauth-authorization-server")
        assert isinstance(discovery, dict)
        assert discovery["token_endpoint"] == "https://town.example/oauth/token"
        warnings = [line for line in log.read_text().splitlines() if "Warning" in line]
    assert warnings == [
        "Warning: TOWNSQUARE_BASE_URL is https://town.example but this server listens on "
        f"127.0.0.1:{port}; links and OAuth discovery will send clients to the former (right "
        "only behind a reverse proxy)."
    ]


def test_a_ledger_begun_at_another_address_is_refused_with_what_to_do(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """`make run` starts the ledger at 127.0.0.1:8000; serving its data on another port
    without a base URL would sign checkpoints for another origin, so serve refuses and says
    why (before any worker starts)."""
    database = tmp_path / "townsquare.db"
    database.write_bytes(sqlite_template.read_bytes())
    read_or_create_signer(tmp_path / "data" / "ledger.key", "127.0.0.1:8000/ledger")
    env = {
        "TOWNSQUARE_DATABASE_URL": f"sqlite:///{database}",
        "TOWNSQUARE_DATA_DIR": str(tmp_path / "data"),
        "TOWNSQUARE_BASE_URL": None,  # unset during the command, as it was before
    }
    before = os.environ.get("TOWNSQUARE_BASE_URL")
    result = CliRunner().invoke(app, ["serve", "--port", "9011"], env=env)
    assert result.exit_code == 1
    assert "found one for '127.0.0.1:8000/ledger'" in result.output
    assert (
        "TOWNSQUARE_BASE_URL is not set, so the base URL is the address served, "
        "http://127.0.0.1:9011: serve the address the ledger began at" in result.output
    )
    assert os.environ.get("TOWNSQUARE_BASE_URL") == before  # the runner restored it


def test_the_demo_hint_names_the_staff_and_the_password() -> None:
    hint = _demo_hint((DemoLogin("alix", "Alix", Role.ADMIN),))
    assert "@alix (admin)" in hint
    assert DEMO_PASSWORD in hint
