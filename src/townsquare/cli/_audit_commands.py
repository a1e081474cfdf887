"""`townsquare audit …`: the impartiality audit from the command line.

`audit impartiality` runs the audit on a published dataset (the three CSV files), so anyone can
check a server's published result from its published inputs. It reads no database.
"""

from pathlib import Path
from typing import Annotated

import typer

from townsquare.audits import AuditParameters, audit_impartiality, audit_json, read_dataset
from townsquare.cli._errors import CommandError
from townsquare.cli._output import say

__all__ = ["audit_app"]

audit_app = typer.Typer(
    help="The impartiality audit: run it on a published dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@audit_app.command("impartiality")
def impartiality(
    dataset: Annotated[
        Path,
        typer.Option(
            "--dataset", help="The directory holding accounts.csv, posts.csv and decisions.csv."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="The JSON file to write the result to.")],
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            help="The smallest ratio (or its inverse) that can alert; 1.25 by default.",
        ),
    ] = 1.25,
) -> None:
    """Compare groups A and B on the published dataset in DATASET and write the result (every
    comparison with its rate ratio, 95 % interval, corrected p-value, alert and sentence) to
    OUT as JSON. The same dataset always gives the same file."""
    parameters = AuditParameters(threshold=threshold)
    audit = audit_impartiality(read_dataset(dataset), parameters)
    try:
        out.write_text(audit_json(audit), encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror}") from None
    alerts = [c for c in audit.comparisons if c.alert]
    say(f"Wrote {out}: {len(audit.comparisons)} comparisons, {len(alerts)} alert(s).")
    for comparison in alerts:
        say(f"  alert: {comparison.metric.value}")
