"""`townsquare notes …`: the Community Notes commands (the group; each family of commands
registers itself on it)."""

import typer

from townsquare.cli._notes_run_commands import register_run_commands

__all__ = ["notes_app"]

notes_app = typer.Typer(
    help="Community notes: scoring runs and the public export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
register_run_commands(notes_app)
