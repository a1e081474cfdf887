"""`townsquare notes run` and `townsquare notes export DIR`: score now, and write our notes
data in the public Community Notes TSV layouts so anyone can rerun a scorer on it."""

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from townsquare.cli._errors import CommandError
from townsquare.cli._output import say
from townsquare.cli._services import migrated_services
from townsquare.notes import RunState, RunSummary, export_tables, write_export

__all__ = ["register_run_commands"]


def register_run_commands(group: typer.Typer) -> None:
    group.command("run")(run_now)
    group.command("export")(export)


def run_now() -> None:
    """Score every note now and apply the status changes (or hold them for a moderator's
    review when an unusual share would change); print what the run did."""
    spinner = Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True)
    with migrated_services() as services, spinner:
        spinner.add_task("Scoring notes from the ratings…", total=None)
        summary = services.scoring_runs.run()
    for line in summary_lines(summary):
        say(line)


def summary_lines(summary: RunSummary) -> list[str]:
    lines = [
        f"run {summary.run_id}: {summary.state}",
        f"input fingerprint {summary.fingerprint}",
        f"{summary.notes_scored} notes scored",
    ]
    lines += [f"  {status}: {count}" for status, count in sorted(summary.by_status.items())]
    lines.append(f"{summary.changes} status changes")
    if summary.state == RunState.HELD and summary.drift is not None:
        lines.append(f"held for review: {summary.drift.reason}")
    lines.append(f"{summary.entries_written} ledger entries written")
    return lines


def export(
    directory: Annotated[Path, typer.Argument(help="The folder to write the four files in.")],
) -> None:
    """Write notes, ratings, noteStatusHistory and userEnrollment in the public Community
    Notes TSV layouts; the ratings file's SHA-256 is the input fingerprint runs log."""
    if directory.exists() and not directory.is_dir():
        raise CommandError(f"{directory}: exists and is not a folder; name a folder to write in")
    with migrated_services() as services, services.db.read() as conn:
        exported = export_tables(conn)
    for path in write_export(exported, directory):
        say(f"wrote {path}")
    say(f"ratings fingerprint (SHA-256) {exported.fingerprint}")
