"""The published dataset's files: `accounts.csv`, `posts.csv` and `decisions.csv`.

Each is CSV (RFC 4180, UTF-8) with a header row naming its columns; columns may come in any
order and columns the audit does not know are ignored, so the format can grow. Booleans are
written `true` / `false`, counts as decimal integers. Every problem is reported as an
`AuditDatasetError` naming the file, the line and the column.
"""

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import TypeVar

from townsquare.audits._dataset import AuditAccount, AuditDataset, AuditDecision, AuditPost
from townsquare.audits._errors import AuditDatasetError

__all__ = ["ACCOUNTS_FILE", "DECISIONS_FILE", "POSTS_FILE", "read_dataset", "write_dataset"]

ACCOUNTS_FILE = "accounts.csv"
POSTS_FILE = "posts.csv"
DECISIONS_FILE = "decisions.csv"

_Row = TypeVar("_Row", AuditAccount, AuditPost, AuditDecision)


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
    a repeated identifier, or a post or decision that names an unknown account or post."""
    accounts = _read(directory / ACCOUNTS_FILE, _account)
    posts = _read(directory / POSTS_FILE, _post)
    decisions = _read(directory / DECISIONS_FILE, _decision)
    _check_unique(ACCOUNTS_FILE, "account_id", [(line, a.account_id) for line, a in accounts])
    _check_unique(POSTS_FILE, "post_id", [(line, p.post_id) for line, p in posts])
    _check_known(directory / POSTS_FILE, "account_id", accounts, posts)
    _check_known(directory / DECISIONS_FILE, "post_id", posts, decisions)
    return AuditDataset(
        accounts=tuple(row for _, row in accounts),
        posts=tuple(row for _, row in posts),
        decisions=tuple(row for _, row in decisions),
    )


def write_dataset(directory: Path, dataset: AuditDataset) -> None:
    """Writes the three files of `dataset` in `directory` (created if need be), rows in the
    order given; `read_dataset` reads back an equal dataset."""
    directory.mkdir(parents=True, exist_ok=True)
    _write(directory / ACCOUNTS_FILE, AuditAccount, [astuple(a) for a in dataset.accounts])
    _write(directory / POSTS_FILE, AuditPost, [astuple(p) for p in dataset.posts])
    _write(directory / DECISIONS_FILE, AuditDecision, [astuple(d) for d in dataset.decisions])


def _account(cells: _Cells) -> AuditAccount:
    return AuditAccount(cells.identifier("account_id"), cells.identifier("group"))


def _post(cells: _Cells) -> AuditPost:
    return AuditPost(
        post_id=cells.identifier("post_id"),
        account_id=cells.identifier("account_id"),
        reports=cells.count("reports"),
        report_clause=cells.text("report_clause"),
    )


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
    path: Path,
    column: str,
    known: list[tuple[int, AuditAccount]] | list[tuple[int, AuditPost]],
    rows: list[tuple[int, AuditPost]] | list[tuple[int, AuditDecision]],
) -> None:
    identifiers = {getattr(row, column) for _, row in known}
    for line, row in rows:
        if getattr(row, column) not in identifiers:
            raise AuditDatasetError(
                f"{path.name}, line {line} ({column}): {getattr(row, column)!r} is not in "
                f"{ACCOUNTS_FILE if column == 'account_id' else POSTS_FILE}"
            )


def _write(path: Path, kind: type, rows: Iterable[tuple[object, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(field.name for field in fields(kind))
        writer.writerows([_cell(value) for value in row] for row in rows)


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
