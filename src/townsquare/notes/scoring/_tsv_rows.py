"""Rows of a public Community Notes TSV file, in chunks, with the place each came from.

The reference reads these files with pandas (`read_csv(sep="\\t")`, default quoting: a cell in
double quotes may hold tabs and newlines, `""` is a quote; blank lines are skipped) after
checking the column count of the first line (process_data.py `tsv_parser`). The csv module
reads the same dialect. Every row is checked against the header's column count, and every
problem is reported as a `TsvInputError` naming the file, the line and the column.
"""

import csv
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TextIO, TypeAlias

from townsquare.notes.scoring._errors import RatingsInputError

__all__ = ["Chunk", "TsvInputError", "TsvSource", "read_chunks", "tsv_files"]

# A path to a file, or an open text stream (its `name`, if any, is used in messages).
TsvSource: TypeAlias = str | os.PathLike[str] | TextIO

# Rows converted at a time: large enough for numpy to pay, small enough to stay in memory.
_CHUNK_ROWS = 65_536


class TsvInputError(RatingsInputError):
    """Raised when a file in a public Community Notes TSV layout is empty, has the wrong header
    or column count, or holds a cell its column cannot hold (the message names file, line and
    column, and says what was expected and what was found)."""


@dataclass(frozen=True, eq=False)
class Chunk:
    """Consecutive rows of one file, their cells in one flat list, row after row: row k has
    one cell per name in `columns` and began on line `lines[k]` (1-based; the header is line
    1). Flat, because a column is then one slice, read at C speed."""

    file: str
    columns: tuple[str, ...]
    flat: list[str]
    lines: Sequence[int]

    def __len__(self) -> int:
        return len(self.lines)

    def cells(self, name: str) -> list[str]:
        return self.flat[self.columns.index(name) :: len(self.columns)]

    def error(self, row: int, name: str, expected: str) -> TsvInputError:
        """What is wrong with the cell of column `name` in row `row`."""
        column = self.columns.index(name)
        found = self.flat[row * len(self.columns) + column]
        return TsvInputError(
            f"{self.file}, line {self.lines[row]}, column {column + 1} ({name}): "
            f"expected {expected}, found {found!r}"
        )


def tsv_files(source: TsvSource) -> list[TsvSource]:
    """The files behind `source`: itself, or the `.tsv` files of a directory in name order (the
    public ratings come split over several files). Raises `TsvInputError` for a directory
    without any."""
    if isinstance(source, str | os.PathLike) and Path(source).is_dir():
        files = sorted(p for p in Path(source).iterdir() if p.suffix == ".tsv" and p.is_file())
        if not files:
            raise TsvInputError(f"{source}: the directory holds no .tsv file")
        return list(files)
    return [source]


def read_chunks(source: TsvSource, layouts: Sequence[tuple[str, ...]]) -> Iterator[Chunk]:
    """The data rows of one file whose header row is one of `layouts`, in chunks."""
    if isinstance(source, str | os.PathLike):
        try:
            with open(source, encoding="utf-8-sig", newline="") as stream:
                yield from _chunks(stream, str(source), layouts)
        except OSError as error:
            raise TsvInputError(f"{source}: cannot be read ({error.strerror})") from None
        except UnicodeDecodeError as error:
            raise TsvInputError(f"{source}: is not UTF-8 text ({error.reason})") from None
    else:
        yield from _chunks(source, str(getattr(source, "name", "<stream>")), layouts)


def _chunks(stream: TextIO, file: str, layouts: Sequence[tuple[str, ...]]) -> Iterator[Chunk]:
    """Lines without a quote are split on tabs directly (the public ratings have none, and
    this is several times faster than the csv module); from the first quote on, the csv
    module reads the rest, as a quoted cell may span lines."""
    header = next(csv.reader([stream.readline()], delimiter="\t", quotechar='"'), None)
    columns = _header(header, file, layouts)
    read = 1
    while lines := list(islice(stream, _CHUNK_ROWS)):
        if any('"' in line for line in lines):
            yield from _quoted_chunks(chain(lines, stream), file, columns, read)
            return
        yield _plain_chunk(lines, file, columns, read)
        read += len(lines)


def _plain_chunk(lines: list[str], file: str, columns: tuple[str, ...], read: int) -> Chunk:
    texts = [line.rstrip("\r\n") for line in lines]
    numbers = list(range(read + 1, read + 1 + len(texts)))
    if "" in texts:  # blank lines are skipped, as pandas does
        numbers = [n for n, text in zip(numbers, texts, strict=True) if text]
        texts = [text for text in texts if text]
    tabs = len(columns) - 1
    for number, text in zip(numbers, texts, strict=True):
        if text.count("\t") != tabs:
            raise _width_error(file, number, len(columns), text.count("\t") + 1)
    return Chunk(file, columns, "\t".join(texts).split("\t") if texts else [], numbers)


def _quoted_chunks(
    lines: Iterator[str], file: str, columns: tuple[str, ...], read: int
) -> Iterator[Chunk]:
    reader = csv.reader(lines, delimiter="\t", quotechar='"')
    flat: list[str] = []
    numbers: list[int] = []
    previous_end = 0
    try:
        for row in reader:
            start, previous_end = read + previous_end + 1, reader.line_num
            if not row:
                continue  # a blank line, skipped as pandas does
            if len(row) != len(columns):
                raise _width_error(file, start, len(columns), len(row))
            flat.extend(row)
            numbers.append(start)
            if len(numbers) == _CHUNK_ROWS:
                yield Chunk(file, columns, flat, numbers)
                flat, numbers = [], []
    except csv.Error as error:
        raise TsvInputError(f"{file}, line {read + reader.line_num}: {error}") from None
    if numbers:
        yield Chunk(file, columns, flat, numbers)


def _width_error(file: str, line: int, expected: int, found: int) -> TsvInputError:
    return TsvInputError(
        f"{file}, line {line}: expected {expected} columns (as in the header), found {found}"
    )


def _header(
    first: list[str] | None, file: str, layouts: Sequence[tuple[str, ...]]
) -> tuple[str, ...]:
    expected = " or ".join(str(len(layout)) for layout in layouts)
    if not first:
        raise TsvInputError(
            f"{file}: the file is empty; expected a header row of {expected} columns "
            f"starting with {layouts[0][0]!r}"
        )
    header = tuple(first)
    if header in layouts:
        return header
    same_width = [layout for layout in layouts if len(layout) == len(header)]
    if not same_width:
        raise TsvInputError(
            f"{file}, line 1: expected a header row of {expected} columns starting with "
            f"{layouts[0][0]!r}, found {len(header)} columns starting with {header[0]!r}"
        )
    layout = same_width[0]
    column = next(
        k for k, (want, got) in enumerate(zip(layout, header, strict=True)) if want != got
    )
    raise TsvInputError(
        f"{file}, line 1, column {column + 1}: expected the header {layout[column]!r}, "
        f"found {header[column]!r}"
    )
