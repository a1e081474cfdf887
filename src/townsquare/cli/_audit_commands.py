"""`townsquare audit …`: the impartiality audit from the command line.

`audit export-dataset DIR` writes this server's anonymised inputs (the groups inferred from
behaviour, posts with their reports, decisions, answered second reviews); `audit impartiality`
runs the audit on such a dataset, so anyone can check a server's published result from its
published inputs — it reads no database. `audit run` publishes a run of this server's audit:
its result and dataset stored, their hashes in an `audit.impartiality` ledger entry, and an
`audit.alert` entry per alerting comparison (docs/design/audit.md, "Publication").
`audit draw-reviews --count N` draws decisions for blind second review, seeded by the latest
signed checkpoint, and logs the draw.
"""

import base64
import math
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from sqlalchemy import select

from townsquare.audits import (
    AuditParameters,
    PublishedAudit,
    audit_impartiality,
    audit_json,
    comparison_sentence,
    dataset_from_database,
    read_audit_json,
    read_dataset,
    read_viewpoints,
    write_dataset,
)
from townsquare.cli._errors import CommandError
from townsquare.cli._output import say
from townsquare.cli._services import migrated_services
from townsquare.ledger import leaf_hash
from townsquare.moderation import MAX_DRAW, ReviewDraw, review_draw_entry
from townsquare.storage.tables import ledger_entries

__all__ = ["audit_app"]

audit_app = typer.Typer(
    help=(
        "The impartiality audit: publish a run of this server's audit, export its dataset, "
        "run the audit on a dataset."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_Threshold = Annotated[
    float,
    typer.Option(
        "--threshold", help="The smallest ratio (or its inverse) that can alert; 1.25 by default."
    ),
]


@audit_app.command("impartiality")
def impartiality(
    dataset: Annotated[
        Path,
        typer.Option(
            "--dataset", help="The directory holding accounts.csv, posts.csv and decisions.csv."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="The JSON file to write the result to.")],
    threshold: _Threshold = 1.25,
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


@audit_app.command("run")
def run(
    threshold: _Threshold = 1.25,
) -> None:
    """Run the impartiality audit on this server's data now and publish it: the result and
    its dataset (a zip of the CSV files) stored, their SHA-256 in an audit.impartiality
    ledger entry, and one audit.alert entry per alerting comparison. The same result
    published again is recorded once. Prints one sentence per comparison."""
    parameters = AuditParameters(threshold=threshold)
    spinner = Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True)
    with migrated_services() as services, spinner:
        spinner.add_task("Inferring viewpoint groups and running the audit…", total=None)
        published = services.audits.publish(parameters)
        # Integrated now, as the server's sequencer would, so the entry's place can be named.
        while services.ledger.integrate() is not None:
            pass
        placed = replace(services.audits.run(published.sha256), appended=published.appended)
    _say_run(placed)


def _say_run(published: PublishedAudit) -> None:
    verb = "Published" if published.appended else "Already published (same result)"
    say(f"{verb}: audit sha256 {published.sha256}, dataset zip sha256 {published.dataset_sha256}")
    say(f"Ledger entry {published.ledger_index} (audit.impartiality).")
    audit = read_audit_json(published.document)
    alerts = [c for c in audit.comparisons if c.alert]
    if alerts:
        named = ", ".join(c.metric.value for c in alerts)
        say(f"ALERT: {len(alerts)} comparison(s) alert: {named}.")
        for metric, index in published.alert_indexes:
            say(f"  audit.alert for {metric}: ledger entry {index}")
    else:
        say("No alert.")
    for comparison in audit.comparisons:
        say(f"- {comparison_sentence(comparison)}")


@audit_app.command("export-dataset")
def export_dataset(
    directory: Annotated[Path, typer.Argument(help="The folder to write the CSV files in.")],
) -> None:
    """Write this server's audit inputs to DIRECTORY: accounts.csv (a number and the group
    inferred from behaviour), posts.csv (a number, its author's number, its reports and the
    clause or category they cited), decisions.csv (what was decided on each post, whether
    automated, appealed, reversed) and, once a blind second review is answered, reviews.csv
    (whether each disagreed). No handle, text or real identifier is written."""
    if directory.exists() and not directory.is_dir():
        raise CommandError(f"{directory}: exists and is not a folder; name a folder to write in")
    spinner = Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True)
    with migrated_services() as services, spinner, services.db.read() as conn:
        spinner.add_task("Inferring viewpoint groups from follows and notes ratings…", total=None)
        viewpoints = read_viewpoints(conn)
        dataset = dataset_from_database(conn, viewpoints.group_of())
    try:
        write_dataset(directory, dataset)
    except OSError as error:
        raise CommandError(f"cannot write in {directory}: {error.strerror}") from None
    counts = viewpoints.counts()
    say(
        f"Wrote {directory}: {len(dataset.accounts)} accounts, {len(dataset.posts)} posts, "
        f"{len(dataset.decisions)} decisions."
    )
    if dataset.reviews is not None:
        say(f"Second reviews: {len(dataset.reviews)} answered, written to reviews.csv.")
    say("Groups: " + ", ".join(f"{label.value} {counts[label]}" for label in counts))
    say(f"Follow graph and notes rater factor agree at {_agreement(viewpoints.agreement)}.")


@audit_app.command("draw-reviews")
def draw_reviews(
    count: Annotated[
        int,
        typer.Option(
            "--count",
            help=f"How many decisions to draw (1 to {MAX_DRAW}); fewer if fewer are left.",
        ),
    ],
) -> None:
    """Draw COUNT decisions on posts, never drawn before, for a blind second review by a
    moderator who took no part in them. The draw is seeded by the root hash of the latest
    signed checkpoint and logged as an audit.review_draw ledger entry, so anyone can
    recompute it; the drawn decisions wait on the moderators' second-review page."""
    if not 0 < count <= MAX_DRAW:
        raise typer.BadParameter(f"expected 1 to {MAX_DRAW}, found {count}", param_hint="--count")
    with migrated_services() as services:
        draw = services.moderation.second_reviews.draw(count)
        # The entry is integrated now rather than by the server's sequencer, to say where it is.
        while services.ledger.integrate() is not None:
            pass
        with services.db.read() as conn:
            index = conn.execute(
                select(ledger_entries.c.idx).where(
                    ledger_entries.c.leaf_hash == leaf_hash(review_draw_entry(draw))
                )
            ).scalar_one()
    say(_drawn_summary(draw, index))


def _drawn_summary(draw: ReviewDraw, index: int) -> str:
    seed = base64.b64encode(draw.root_hash).decode("ascii")
    lines = [
        f"Drew {len(draw.drawn)} of {draw.candidates} decisions not drawn before "
        f"(asked for {draw.asked}).",
        f"Seed: the checkpoint of {draw.tree_size} entries, root hash {seed}.",
        f"Logged as ledger entry {index} (audit.review_draw).",
    ]
    if draw.drawn:
        shown = ", ".join(str(drawn) for drawn in draw.drawn)
        lines.append(f"Drawn decisions (their ledger entries): {shown}.")
    return "\n".join(lines)


def _agreement(correlation: float) -> str:
    if math.isnan(correlation):
        return "(not measured: too few accounts both rate notes and follow)"
    return f"r = {correlation:.2f} (out of fold)"
