"""Growing tiles at the right edge gives the tiles and root of the whole tree, batch by batch."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.ledger import (
    Tile,
    VerificationError,
    grow_tiles,
    right_edge,
    root_hash,
    tile_hashes,
    tiles_for_size,
)


def _leaves(count: int, start: int = 0) -> list[bytes]:
    return [hashlib.sha256(b"leaf %d" % n).digest() for n in range(start, start + count)]


def _grow_in_batches(batches: list[int]) -> tuple[int, dict[Tile, list[bytes]], list[bytes]]:
    """Apply each batch as the sequencer does; return size, the stored tiles, all leaves."""
    size, stored, leaves = 0, {}, []  # stored: the newest version of each (level, index)
    edge: dict[Tile, list[bytes]] = {}
    for count in batches:
        batch = _leaves(count, size)
        growth = grow_tiles(size, edge, batch)
        leaves += batch
        assert growth.size == size + count
        assert growth.root_hash == root_hash(leaves)
        for tile, hashes in growth.changed.items():
            stored[tile.level, tile.index] = hashes
        size, edge = growth.size, dict(growth.edge)
    return size, {Tile(level, index, len(h)): h for (level, index), h in stored.items()}, leaves


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 700), min_size=1, max_size=6))
def test_batches_build_exactly_the_tiles_of_the_tree(batches: list[int]) -> None:
    size, stored, leaves = _grow_in_batches(batches)
    assert sorted(stored) == tiles_for_size(size)
    for tile, hashes in stored.items():
        assert hashes == tile_hashes(tile, leaves)


def test_a_level_two_tile_appears_at_65536_leaves() -> None:
    _size, stored, leaves = _grow_in_batches([65_535, 1, 300])
    assert Tile(2, 0, 1) in stored
    assert stored[Tile(2, 0, 1)] == [root_hash(leaves[:65_536])]


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, []), (256, [Tile(1, 0, 1)]), (70_000, [Tile(0, 273, 112), Tile(1, 1, 17), Tile(2, 0, 1)])],
)
def test_the_right_edge_is_the_partial_tiles(size: int, expected: list[Tile]) -> None:
    assert right_edge(size) == expected


def test_a_missing_edge_tile_is_refused_not_guessed() -> None:
    with pytest.raises(VerificationError, match=r"tile/0/000\.p/5"):
        grow_tiles(5, {}, _leaves(1))
