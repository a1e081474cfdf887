"""`townsquare report transparency`: writes report.json, the charts and the pages, prints
the hash the ledger holds, publishes once, and names a bad period with exit status 2."""

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audits.transparency_world import World, build_world
from cli.environment import cli_environment
from conftest import AccountFactory, PostFactory
from live_server import serve_asgi
from townsquare.app import Services, create_app
from townsquare.audits import REPORT_ENTRY_TYPE
from townsquare.cli import app
from townsquare.cli._ledger_commands import ledger_app
from townsquare.kernel import FixedClock
from townsquare.ledger import decode_entry
from townsquare.settings import Settings
from townsquare.storage.tables import ledger_pending

runner = CliRunner()
PERIOD = ["--from", "2026-01-01", "--to", "2026-07-01"]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 1, 5, tzinfo=UTC))


@pytest.fixture
def world(
    services: Services, clock: FixedClock, make_account: AccountFactory, make_post: PostFactory
) -> World:
    return build_world(services, clock, make_account, make_post)


def _report_entries(services: Services) -> list[dict[str, object]]:
    with services.db.read() as conn:
        rows = conn.execute(ledger_pending.select().order_by(ledger_pending.c.id)).all()
    entries = [decode_entry(row.entry) for row in rows]
    return [dict(e.fields) for e in entries if e.type == REPORT_ENTRY_TYPE]


def test_the_report_is_written_and_its_hash_is_in_the_ledger(
    world: World, services: Services, settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    result = runner.invoke(
        app, ["report", "transparency", *PERIOD, "--out", str(out)], env=cli_environment(settings)
    )
    assert result.exit_code == 0, result.output
    document = (out / "report.json").read_bytes()
    sha256 = hashlib.sha256(document).hexdigest()
    assert f"published 2026-01-01 → 2026-07-01: sha256 {sha256}" in result.stdout
    [entry] = _report_entries(services)
    assert entry["sha256"] == sha256
    assert json.loads(document)["appeals"]["reversed"] == 1
    assert "Drawing 5 charts…" in result.stderr
    assert sorted(p.name for p in out.glob("*.svg")) == [
        "actions-by-ground.svg",
        "actions-by-source.svg",
        "appeals-outcome.svg",
        "median-hours.svg",
        "notices-by-category.svg",
    ]
    english, french = (out / "index.html").read_text(), (out / "index.fr.html").read_text()
    assert sha256 in english
    assert sha256 in french
    assert english.count("<svg") == 5
    assert 'href="report.json"' in english
    assert "Rapport de transparence" in french


def test_publishing_the_same_period_again_appends_nothing(
    world: World, services: Services, settings: Settings, tmp_path: Path
) -> None:
    args = ["report", "transparency", *PERIOD, "--out", str(tmp_path / "a")]
    assert runner.invoke(app, args, env=cli_environment(settings)).exit_code == 0
    args[-1] = str(tmp_path / "b")
    again = runner.invoke(app, args, env=cli_environment(settings))
    assert again.exit_code == 0, again.output
    assert "already published 2026-01-01 → 2026-07-01 with these numbers" in again.stdout
    assert len(_report_entries(services)) == 1
    assert (tmp_path / "a" / "report.json").read_bytes() == (
        tmp_path / "b" / "report.json"
    ).read_bytes()


@pytest.mark.parametrize(
    ("period", "named"),
    [
        (["--from", "2026-07-01", "--to", "2026-01-01"], "2026-07-01 → 2026-01-01"),
        (["--from", "1 Jan", "--to", "2026-07-01"], "'1 Jan'"),
        (["--from", "2099-01-01", "--to", "2099-07-01"], "not over yet"),
    ],
)
def test_a_bad_period_is_a_usage_error_naming_it(
    services: Services, settings: Settings, tmp_path: Path, period: list[str], named: str
) -> None:
    args = ["report", "transparency", *period, "--out", str(tmp_path / "out")]
    result = runner.invoke(app, args, env=cli_environment(settings))
    assert result.exit_code == 2
    assert named in result.stderr
    assert not (tmp_path / "out").exists()
    assert _report_entries(services) == []


@pytest.mark.e2e
def test_ledger_verify_accepts_a_published_report(
    world: World, services: Services, settings: Settings, tmp_path: Path
) -> None:
    args = ["report", "transparency", *PERIOD, "--out", str(tmp_path / "out")]
    assert runner.invoke(app, args, env=cli_environment(settings)).exit_code == 0
    services.ledger.integrate()
    with serve_asgi(create_app(services)) as url:
        vkey = services.ledger.vkey()
        verify = ["verify", url, "--vkey", vkey, "--state", str(tmp_path / "verifier")]
        result = runner.invoke(ledger_app, verify)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: verified")
