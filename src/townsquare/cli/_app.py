"""The `townsquare` command: its subcommands and the one place errors become exit codes."""

from typing import Any

import typer
from typer.core import TyperGroup

from townsquare.cli._audit_commands import audit_app
from townsquare.cli._demo import load_demo
from townsquare.cli._election_commands import elections_app
from townsquare.cli._export_commands import export_app
from townsquare.cli._fingerprint_commands import fingerprint_posts
from townsquare.cli._ledger_commands import ledger_app
from townsquare.cli._ledger_dump import dump
from townsquare.cli._media_commands import media_app
from townsquare.cli._moderation_commands import moderation_app
from townsquare.cli._notes_commands import notes_app
from townsquare.cli._output import warn
from townsquare.cli._report_commands import report_app
from townsquare.cli._rule_commands import rules_app
from townsquare.cli._schema import migrate_database
from townsquare.cli._serve import serve
from townsquare.cli._users import users
from townsquare.kernel import TownsquareError

__all__ = ["app", "main"]


class _Commands(TyperGroup):
    """Turns any refusal Townsquare explains (a `TownsquareError`) into its message on stderr
    and exit status 1, for every subcommand: a person's mistake never shows a traceback."""

    # `Any`: Typer vendors its own click, whose Context type is private.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TownsquareError as error:
            warn(f"Error: {error}")
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Commands,
    name="townsquare",
    help="Townsquare: a microblog whose moderation happens in the open.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("serve")(serve)
app.command("migrate")(migrate_database)
app.command("demo")(load_demo)
app.command("fingerprints")(fingerprint_posts)
app.add_typer(users, name="user")
ledger_app.command("dump")(dump)
app.add_typer(ledger_app, name="ledger")
app.add_typer(moderation_app, name="moderation")
app.add_typer(elections_app, name="elections")
app.add_typer(export_app, name="export")
app.add_typer(notes_app, name="notes")
app.add_typer(audit_app, name="audit")
app.add_typer(report_app, name="report")
app.add_typer(rules_app, name="rules")
app.add_typer(media_app, name="media")


def main() -> None:
    """The console script's entry point."""
    app()
