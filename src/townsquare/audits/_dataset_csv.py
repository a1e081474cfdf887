"""The published dataset's files: `accounts.csv`, `posts.csv` and `decisions.csv`, and when
published, `reviews.csv`, `helpful_notes.csv` and `decision_times.csv`.

Each is CSV (RFC 4180, UTF-8) with a header row naming its columns; columns may come in any
order and columns the audit does not know are ignored, so the format can grow. Booleans are
written `true` / `false`, counts as decimal integers, durations as decimal numbers. Every
problem is reported as an `AuditDatasetError` naming the file, the line and the column.
"""

import csv
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import TypeVar

from townsquare.audits._dataset import (
    AuditAccount,
    AuditDataset,
    AuditDecision,
    AuditDecisionTime,
    AuditHelpfulNote,
    AuditPost,
    AuditReview,
)
from townsquare.audits._errors import AuditDatasetError

__all__ = [
    "ACCOUNTS_FILE",
    "DECISIONS_FILE",
    "DECISION_TIMES_FILE",
    "HELPFUL_NOTES_FILE",
    "POSTS_FILE",
    "REVIEWS_FILE",
    "read_dataset",
    "write_dataset",
]

ACCOUNTS_FILE = "accounts.csv"
POSTS_FILE = "posts.csv"
DECISIONS_FILE = "decisions.csv"
# Optional: blind second reviews of a random sample of decisions (post_id, disagreed), the
# posts that carry a Helpful community note (post_id), and how long decisions on reported
# posts took (post_id, hours_to_decision).
REVIEWS_FILE = "reviews.csv"
HELPFUL_NOTES_FILE = "helpful_notes.csv"
DECISION_TIMES_FILE = "decision_times.csv"
_OPTIONAL_FILES = (REVIEWS_FILE, HELPFUL_NOTES_FILE, DECISION_TIMES_FILE)

_Row = TypeVar(
    "_Row",
    AuditAccount,
    AuditPost,
    AuditDecision,
    AuditReview,
    AuditHelpfulNote,
    AuditDecisionTime,
)


@dataclass(frozen=True)
class _Cells:
    """One data row of a file: its cells by column name, and where it came from."""

    file: str
    line: int
    header: tuple[str, ...]
    values: Sequence[str]

    def text(self, name: str) -> str:
        return self.values[self.header.index(name)]

    def identifier(self, name: str) -> str:
        value = self.text(name)
        if not value.strip():
            raise self.error(name, "an identifier")
        return value

    def count(self, name: str) -> int:
        value = self.text(name)
        if not (value.isascii() and value.isdigit()):
            raise self.error(name, "a whole number of 0 or more")
        return int(value)

    def duration(self, name: str) -> float:
        value = self.text(name)
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and number >= 0):
            raise self.error(name, "a number of hours, 0 or more")
        return number

    def boolean(self, name: str) -> bool:
        value = self.text(name)
        if value not in ("true", "false"):
            raise self.error(name, "true or false")
        return value == "true"

    def error(self, name: str, expected: str) -> AuditDatasetError:
        column = self.header.index(name) + 1
        return AuditDatasetError(
            f"{self.file}, line {self.line}, column {column} ({name}): "
            f"expected {expected}, found {self.text(name)!r}"
        )


def read_dataset(directory: Path) -> AuditDataset:
    """The dataset in `directory`; raises `AuditDatasetError` for a missing or malformed file,
    a repeated identifier, or a row that names an account or post the dataset does not list.
    `reviews.csv`, `helpful_notes.csv` and `decision_times.csv` are read when present."""
    accounts = _read(directory / ACCOUNTS_FILE, _account)
    posts = _read(directory / POSTS_FILE, _post)
    decisions = _read(directory / DECISIONS_FILE, _decision)
    reviews = _read_optional(directory / REVIEWS_FILE, _review)
    notes = _read_optional(directory / HELPFUL_NOTES_FILE, _helpful_note)
    times = _read_optional(directory / DECISION_TIMES_FILE, _decision_time)
    _check_unique(ACCOUNTS_FILE, "account_id", [(line, a.account_id) for line, a in accounts])
    _check_unique(POSTS_FILE, "post_id", [(line, p.post_id) for line, p in posts])
    account_ids = {account.account_id for _, account in accounts}
    post_ids = {post.post_id for _, post in posts}
    _check_known(POSTS_FILE, "account_id", [(n, p.account_id) for n, p in posts], account_ids)
    _check_known(DECISIONS_FILE, "post_id", [(n, d.post_id) for n, d in decisions], post_ids)
    _check_known(REVIEWS_FILE, "post_id", [(n, r.post_id) for n, r in reviews or ()], post_ids)
    _check_known(HELPFUL_NOTES_FILE, "post_id", [(n, h.post_id) for n, h in notes or ()], post_ids)
    _check_known(DECISION_TIMES_FILE, "post_id", [(n, t.post_id) for n, t in times or ()], post_ids)
    return AuditDataset(
        accounts=tuple(row for _, row in accounts),
        posts=tuple(row for _, row in posts),
        decisions=tuple(row for _, row in decisions),
        reviews=None if reviews is None else tuple(row for _, row in reviews),
        helpful_notes=None if notes is None else tuple(row for _, row in notes),
        decision_times=None if times is None else tuple(row for _, row in times),
    )


def write_dataset(directory: Path, dataset: AuditDataset) -> None:
    """Writes the files of `dataset` in `directory` (created if need be), rows in the order
    given, the optional ones only when the dataset has them (an older one left in the
    directory is removed); `read_dataset` reads back an equal dataset."""
    directory.mkdir(parents=True, exist_ok=True)
    for optional in _OPTIONAL_FILES:
        (directory / optional).unlink(missing_ok=True)
    _write(directory / ACCOUNTS_FILE, AuditAccount, [astuple(a) for a in dataset.accounts])
    _write(directory / POSTS_FILE, AuditPost, [astuple(p) for p in dataset.posts])
    _write(directory / DECISIONS_FILE, AuditDecision, [astuple(d) for d in dataset.decisions])
    if dataset.reviews is not None:
        _write(directory / REVIEWS_FILE, AuditReview, [astuple(r) for r in dataset.reviews])
    if dataset.helpful_notes is not None:
        notes = [astuple(note) for note in dataset.helpful_notes]
        _write(directory / HELPFUL_NOTES_FILE, AuditHelpfulNote, notes)
    if dataset.decision_times is not None:
        times = [astuple(time) for time in dataset.decision_times]
        _write(directory / DECISION_TIMES_FILE, AuditDecisionTime, times)


def _account(cells: _Cells) -> AuditAccount:
    return AuditAccount(cells.identifier("account_id"), cells.identifier("group"))


def _post(cells: _Cells) -> AuditPost:
    return AuditPost(
        post_id=cells.identifier("post_id"),
        account_id=cells.identifier("account_id"),
        reports=cells.count("reports"),
        report_clause=cells.text("report_clause"),
    )


def _review(cells: _Cells) -> AuditReview:
    return AuditReview(cells.identifier("post_id"), cells.boolean("disagreed"))


def _helpful_note(cells: _Cells) -> AuditHelpfulNote:
    return AuditHelpfulNote(cells.identifier("post_id"))


def _decision_time(cells: _Cells) -> AuditDecisionTime:
    return AuditDecisionTime(cells.identifier("post_id"), cells.duration("hours_to_decision"))


def _decision(cells: _Cells) -> AuditDecision:
    return AuditDecision(
        post_id=cells.identifier("post_id"),
        action=cells.identifier("action"),
        clause=cells.text("clause"),
        automated=cells.boolean("automated"),
        appealed=cells.boolean("appealed"),
        reversed=cells.boolean("reversed"),
    )


_COLUMNS: dict[Callable[[_Cells], object], type] = {
    _account: AuditAccount,
    _post: AuditPost,
    _decision: AuditDecision,
    _review: AuditReview,
    _helpful_note: AuditHelpfulNote,
    _decision_time: AuditDecisionTime,
}


def _read(path: Path, parse: Callable[[_Cells], _Row]) -> list[tuple[int, _Row]]:
    """(line, row) for every data row of `path`."""
    required = tuple(field.name for field in fields(_COLUMNS[parse]))
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return [(cells.line, parse(cells)) for cells in _rows(stream, path.name, required)]
    except FileNotFoundError:
        raise AuditDatasetError(f"{path.name}: the dataset has no such file") from None
    except UnicodeDecodeError:
        raise AuditDatasetError(f"{path.name}: not UTF-8 text") from None
    except csv.Error as error:
        raise AuditDatasetError(f"{path.name}: not CSV ({error})") from None
    except OSError as error:
        raise AuditDatasetError(f"{path.name}: cannot be read ({error.strerror})") from None


def _read_optional(path: Path, parse: Callable[[_Cells], _Row]) -> list[tuple[int, _Row]] | None:
    """Like `_read`, or None when the file is not there."""
    return _read(path, parse) if path.exists() else None


def _rows(stream: Iterable[str], name: str, required: tuple[str, ...]) -> Iterator[_Cells]:
    reader = csv.reader(stream, strict=True)
    header = tuple(next(reader, ()))
    missing = [column for column in required if column not in header]
    if not header:
        raise AuditDatasetError(f"{name}: empty, expected a header row {','.join(required)}")
    if missing:
        raise AuditDatasetError(
            f"{name}, line 1: the header lacks the column(s) {', '.join(missing)}"
        )
    for values in reader:
        if not values:
            continue  # a blank line
        if len(values) != len(header):
            raise AuditDatasetError(
                f"{name}, line {reader.line_num}: expected {len(header)} cells as in the "
                f"header, found {len(values)}"
            )
        yield _Cells(name, reader.line_num, header, values)


def _check_unique(name: str, column: str, identifiers: list[tuple[int, str]]) -> None:
    first: dict[str, int] = {}
    for line, identifier in identifiers:
        if identifier in first:
            raise AuditDatasetError(
                f"{name}, line {line} ({column}): {identifier!r} already appears on line "
                f"{first[identifier]}"
            )
        first[identifier] = line


def _check_known(
    name: str, column: str, references: list[tuple[int, str]], known: set[str]
) -> None:
    listed_in = ACCOUNTS_FILE if column == "account_id" else POSTS_FILE
    for line, identifier in references:
        if identifier not in known:
            raise AuditDatasetError(
                f"{name}, line {line} ({column}): {identifier!r} is not in {listed_in}"
            )


def _write(path: Path, kind: type, rows: Iterable[tuple[object, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(field.name for field in fields(kind))
        writer.writerows([_cell(value) for value in row] for row in rows)


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)  # repr: the shortest exact
