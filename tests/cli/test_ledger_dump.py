"""`townsquare ledger dump` prints the integrated entries with their indexes."""

import json

from typer.testing import CliRunner

from cli.environment import cli_environment
from townsquare.app import Services
from townsquare.cli import app
from townsquare.ledger import encode_entry
from townsquare.settings import Settings

runner = CliRunner()


def _log_of(services: Services, count: int) -> None:
    with services.db.write() as conn:
        for n in range(count):
            services.ledger.append(conn, encode_entry("test.note", 1, {"n": n}))
    services.ledger.integrate()


def test_dump_prints_every_entry_as_a_json_line(services: Services, settings: Settings) -> None:
    _log_of(services, 5)
    result = runner.invoke(app, ["ledger", "dump"], env=cli_environment(settings))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["index"] for line in lines] == [0, 1, 2, 3, 4]
    assert lines[3]["entry"] == {"type": "test.note", "v": 1, "n": 3}


def test_dump_prints_a_range(services: Services, settings: Settings) -> None:
    _log_of(services, 5)
    result = runner.invoke(
        app, ["ledger", "dump", "--from", "1", "--to", "3"], env=cli_environment(settings)
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["index"] for line in result.stdout.splitlines()] == [1, 2]


def test_dump_leaves_out_entries_not_yet_integrated(services: Services, settings: Settings) -> None:
    _log_of(services, 2)
    with services.db.write() as conn:
        services.ledger.append(conn, encode_entry("test.note", 1, {"n": 99}))
    result = runner.invoke(app, ["ledger", "dump"], env=cli_environment(settings))
    assert len(result.stdout.splitlines()) == 2
