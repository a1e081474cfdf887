"""`townsquare demo` says what it is doing: a first line with the expected duration, then
(outside a terminal, as in a log) a plain line as each stage starts and ends."""

import pytest
from typer.testing import CliRunner

from townsquare.cli import app
from townsquare.cli._demo import _StageLines, estimated_seconds
from townsquare.demo import Stage
from townsquare.settings import Settings


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_estimate_matches_the_measured_default_world() -> None:
    assert estimated_seconds(300, 10_000) == 20  # measured: 14 s on a 2-core machine
    assert estimated_seconds(30, 300) == 10  # never less than 10 s
    assert estimated_seconds(600, 20_000) == 30


def test_outside_a_terminal_the_demo_prints_a_line_per_stage(settings: Settings) -> None:
    env = {
        "TOWNSQUARE_DATA_DIR": str(settings.data_dir),
        "TOWNSQUARE_DATABASE_URL": settings.database_url,
    }
    args = ["demo", "--seed", "3", "--accounts", "30", "--posts", "300"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Loading the demo world (about 10 s on a 2-core machine)..."
    progress = [line.strip() for line in lines[1:] if line.startswith("  ") and ": " in line]
    stages = [line.split(":")[0] for line in progress]
    assert stages[:2] == ["accounts", "accounts"]
    assert progress[0] == "accounts: 30 to load"
    assert progress[1].startswith("accounts: 30 loaded in ")
    for stage in Stage:
        assert f"{stage}" in stages, stage
    ordered = list(dict.fromkeys(stages))
    assert ordered == ["accounts", "follows", "activity", "moderation", "notes", "audit", "rules"]
    summary = next(i for i, line in enumerate(lines) if line.startswith("Loaded the demo world"))
    assert all(lines.index(f"  {line}") < summary for line in progress)


def test_a_long_stage_reports_every_fifteen_seconds(capsys: pytest.CaptureFixture[str]) -> None:
    clock = FakeClock()
    lines = _StageLines(clock)
    lines.update(Stage.ACTIVITY, 0, 1000)
    for done, seconds in [(100, 5.0), (200, 16.0), (300, 20.0), (900, 31.5), (1000, 40.0)]:
        clock.now = 100.0 + seconds
        lines.update(Stage.ACTIVITY, done, 1000)
    lines.update(Stage.ACTIVITY, 1000, 1000)  # reported twice: said once
    assert capsys.readouterr().out.splitlines() == [
        "  activity: 1000 to load",
        "  activity: 200 of 1000 (16 s)",
        "  activity: 900 of 1000 (32 s)",
        "  activity: 1000 loaded in 40.0 s (40 s so far)",
    ]
