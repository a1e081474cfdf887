"""Growing a tiled tree at its right edge, without reading the rest of it (the sequencer's step).

Appending leaves only ever touches the rightmost tile of each level: leaf hashes fill the
level-0 edge tile; each time a tile fills up, the root of its 256 hashes becomes the next hash
of the level above (c2sp.org/tlog-tiles: a level-L+1 hash is the root of a full level-L tile).
So a batch needs the edge tiles before it (at most one per level) and yields the tiles it
changed, and the root of the new tree follows from the new edge tiles alone.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from townsquare.ledger._errors import VerificationError
from townsquare.ledger._hashing import unchecked_root
from townsquare.ledger._proofs import require_size
from townsquare.ledger._tile_reading import root_from_tiles
from townsquare.ledger._tiles import MAX_TILE_LEVEL, TILE_HEIGHT, TILE_WIDTH, Tile

__all__ = ["Growth", "grow_tiles", "right_edge"]


@dataclass(frozen=True)
class Growth:
    """What appending a batch did: the tiles it wrote, the new edge, and the new root."""

    size: int
    changed: Mapping[Tile, list[bytes]]  # every tile written, at its new width
    edge: Mapping[Tile, list[bytes]]  # the partial tiles of the new tree (`right_edge(size)`)
    root_hash: bytes


def right_edge(size: int) -> list[Tile]:
    """The partial tiles of a tree of `size` leaves, one per level at most, lowest first."""
    require_size(size, "tree size")
    edge = []
    for level in range(MAX_TILE_LEVEL + 1):
        stored = size >> (TILE_HEIGHT * level)
        if stored == 0:
            break
        if stored % TILE_WIDTH:
            edge.append(Tile(level, stored // TILE_WIDTH, stored % TILE_WIDTH))
    return edge


def grow_tiles(
    old_size: int, edge: Mapping[Tile, Sequence[bytes]], leaf_hashes: Sequence[bytes]
) -> Growth:
    """Append `leaf_hashes` to the tree of `old_size` whose edge tiles hold `edge`.

    (1) Require `edge` to hold exactly the partial tiles of the old tree, each full width.
    (2) Level by level, append the new hashes to the edge tile; every tile that fills up
        passes the root of its hashes to the level above.
    (3) The new edge is each level's last changed tile if partial, else the old edge tile.
    (4) The new root is computed from the new edge tiles (`root_from_tiles`).
    """
    # (1)
    old_edge = _checked_edge(old_size, edge)
    changed: dict[Tile, list[bytes]] = {}
    # (2)
    incoming, level = list(leaf_hashes), 0
    while incoming:
        incoming = _grow_level(old_size, level, old_edge.get(level, []), incoming, changed)
        level += 1
    # (3)
    new_size = old_size + len(leaf_hashes)
    by_position = {(tile.level, tile.index): hashes for tile, hashes in changed.items()}
    by_position.update(
        {
            (t.level, t.index): list(h)
            for t, h in edge.items()
            if (t.level, t.index) not in by_position
        }
    )
    new_edge = {tile: by_position[tile.level, tile.index] for tile in right_edge(new_size)}
    # (4)
    files = {tile: b"".join(hashes) for tile, hashes in new_edge.items()}
    return Growth(new_size, changed, new_edge, root_from_tiles(new_size, files))


def _grow_level(
    old_size: int,
    level: int,
    current: list[bytes],
    incoming: list[bytes],
    changed: dict[Tile, list[bytes]],
) -> list[bytes]:
    """Append `incoming` at `level`; return the hashes of the tiles that filled up."""
    index = (old_size >> (TILE_HEIGHT * level)) // TILE_WIDTH
    hashes, promoted = list(current), []
    for value in incoming:
        hashes.append(value)
        if len(hashes) == TILE_WIDTH:
            changed[Tile(level, index)] = hashes
            promoted.append(unchecked_root(hashes))
            index, hashes = index + 1, []
    if hashes:
        changed[Tile(level, index, len(hashes))] = hashes
    return promoted


def _checked_edge(old_size: int, edge: Mapping[Tile, Sequence[bytes]]) -> dict[int, list[bytes]]:
    expected = right_edge(old_size)
    if sorted(edge) != expected or any(len(edge[t]) != t.width for t in expected):
        found = ", ".join(f"{t.path} ({len(h)} hashes)" for t, h in sorted(edge.items()))
        raise VerificationError(
            f"edge tiles of a tree of {old_size}: expected "
            f"{', '.join(t.path for t in expected) or 'none'}, found {found or 'none'}"
        )
    return {tile.level: list(hashes) for tile, hashes in edge.items()}
