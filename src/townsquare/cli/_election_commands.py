"""`townsquare elections …`: declaring election windows from the server's shell."""

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from townsquare.cli._errors import CommandError
from townsquare.cli._output import say
from townsquare.cli._services import migrated_services
from townsquare.kernel import InvalidInputError
from townsquare.moderation import ElectionWindow, WindowDraft

__all__ = ["elections_app"]

elections_app = typer.Typer(
    help="Election windows: periods when actions on election content need two moderators.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class InvalidMomentError(CommandError, InvalidInputError):
    """Raised when a date and time on the command line cannot be read."""


def _moment(raw: str, option: str) -> datetime:
    """ISO 8601; without an offset, UTC."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidMomentError(
            f"{option}: expected an ISO 8601 date and time such as 2027-04-10T06:00Z, found {raw!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@elections_app.command("declare")
def declare(
    name: Annotated[str, typer.Argument(help="The election's name, as the public will read it.")],
    starts: Annotated[str, typer.Option("--starts", help="When it opens (ISO 8601; UTC).")],
    ends: Annotated[str, typer.Option("--ends", help="When it closes (ISO 8601; UTC).")],
    territory: Annotated[
        list[str], typer.Option("--territory", help="A country code (repeat for several).")
    ],
    hashtag: Annotated[
        list[str] | None,
        typer.Option("--hashtag", help="A hashtag of the election (repeat for several)."),
    ] = None,
) -> None:
    """Declare a window (at least an hour ahead; it can never be changed afterwards)."""
    draft = WindowDraft(
        name=name,
        starts_at=_moment(starts, "--starts"),
        ends_at=_moment(ends, "--ends"),
        territories=tuple(territory),
        hashtags=tuple(hashtag or ()),
    )
    with migrated_services() as services:
        window = services.moderation.elections.declare(draft, declared_by=None)
    say(
        f"Declared election window {window.id}, {window.name!r}: "
        f"{window.starts_at.isoformat()} to {window.ends_at.isoformat()}, "
        f"{', '.join(window.territories)}. It is in the ledger."
    )


@elections_app.command("list")
def list_windows() -> None:
    """Every declared window, the latest to open first."""
    with migrated_services() as services:
        windows = services.moderation.elections.all()
    if not windows:
        say("No election window has been declared.")
        return
    Console(soft_wrap=True, highlight=False).print(_table(windows))


def _table(windows: list[ElectionWindow]) -> Table:
    table = Table(title="Election windows")
    for column in ("id", "name", "opens", "closes", "countries", "hashtags"):
        table.add_column(column)
    for w in windows:
        table.add_row(
            str(w.id),
            w.name,
            w.starts_at.isoformat(),
            w.ends_at.isoformat(),
            ", ".join(w.territories),
            " ".join(f"#{tag}" for tag in w.hashtags),
        )
    return table
