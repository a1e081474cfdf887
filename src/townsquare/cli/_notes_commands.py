"""`townsquare notes …`: Community Notes from the command line.

`notes score` scores the public Community Notes TSV files (or files exported in their layouts)
with our Core scorer and writes the reference's result files, so anyone can compare the two.
It reads no database (`notes run` and `notes export`, in `_notes_run_commands`, do). On a
terminal each step shows a Rich spinner; in a log, one plain line
per step as it ends.
"""

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sized
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Annotated, Protocol, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from townsquare.cli._errors import CommandError
from townsquare.cli._notes_run_commands import register_run_commands
from townsquare.cli._output import say
from townsquare.notes.scoring import (
    CoreScores,
    NoteStatus,
    ScoringInput,
    read_enrollment,
    read_notes,
    read_ratings,
    read_status_history,
    score_core,
    scoring_input_from_tables,
    write_helpfulness_scores,
    write_scored_notes,
)

__all__ = ["notes_app"]

_T = TypeVar("_T")

notes_app = typer.Typer(
    help="Community Notes: scoring runs, the public TSV files, and scoring them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
register_run_commands(notes_app)  # notes run, notes export (they need the database)

_SCORED_NOTES_FILE = "scored_notes.tsv"
_HELPFULNESS_SCORES_FILE = "helpfulness_scores.tsv"


@notes_app.command("score")
def score(
    notes: Annotated[Path, typer.Option("--notes", help="The notes TSV file.")],
    ratings: Annotated[
        Path, typer.Option("--ratings", help="The ratings TSV file, or a directory of them.")
    ],
    out: Annotated[Path, typer.Option("--out", help="The directory to write the results in.")],
    status: Annotated[
        Path | None, typer.Option("--status", help="The noteStatusHistory TSV file.")
    ] = None,
    enrollment: Annotated[
        Path | None, typer.Option("--enrollment", help="The userEnrollment TSV file.")
    ] = None,
) -> None:
    """Score notes from files in the public Community Notes layouts (notes, ratings, and
    optionally noteStatusHistory and userEnrollment) and write OUT/scored_notes.tsv and
    OUT/helpfulness_scores.tsv in the reference scorer's columns."""
    started = time.monotonic()
    with _step_display() as steps:
        given, skipped = _read(steps, notes, ratings, status, enrollment)
        scores = steps.run("scoring", lambda: score_core(given), _scored)
        written = steps.run("writing", lambda: _write(out, scores), lambda paths: paths)
    say(_summary(given, scores, written, time.monotonic() - started))
    if skipped:
        say(
            f"  skipped {skipped} ratings of notes in neither the notes nor the status history "
            f"(deleted notes; the reference scorer skips them too)"
        )


def _read(
    steps: "_Steps", notes: Path, ratings: Path, status: Path | None, enrollment: Path | None
) -> tuple[ScoringInput, int]:
    """The input, and how many ratings were skipped as ratings of unknown notes."""
    note_table = steps.run(f"reading {notes}", lambda: read_notes(notes), _count("notes"))
    rating_table = steps.run(f"reading {ratings}", lambda: read_ratings(ratings), _count("ratings"))
    prior = None
    if status is not None:
        prior = steps.run(f"reading {status}", lambda: read_status_history(status), _count("notes"))
    enrolled = None
    if enrollment is not None:
        enrolled = steps.run(
            f"reading {enrollment}", lambda: read_enrollment(enrollment), _count("participants")
        )
    given = scoring_input_from_tables(
        note_table, rating_table, prior, enrolled, ratings_source=ratings
    )
    return given, len(rating_table) - len(given.ratings)


def _count(what: str) -> Callable[[Sized], str]:
    return lambda table: f"{len(table)} {what}"


def _scored(scores: CoreScores) -> str:
    return f"{len(scores.notes)} notes, {len(scores.raters)} raters"


def _write(out: Path, scores: CoreScores) -> str:
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_scored_notes(out / _SCORED_NOTES_FILE, scores)
        write_helpfulness_scores(out / _HELPFULNESS_SCORES_FILE, scores)
    except OSError as error:
        raise CommandError(f"cannot write the results in {out}: {error.strerror}") from None
    return f"{out / _SCORED_NOTES_FILE} and {out / _HELPFULNESS_SCORES_FILE}"


def _summary(given: ScoringInput, scores: CoreScores, written: str, seconds: float) -> str:
    statuses = Counter(scores.notes.final_status)
    per_status = ", ".join(f"{statuses[status]} {status.value}" for status in NoteStatus)
    return (
        f"Scored {len(scores.notes)} notes from {len(given.ratings)} ratings by "
        f"{len(scores.raters)} raters in {seconds:.1f} s ({scores.scorer_version}).\n"
        f"  final status: {per_status}\n"
        f"  wrote {written}"
    )


class _Steps(Protocol):
    def run(self, name: str, work: Callable[[], _T], describe: Callable[[_T], str]) -> _T:
        """Does `work`, showing `name` while it runs and `describe(result)` when it ends."""


def _step_display() -> AbstractContextManager[_Steps]:
    """Spinners on a terminal, plain lines anywhere else (a live display shows nothing in a log)."""
    console = Console()
    return _spinners(console) if console.is_terminal else _lines()


@contextmanager
def _lines() -> Iterator[_Steps]:
    yield _StepLines()


class _StepLines:
    def run(self, name: str, work: Callable[[], _T], describe: Callable[[_T], str]) -> _T:
        started = time.monotonic()
        result = work()
        say(f"  {name}: {describe(result)} ({time.monotonic() - started:.1f} s)")
        return result


@contextmanager
def _spinners(console: Console) -> Iterator[_Steps]:
    progress = Progress(
        SpinnerColumn(finished_text="[green]done"),
        TextColumn("{task.description}", markup=False),
        TimeElapsedColumn(),
        console=console,
    )
    with progress:
        yield _StepSpinners(progress)


class _StepSpinners:
    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def run(self, name: str, work: Callable[[], _T], describe: Callable[[_T], str]) -> _T:
        task: TaskID = self.progress.add_task(name, total=1)
        result = work()
        self.progress.update(task, completed=1, description=f"{name}: {describe(result)}")
        return result
