"""Cells of a public TSV chunk turned into typed columns, or a `TsvInputError` at the first bad one.

Each converter maps a whole column at C speed (`map` over builtins, numpy) so that a million
ratings read in seconds, and only looks cell by cell to say which one is wrong.
"""

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from townsquare.notes.scoring._ratings import Id
from townsquare.notes.scoring._tsv_rows import Chunk

__all__ = ["choices", "flags", "ids", "integers", "labels", "typed_ids"]

_FLAG_CELLS = frozenset({"0", "1", ""})


def ids(chunk: Chunk, name: str) -> list[str]:
    """The column's ids as written; an id is never empty."""
    cells = chunk.cells(name)
    if "" in cells:
        raise chunk.error(cells.index(""), name, "an id")
    return cells


def typed_ids(cells: Sequence[str]) -> list[Id]:
    """Ints when every id is a plain decimal number (as the public note ids are), else the
    strings (as the public participant ids are). Only numbers without leading zeros become
    ints, so `str(id)` always gives back the cell as written."""
    joined = "".join(cells)
    if not (joined.isascii() and joined.isdigit()):
        return list(cells)
    numbers: list[Id] = list(map(int, cells))
    return numbers if list(map(str, numbers)) == list(cells) else list(cells)


def integers(chunk: Chunk, name: str, empty: int | None = None) -> npt.NDArray[np.int64]:
    """Whole numbers (an integral float such as "13.0" too, as pandas writes a float column);
    an empty cell is `empty`, or an error when `empty` is None."""
    cells = chunk.cells(name)
    try:
        return np.fromiter(map(int, cells), dtype=np.int64, count=len(cells))
    except (ValueError, OverflowError):
        return np.fromiter(
            (_integer(chunk, row, name, cell, empty) for row, cell in enumerate(cells)),
            dtype=np.int64,
            count=len(cells),
        )


def _integer(chunk: Chunk, row: int, name: str, cell: str, empty: int | None) -> int:
    if cell == "" and empty is not None:
        return empty
    number = _whole_number(cell)
    if number is None or not -(2**63) <= number < 2**63:
        expected = "a whole number" if empty is None else "a whole number or nothing"
        raise chunk.error(row, name, expected)
    return number


def _whole_number(cell: str) -> int | None:
    try:
        return int(cell)  # exact, where float would round a large millisecond time
    except ValueError:
        pass
    try:
        number = float(cell)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def flags(chunk: Chunk, names: Sequence[str]) -> npt.NDArray[np.bool_]:
    """0/1 columns (empty is 0) as a boolean matrix, one column per name."""
    return np.column_stack([_flag(chunk, name) for name in names]).reshape(len(chunk), len(names))


def _flag(chunk: Chunk, name: str) -> npt.NDArray[np.bool_]:
    cells = chunk.cells(name)
    if not _FLAG_CELLS.issuperset(cells):
        row = next(k for k, cell in enumerate(cells) if cell not in _FLAG_CELLS)
        raise chunk.error(row, name, "0, 1 or nothing")
    joined = "".join(cells)
    if len(joined) == len(cells):  # no empty cell: one byte per row
        result: npt.NDArray[np.bool_] = np.frombuffer(joined.encode("ascii"), np.uint8) == ord("1")
        return result
    return np.fromiter(map("1".__eq__, cells), dtype=np.bool_, count=len(cells))


def labels(chunk: Chunk, name: str, allowed: Collection[str]) -> list[str]:
    """The column's cells, each one of `allowed` ("" in it lets a cell be empty)."""
    cells = chunk.cells(name)
    if not set(allowed).issuperset(cells):
        spelled = ", ".join(repr(label) if label else "nothing" for label in allowed)
        row = next(k for k, cell in enumerate(cells) if cell not in allowed)
        raise chunk.error(row, name, f"one of {spelled}")
    return cells


def choices(chunk: Chunk, name: str, allowed: Mapping[str, float]) -> npt.NDArray[np.float64]:
    """Each cell's value in `allowed` (which says what an empty cell means, if it may be one)."""
    cells = labels(chunk, name, list(allowed))
    return np.fromiter(map(allowed.__getitem__, cells), dtype=np.float64, count=len(cells))
