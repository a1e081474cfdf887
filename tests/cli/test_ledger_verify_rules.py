"""`townsquare ledger verify` passes over a log holding `rule.version` entries, as it does
over `policy.version` entries: they are verified as leaves and replay leaves them be."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from live_server import serve_asgi
from townsquare.app import Services, create_app
from townsquare.cli._ledger_commands import ledger_app
from townsquare.moderation import record_policies
from townsquare.moderation.rules import default_rule_directory, load_rules, record_rules

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def test_verify_passes_with_rule_version_entries(services: Services, tmp_path: Path) -> None:
    rules = load_rules(default_rule_directory(), services.policies)
    with services.db.write() as conn:
        logged = record_policies(conn, services.ledger, services.policies, NOW)
        logged += record_rules(conn, services.ledger, rules, NOW)
    services.ledger.integrate()
    with serve_asgi(create_app(services)) as url:
        args = ["verify", url, "--vkey", services.ledger.vkey(), "--state", str(tmp_path / "s")]
        result = CliRunner().invoke(ledger_app, args)
    output = result.stdout + result.stderr
    assert result.exit_code == 0, output
    assert output.startswith(f"OK: verified {logged} entries"), output
    assert "Moderation: replayed 0 decisions" in output
