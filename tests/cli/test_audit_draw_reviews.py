"""`townsquare audit draw-reviews --count N`: draws, logs and says where; clear refusals."""

from typer.testing import CliRunner

from cli.environment import cli_environment
from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.cli import app
from townsquare.ledger import decode_entry
from townsquare.microblog import Role
from townsquare.moderation import (
    REVIEW_DRAW_ENTRY_TYPE,
    ActionKind,
    Decision,
    PostTarget,
    check_review_draw,
)
from townsquare.settings import Settings

runner = CliRunner()


def _decide(services: Services, make_account: AccountFactory, make_post: PostFactory) -> None:
    moderator = make_account("mod", role=Role.MODERATOR)
    author = make_account("author")
    clause = next(
        c for c in services.policies.clauses.values() if ActionKind.REMOVE in c.allowed_actions
    )
    for n in range(3):
        target = PostTarget(make_post(author, f"post {n}").id)
        services.moderation.enforce(
            Decision(moderator.id, ActionKind.REMOVE, target, clause.ref, "Facts.")
        )


def test_a_draw_prints_what_it_drew_and_its_ledger_index(
    services: Services,
    settings: Settings,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    _decide(services, make_account, make_post)
    while services.ledger.integrate() is not None:
        pass
    args = ["audit", "draw-reviews", "--count", "2"]

    result = runner.invoke(app, args, env=cli_environment(settings))

    assert result.exit_code == 0, result.output
    size = services.ledger.size()
    entries = services.ledger.entries(0, size)
    index = size - 1
    assert decode_entry(entries[index]).type == REVIEW_DRAW_ENTRY_TYPE
    drawn = check_review_draw(entries, index)
    assert "Drew 2 of 3 decisions not drawn before (asked for 2)." in result.stdout
    assert f"Logged as ledger entry {index} (audit.review_draw)." in result.stdout
    assert f"Drawn decisions (their ledger entries): {drawn[0]}, {drawn[1]}." in result.stdout


def test_a_draw_before_any_checkpoint_is_refused_with_a_reason(
    services: Services, settings: Settings
) -> None:
    result = runner.invoke(
        app, ["audit", "draw-reviews", "--count", "2"], env=cli_environment(settings)
    )
    assert result.exit_code == 1
    assert "no signed checkpoint" in result.output


def test_a_count_out_of_range_is_refused(settings: Settings) -> None:
    result = runner.invoke(
        app, ["audit", "draw-reviews", "--count", "0"], env=cli_environment(settings)
    )
    assert result.exit_code == 2
    assert "expected 1 to 1000, found 0" in result.output
