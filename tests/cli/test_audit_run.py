"""`townsquare audit run`: publishes this server's audit, prints one sentence per comparison,
whether it alerts and the ledger entries, records the same result once, refuses a bad
threshold; `ledger verify` accepts the new entries."""

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from audits.audit_runs import restricted_camp
from cli.environment import cli_environment
from conftest import AccountFactory, PostFactory
from live_server import serve_asgi
from townsquare.app import Services, create_app
from townsquare.audits import ALERT_ENTRY_TYPE, AUDIT_ENTRY_TYPE
from townsquare.cli import app
from townsquare.cli._ledger_commands import ledger_app
from townsquare.ledger import decode_entry
from townsquare.settings import Settings
from townsquare.storage.tables import ledger_entries

runner = CliRunner()


def _audit_entry_types(services: Services) -> list[str]:
    with services.db.read() as conn:
        rows = conn.execute(select(ledger_entries.c.entry).order_by(ledger_entries.c.idx))
        types = [decode_entry(row).type for row in rows.scalars()]
    return [kind for kind in types if kind.startswith("audit.")]


@pytest.fixture
def world(services: Services, make_account: AccountFactory, make_post: PostFactory) -> None:
    restricted_camp(services, make_account, make_post)


def test_a_run_is_published_with_its_alert_and_sentences(
    world: None, services: Services, settings: Settings
) -> None:
    result = runner.invoke(app, ["audit", "run"], env=cli_environment(settings))

    assert result.exit_code == 0, result.output
    [published] = services.audits.published()
    assert f"Published: audit sha256 {published.sha256}" in result.stdout
    assert f"Ledger entry {published.ledger_index} (audit.impartiality)." in result.stdout
    assert "ALERT: 1 comparison(s) alert: restricted_per_comparable_post." in result.stdout
    [(_, alert_index)] = published.alert_indexes
    assert f"audit.alert for restricted_per_comparable_post: ledger entry {alert_index}" in (
        result.stdout
    )
    assert "as often as comparable posts from group B" in result.stdout
    assert _audit_entry_types(services) == [AUDIT_ENTRY_TYPE, ALERT_ENTRY_TYPE]


def test_the_same_result_again_is_recorded_once(
    world: None, services: Services, settings: Settings
) -> None:
    first = runner.invoke(app, ["audit", "run"], env=cli_environment(settings))
    again = runner.invoke(app, ["audit", "run"], env=cli_environment(settings))

    assert (first.exit_code, again.exit_code) == (0, 0), again.output
    assert "Already published (same result)" in again.stdout
    assert len(services.audits.published()) == 1
    assert _audit_entry_types(services) == [AUDIT_ENTRY_TYPE, ALERT_ENTRY_TYPE]


def test_a_higher_threshold_is_a_new_run_without_alert(
    world: None, services: Services, settings: Settings
) -> None:
    result = runner.invoke(
        app, ["audit", "run", "--threshold", "50"], env=cli_environment(settings)
    )

    assert result.exit_code == 0, result.output
    assert "No alert." in result.stdout
    assert _audit_entry_types(services) == [AUDIT_ENTRY_TYPE]


def test_a_threshold_out_of_range_is_refused(services: Services, settings: Settings) -> None:
    result = runner.invoke(
        app, ["audit", "run", "--threshold", "0.5"], env=cli_environment(settings)
    )

    assert result.exit_code == 1
    assert "threshold must be a ratio above 1" in result.stderr
    assert services.audits.published() == []


@pytest.mark.e2e
def test_ledger_verify_accepts_a_published_run_and_its_alert(
    world: None, services: Services, settings: Settings, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["audit", "run"], env=cli_environment(settings)).exit_code == 0
    services.ledger.integrate()
    with serve_asgi(create_app(services)) as url:
        vkey = services.ledger.vkey()
        verify = ["verify", url, "--vkey", vkey, "--state", str(tmp_path / "verifier")]
        result = runner.invoke(ledger_app, verify)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: verified")
