"""`townsquare export …`: the public record in other systems' formats."""

from pathlib import Path
from typing import Annotated

import typer

from townsquare.cli._output import say
from townsquare.cli._services import migrated_services
from townsquare.moderation import write_statements

__all__ = ["export_app"]

export_app = typer.Typer(
    help="Export the public moderation record in other systems' formats.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@export_app.command("dsa-sor")
def dsa_statements_of_reasons(
    out: Annotated[Path, typer.Option("--out", help="The JSON Lines file to write.")],
) -> None:
    """Write one DSA Transparency Database statement of reasons per restricting decision
    (no-action decisions, warnings and restores are not statements), each validated against
    the DSA-TDB's rules first: an invalid one stops the export before anything is written."""
    with migrated_services() as services:
        statements = services.moderation.statements.all()
    with out.open("w", encoding="utf-8") as file:
        count = write_statements(statements, file)
    say(f"wrote {count} statements of reasons to {out}")
