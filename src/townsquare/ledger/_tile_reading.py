"""Reading a tree through its tiles: roots and proofs computed from tile files.

A tlog-tiles server does no proof work; a client fetches tiles and computes what it needs.
Each computation here comes in two pure halves so the I/O stays outside: `tiles_for_*` says
which tiles to fetch, and `*_from_tiles` computes from the fetched files, passed as a mapping
from `Tile` to file bytes. Where a partial tile is asked for, the full tile of the same level
and index serves as well (its first hashes are the same; logs may delete partial tiles).
"""

from collections.abc import Mapping

from townsquare.ledger._errors import MalformedError, VerificationError
from townsquare.ledger._hashing import EMPTY_ROOT, node_hash, require_hash, unchecked_root
from townsquare.ledger._proofs import Range, consistency_ranges, inclusion_ranges, require_size
from townsquare.ledger._tiles import TILE_HEIGHT, TILE_WIDTH, Tile, decode_tile, tiles_for_size

__all__ = [
    "consistency_proof_from_tiles",
    "inclusion_proof_from_tiles",
    "root_from_tiles",
    "tiles_for_consistency",
    "tiles_for_inclusion",
    "tiles_for_root",
    "verify_tiles",
]

TileFiles = Mapping[Tile, bytes]
_Subtree = tuple[int, int]  # (height, number): leaves [number << height, (number + 1) << height)


def tiles_for_root(size: int) -> list[Tile]:
    """The tiles `root_from_tiles(size, ...)` reads."""
    require_size(size, "tree size")
    return _tiles_for([(0, size)] if size else [], size)


def root_from_tiles(size: int, tiles: TileFiles) -> bytes:
    """MTH of the first `size` leaves, from the tiles in `tiles_for_root(size)`."""
    require_size(size, "tree size")
    return _range_hash((0, size), size, tiles) if size else EMPTY_ROOT


def tiles_for_inclusion(index: int, size: int) -> list[Tile]:
    """The tiles `inclusion_proof_from_tiles(index, size, ...)` reads."""
    return _tiles_for(inclusion_ranges(index, size), size)


def inclusion_proof_from_tiles(index: int, size: int, tiles: TileFiles) -> list[bytes]:
    """The audit path of leaf `index` in the tree of `size` leaves, from its tiles."""
    return [_range_hash(leaves, size, tiles) for leaves in inclusion_ranges(index, size)]


def tiles_for_consistency(old_size: int, new_size: int) -> list[Tile]:
    """The tiles `consistency_proof_from_tiles(old_size, new_size, ...)` reads."""
    return _tiles_for(consistency_ranges(old_size, new_size), new_size)


def consistency_proof_from_tiles(old_size: int, new_size: int, tiles: TileFiles) -> list[bytes]:
    """The consistency proof from `old_size` to `new_size`, from the new tree's tiles."""
    ranges = consistency_ranges(old_size, new_size)
    return [_range_hash(leaves, new_size, tiles) for leaves in ranges]


def verify_tiles(size: int, root: bytes, tiles: TileFiles) -> None:
    """Check every hash tile of the tree of `size` leaves against each other and `root`.

    (1) Read every tile of the tree: each must be present and of its exact width.
    (2) Check each hash of a level-L tile (L >= 1) is the root of its level-(L-1) tile.
    (3) Check the root computed from the tiles is `root`.
    Entry bundles are checked against level-0 tiles separately, by `open_bundle`.
    """
    require_hash(root, "root")
    # (1)
    hashes = {tile: _read_exact(tile, tiles) for tile in tiles_for_size(size)}
    # (2)
    for tile, stored in hashes.items():
        if tile.level > 0:
            _check_tile_children(tile, stored, hashes)
    # (3)
    computed = root_from_tiles(size, tiles)
    if computed != root:
        raise VerificationError(
            f"tiles of a tree of {size}: expected root {root.hex()}, "
            f"the tiles lead to {computed.hex()}"
        )


def _check_tile_children(tile: Tile, stored: list[bytes], hashes: dict[Tile, list[bytes]]) -> None:
    for position, expected in enumerate(stored):
        child = Tile(tile.level - 1, tile.index * TILE_WIDTH + position)
        computed = unchecked_root(hashes[child])
        if computed != expected:
            raise VerificationError(
                f"{tile.path} hash {position}: expected {expected.hex()}, "
                f"{child.path} hashes to {computed.hex()}"
            )


def _tiles_for(ranges: list[Range], size: int) -> list[Tile]:
    needed = {_locate(subtree, size)[0] for leaves in ranges for subtree in _subtrees(leaves)}
    return sorted(needed)


def _range_hash(leaves: Range, size: int, tiles: TileFiles) -> bytes:
    """MTH(D[start:end]) for a range whose start is aligned to its largest subtree (as in
    every proof): the right fold of its complete subtrees, largest first (RFC 9162 §2.1.1)."""
    parts = [_subtree_hash(subtree, size, tiles) for subtree in _subtrees(leaves)]
    result = parts[-1]
    for part in reversed(parts[:-1]):
        result = node_hash(part, result)
    return result


def _subtrees(leaves: Range) -> list[_Subtree]:
    """The complete subtrees covering [start, end), largest first."""
    start, end = leaves
    length, subtrees = end - start, []
    for height in reversed(range(length.bit_length())):
        if length >> height & 1:
            subtrees.append((height, start >> height))
            start += 1 << height
    return subtrees


def _subtree_hash(subtree: _Subtree, size: int, tiles: TileFiles) -> bytes:
    tile, offset, count = _locate(subtree, size)
    stored = _read(tile, tiles)
    return unchecked_root(stored[offset : offset + count])


def _locate(subtree: _Subtree, size: int) -> tuple[Tile, int, int]:
    """Where a complete subtree's hash lives in the tree of `size`: the tile, and the offset
    and count of the stored hashes it is the root of (1 when its height is a multiple of 8)."""
    height, number = subtree
    level, extra = divmod(height, TILE_HEIGHT)
    first = number << extra  # position of its first stored hash at level `level`
    index, offset = divmod(first, TILE_WIDTH)
    stored = size >> (TILE_HEIGHT * level)
    width = min(TILE_WIDTH, stored - index * TILE_WIDTH)
    return Tile(level, index, width), offset, 1 << extra


def _read(tile: Tile, tiles: TileFiles) -> list[bytes]:
    """The tile's hashes, from its own file or else from the full tile it grows into."""
    if tile in tiles or tile.is_full:
        return _read_exact(tile, tiles)
    full = Tile(tile.level, tile.index)
    if full not in tiles:
        raise MalformedError(f"tiles: expected {tile.path} or {full.path}, found neither")
    return _read_exact(full, tiles)[: tile.width]


def _read_exact(tile: Tile, tiles: TileFiles) -> list[bytes]:
    if tile not in tiles:
        raise MalformedError(f"tiles: expected {tile.path}, found no such tile")
    try:
        return decode_tile(tiles[tile], tile.width)
    except MalformedError as error:
        raise MalformedError(f"{tile.path}: {error}") from error
