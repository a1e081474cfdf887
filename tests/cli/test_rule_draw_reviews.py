"""`townsquare rules draw-reviews --count N`: draws per rule version, logs and says where."""

from typer.testing import CliRunner

from cli.environment import cli_environment
from moderation.rules.ledger_entries import detection
from townsquare.app import Services
from townsquare.cli import app
from townsquare.ledger import decode_entry
from townsquare.moderation.rules import check_rule_reviews
from townsquare.settings import Settings

runner = CliRunner()


def test_a_draw_prints_what_it_drew_and_its_ledger_index(
    services: Services, settings: Settings
) -> None:
    with services.db.write() as conn:
        for n in range(3):
            services.ledger.append(conn, detection(n + 1, "link-spam@1"))
    while services.ledger.integrate() is not None:
        pass

    result = runner.invoke(
        app, ["rules", "draw-reviews", "--count", "2"], env=cli_environment(settings)
    )

    assert result.exit_code == 0, result.output
    entries = services.ledger.entries(0, services.ledger.size())
    assert decode_entry(entries[3]).type == "rule.review_draw"
    assert check_rule_reviews(entries) == 1
    drawn = decode_entry(entries[3]).fields["drawn"]
    assert isinstance(drawn, list)
    assert len(drawn) == 2
    assert "Drew 2 of 3 detections not drawn before" in result.stdout
    assert "link-spam@1: 3 not drawn before" in result.stdout
    assert "Logged as ledger entry 3 (rule.review_draw)." in result.stdout


def test_a_count_out_of_range_is_refused(settings: Settings) -> None:
    result = runner.invoke(
        app, ["rules", "draw-reviews", "--count", "0"], env=cli_environment(settings)
    )
    assert result.exit_code != 0
    assert "expected 1 to 1000, found 0" in result.output
