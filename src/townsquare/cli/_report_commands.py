"""`townsquare report transparency`: publish a period's transparency report.

(1) check the period (a bad one is a usage error, exit 2, naming it); (2) count the period's
numbers; (3) draw the charts and write `report.json`, the charts and the page in English
(`index.html`) and French (`index.fr.html`) to `--out`; (4) record the report: its JSON
stored and a `transparency.report` ledger entry committing to its SHA-256 — the same numbers
published twice are recorded once; (5) print the hash. Each stage is announced on stderr.
"""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from townsquare.audits import (
    InvalidPeriodError,
    LiveReport,
    PublishedReport,
    ReportPeriod,
    chart_specs,
    parse_period,
    render_chart,
)
from townsquare.cli._output import say
from townsquare.cli._services import migrated_services
from townsquare.web import report_document

__all__ = ["report_app"]

report_app = typer.Typer(
    help="Publish reports on what the moderators did.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_PAGES = {"en": "index.html", "fr": "index.fr.html"}


@report_app.command("transparency")
def transparency(
    start: Annotated[
        str, typer.Option("--from", help="The first day of the period, YYYY-MM-DD (included).")
    ],
    end: Annotated[
        str, typer.Option("--to", help="The day after the period, YYYY-MM-DD (excluded).")
    ],
    out: Annotated[Path, typer.Option("--out", help="The directory to write the report to.")],
) -> None:
    """Publish the DSA Art. 15/24 and Santa Clara numbers of a period that is over:
    report.json, SVG charts and a page in English and French, and the report's SHA-256 in
    the ledger."""
    period = _period(start, end)  # (1)
    with migrated_services() as services:
        reports = services.transparency
        _stage(f"Counting the decisions, notices, requests and appeals of {start} → {end}")
        try:
            published = reports.publish(period)  # (2) and (4), one read then one write
        except InvalidPeriodError as error:
            raise typer.BadParameter(str(error)) from None
        live = reports.live(period)
        history = reports.published(period)
    _write(out, published, live, history)  # (3)
    if published.appended:
        say(f"published {start} → {end}: sha256 {published.sha256}")
    else:
        say(f"already published {start} → {end} with these numbers: sha256 {published.sha256}")
    say(f"wrote {out / 'report.json'}, {out / _PAGES['en']}, {out / _PAGES['fr']}")  # (5)


def _period(start: str, end: str) -> ReportPeriod:
    try:
        return parse_period(start, end)
    except InvalidPeriodError as error:
        raise typer.BadParameter(str(error)) from None


def _write(
    out: Path, published: PublishedReport, live: LiveReport, history: list[PublishedReport]
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # The published bytes are written, so sha256(report.json) is the hash in the ledger.
    (out / "report.json").write_bytes(published.document)
    specs = chart_specs(live.report)
    _stage(f"Drawing {len(specs)} charts")
    for spec in specs:
        chart = render_chart(spec, str)
        (out / f"{chart.name}.svg").write_text(chart.svg, encoding="utf-8")
    for language, name in _PAGES.items():
        _stage(f"Writing {name}")
        page = report_document(live, history, language)
        (out / name).write_text(page, encoding="utf-8")


def _stage(message: str) -> None:
    Console(stderr=True, soft_wrap=True, highlight=False).print(f"{message}…", markup=False)
