"""`townsquare ledger dump`: the integrated entries of this server's ledger, as JSON lines."""

import json
from typing import Annotated

import typer

from townsquare.cli._services import migrated_services

__all__ = ["dump"]

_BATCH = 1000


def dump(
    start: Annotated[int, typer.Option("--from", min=0, help="First index to print.")] = 0,
    stop: Annotated[
        int | None, typer.Option("--to", min=0, help="Stop before this index (default: the end).")
    ] = None,
) -> None:
    """Print the ledger's entries from the database, one JSON object a line: its `index` and
    the `entry` itself (which has a `type` and a schema version `v`)."""
    with migrated_services() as services:
        end = services.ledger.size() if stop is None else min(stop, services.ledger.size())
        for first in range(start, end, _BATCH):
            entries = services.ledger.entries(first, min(first + _BATCH, end))
            for index, entry in enumerate(entries, start=first):
                line = {"index": index, "entry": json.loads(entry)}
                typer.echo(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
