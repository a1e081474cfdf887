"""Tiles (c2sp.org/tlog-tiles): the log's hashes cut into immutable, cacheable files.

Tile `index` at level L holds up to 256 hashes; hash i of it is the hash of the complete
subtree MTH(D[(index*256 + i) * 256^L : (index*256 + i + 1) * 256^L]), so level 0 holds the
leaf hashes and a level-L hash is the root of one full level-(L-1) tile. A tile of fewer than
256 hashes is *partial*; its path ends in `.p/<width>`. Tiles never change once written: a
partial tile is superseded by a wider file, never rewritten.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from townsquare.ledger._errors import MalformedError
from townsquare.ledger._hashing import HASH_SIZE, root_hash
from townsquare.ledger._proofs import require_size

__all__ = [
    "MAX_TILE_LEVEL",
    "TILE_HEIGHT",
    "TILE_WIDTH",
    "Tile",
    "decode_tile",
    "entry_bundle_path",
    "tile_hashes",
    "tile_path",
    "tiles_added",
    "tiles_for_size",
]

TILE_HEIGHT = 8  # fixed by c2sp.org/tlog-tiles (Go's sumdb allows others)
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_TILE_LEVEL = 63


@dataclass(frozen=True, order=True)
class Tile:
    """The coordinates of one hash tile: level, index, and width (256 = full)."""

    level: int
    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        _check_coordinates(self.level, self.index, self.width)

    @property
    def path(self) -> str:
        return tile_path(self.level, self.index, self.width)

    @property
    def is_full(self) -> bool:
        return self.width == TILE_WIDTH


def tile_path(level: int, index: int, width: int | None = None) -> str:
    """`tile/<L>/<N>[.p/<W>]`, e.g. `tile/0/x001/x234/067`; width None or 256 is a full tile."""
    width = TILE_WIDTH if width is None else width
    _check_coordinates(level, index, width)
    return f"tile/{level}/{_index_path(index)}{_partial_suffix(width)}"


def entry_bundle_path(index: int, width: int | None = None) -> str:
    """`tile/entries/<N>[.p/<W>]`: the entries behind level-0 tile `index`."""
    width = TILE_WIDTH if width is None else width
    _check_coordinates(0, index, width)
    return f"tile/entries/{_index_path(index)}{_partial_suffix(width)}"


def tiles_added(old_size: int, new_size: int) -> list[Tile]:
    """The tiles a log writes when it grows from `old_size` to `new_size` leaves, lowest first."""
    require_size(old_size, "old size")
    require_size(new_size, "new size")
    if old_size > new_size:
        raise MalformedError(f"old size: expected <= new size {new_size}, found {old_size}")
    added = []
    for level in range(MAX_TILE_LEVEL + 1):
        new_count, old_count = new_size >> (TILE_HEIGHT * level), old_size >> (TILE_HEIGHT * level)
        for index in range(old_count // TILE_WIDTH, -(-new_count // TILE_WIDTH)):
            width = _width_at(new_count, index)
            if width != _width_at(old_count, index):
                added.append(Tile(level, index, width))
    return added


def tiles_for_size(size: int) -> list[Tile]:
    """Every tile of a tree of `size` leaves (full ones and the rightmost partial ones)."""
    return tiles_added(0, size)


def tile_hashes(tile: Tile, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """The hashes stored in `tile`, computed from the log's leaf hashes; the file is their join."""
    span = 1 << (TILE_HEIGHT * tile.level)
    first = tile.index * TILE_WIDTH
    if (first + tile.width) * span > len(leaf_hashes):
        raise MalformedError(
            f"{tile.path}: expected at least {(first + tile.width) * span} leaf hashes, "
            f"found {len(leaf_hashes)}"
        )
    starts = range(first * span, (first + tile.width) * span, span)
    return [root_hash(leaf_hashes[start : start + span]) for start in starts]


def decode_tile(data: bytes, width: int | None = None) -> list[bytes]:
    """The hashes in a tile file (1 to 256 of 32 bytes; exactly `width` if given)."""
    count, remainder = divmod(len(data), HASH_SIZE)
    expected = f"{width} hashes" if width is not None else f"1 to {TILE_WIDTH} hashes"
    wrong_width = width is not None and count != width
    if remainder or not 1 <= count <= TILE_WIDTH or wrong_width:
        raise MalformedError(f"tile: expected {expected} of 32 bytes, found {len(data)} bytes")
    return [data[offset : offset + HASH_SIZE] for offset in range(0, len(data), HASH_SIZE)]


def _width_at(count: int, index: int) -> int:
    return max(0, min(TILE_WIDTH, count - index * TILE_WIDTH))


def _index_path(index: int) -> str:
    """1234067 -> x001/x234/067: 3-digit groups, all but the last prefixed with 'x'."""
    groups = [f"{index % 1000:03d}"]
    while index >= 1000:
        index //= 1000
        groups.append(f"x{index % 1000:03d}")
    return "/".join(reversed(groups))


def _partial_suffix(width: int) -> str:
    return "" if width == TILE_WIDTH else f".p/{width}"


def _check_coordinates(level: int, index: int, width: int) -> None:
    require_size(index, "tile index")
    if not isinstance(level, int) or not 0 <= level <= MAX_TILE_LEVEL:
        raise MalformedError(f"tile level: expected 0 to {MAX_TILE_LEVEL}, found {level!r}")
    if not isinstance(width, int) or not 1 <= width <= TILE_WIDTH:
        raise MalformedError(f"tile width: expected 1 to {TILE_WIDTH}, found {width!r}")
