"""`townsquare export dsa-sor`: one validated DSA-TDB statement per restricting decision."""

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.environment import cli_environment
from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.cli import app
from townsquare.microblog import Role
from townsquare.moderation import ActionKind, Decision, PostTarget, validate_statement
from townsquare.settings import Settings

runner = CliRunner()


def test_dsa_sor_writes_one_valid_line_per_restricting_decision(
    services: Services,
    settings: Settings,
    make_account: AccountFactory,
    make_post: PostFactory,
    tmp_path: Path,
) -> None:
    moderator = make_account("mod", role=Role.MODERATOR)
    post = make_post(make_account("author"), "a post")
    clause = next(
        c for c in services.policies.clauses.values() if ActionKind.REMOVE in c.allowed_actions
    )
    for action in (ActionKind.NO_ACTION, ActionKind.REMOVE):
        decision = Decision(moderator.id, action, PostTarget(post.id), clause.ref, "Facts.")
        services.moderation.enforce(decision)
    out = tmp_path / "sor.jsonl"
    result = runner.invoke(
        app, ["export", "dsa-sor", "--out", str(out)], env=cli_environment(settings)
    )
    assert result.exit_code == 0, result.output
    assert "wrote 1 statements of reasons" in result.stdout
    (line,) = out.read_text().splitlines()
    statement = json.loads(line)
    validate_statement(statement)
    assert statement["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]


def test_dsa_sor_needs_an_output_file(settings: Settings) -> None:
    result = runner.invoke(app, ["export", "dsa-sor"], env=cli_environment(settings))
    assert result.exit_code != 0
