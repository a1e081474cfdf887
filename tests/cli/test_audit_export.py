"""`townsquare audit export-dataset DIR`, then `audit impartiality` on it: the outsider's path."""

from pathlib import Path

from typer.testing import CliRunner

from cli.environment import cli_environment
from conftest import AccountFactory, PostFactory
from notes.factories_runs import two_camps
from townsquare.app import Services
from townsquare.audits import read_dataset
from townsquare.cli import app
from townsquare.settings import Settings

runner = CliRunner()


def test_an_exported_dataset_reruns_to_the_same_json_every_time(
    services: Services,
    settings: Settings,
    make_account: AccountFactory,
    make_post: PostFactory,
    tmp_path: Path,
) -> None:
    world = two_camps(services, make_account, make_post, per_camp=10)
    services.scoring_runs.run()
    dataset = tmp_path / "dataset"

    exported = runner.invoke(
        app, ["audit", "export-dataset", str(dataset)], env=cli_environment(settings)
    )
    first = runner.invoke(
        app, ["audit", "impartiality", "--dataset", str(dataset), "--out", str(tmp_path / "1.json")]
    )
    again = runner.invoke(
        app, ["audit", "export-dataset", str(dataset)], env=cli_environment(settings)
    )
    second = runner.invoke(
        app, ["audit", "impartiality", "--dataset", str(dataset), "--out", str(tmp_path / "2.json")]
    )

    for result in (exported, first, again, second):
        assert result.exit_code == 0, result.output
    assert (tmp_path / "1.json").read_bytes() == (tmp_path / "2.json").read_bytes()
    read = read_dataset(dataset)
    assert {a.group for a in read.accounts} == {"A", "B", "neither"}
    assert len(read.accounts) == len(world.left_camp) * 2 + 1 + 4 + 6  # raters, poster, writers
    assert read.helpful_notes is not None
    assert len(read.helpful_notes) == 1  # the post the bridging note shows on
    assert "Groups: A 10, B 10, neither 11" in exported.stdout


def test_export_dataset_refuses_a_file_in_place_of_the_folder(
    settings: Settings, tmp_path: Path
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("", encoding="utf-8")

    result = runner.invoke(
        app, ["audit", "export-dataset", str(taken)], env=cli_environment(settings)
    )

    assert result.exit_code != 0
    assert "exists and is not a folder" in result.output
