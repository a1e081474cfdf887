"""`townsquare moderation …`: checks an operator runs on the server's own database."""

import typer
from rich.console import Console
from rich.table import Table

from townsquare.cli._output import say
from townsquare.cli._services import migrated_services
from townsquare.moderation import ProjectionDifference, Restriction

__all__ = ["moderation_app"]

moderation_app = typer.Typer(
    help="Moderation in the open: check the visibility projection against the ledger.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@moderation_app.command("replay")
def replay_command() -> None:
    """Rebuild the visibility projection from the ledger alone and compare it with the
    stored one; exit 1 and list the differences if there are any (there must be none)."""
    with migrated_services() as services:
        difference = services.moderation.check_projection()
    if difference.matches:
        say(f"projection matches the ledger ({difference.decisions} decisions)")
        return
    Console(stderr=True, soft_wrap=True, highlight=False).print(_table(difference))
    raise typer.Exit(1)


def _table(difference: ProjectionDifference) -> Table:
    table = Table(
        title=f"The stored projection differs from the ledger's replay "
        f"({difference.decisions} decisions)"
    )
    for column in ("difference", "action", "kind", "target", "clause", "ends"):
        table.add_column(column)
    rows = [("only in the ledger", r) for r in difference.missing]
    rows += [("only in the projection", r) for r in difference.unexpected]
    for where, r in sorted(rows, key=lambda pair: (pair[1].action_id, pair[0])):
        ends = r.ends_at.isoformat() if r.ends_at else "-"
        table.add_row(where, str(r.action_id), r.kind.value, _target(r), r.clause, ends)
    return table


def _target(r: Restriction) -> str:
    if r.post_id is not None:
        return f"post {r.post_id}"
    if r.account_id is not None:
        return f"account {r.account_id}"
    return f"URL {r.url}"
