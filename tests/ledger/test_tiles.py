"""Tiles: paths, tile sets, and roots and proofs computed from real Tessera and Sunlight tiles."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.ledger import (
    EMPTY_ROOT,
    MalformedError,
    Tile,
    VerificationError,
    Verifier,
    consistency_proof,
    consistency_proof_from_tiles,
    decode_tile,
    entry_bundle_path,
    inclusion_proof,
    inclusion_proof_from_tiles,
    leaf_hash,
    open_bundle,
    open_note,
    parse_checkpoint,
    root_from_tiles,
    root_hash,
    tile_hashes,
    tile_path,
    tiles_added,
    tiles_for_consistency,
    tiles_for_inclusion,
    tiles_for_root,
    tiles_for_size,
    verify_tiles,
)

from .vectors import load_vectors

PATHS = load_vectors("tile_paths.json")
TESSERA = load_vectors("tlog_tiles_tessera_posix.json")
SUNLIGHT = load_vectors("tlog_tiles_sunlight_mirror.json")


def tiles_of(leaf_hashes: list[bytes], size: int) -> dict[Tile, bytes]:
    """What a log of `size` leaves serves: every tile, as file bytes."""
    return {tile: b"".join(tile_hashes(tile, leaf_hashes)) for tile in tiles_for_size(size)}


LEAF_HASHES = [leaf_hash(b"record %d" % i) for i in range(70_000)]


def leaf_hashes(n: int) -> list[bytes]:
    return LEAF_HASHES[:n]


# --- Paths ---


@pytest.mark.parametrize("vector", PATHS["c2sp_index_encoding"], ids=lambda v: str(v["n"]))
def test_index_encoding(vector: dict[str, Any]) -> None:
    assert tile_path(0, vector["n"]) == f"tile/0/{vector['encoded']}"
    assert entry_bundle_path(vector["n"]) == f"tile/entries/{vector['encoded']}"


def test_partial_and_full_paths() -> None:
    assert tile_path(1, 1234067, 17) == "tile/1/x001/x234/067.p/17"
    assert tile_path(0, 0, 256) == tile_path(0, 0) == "tile/0/000"
    assert entry_bundle_path(0, 15) == "tile/entries/000.p/15"
    assert Tile(2, 5, 1).path == "tile/2/005.p/1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((64, 0), "level: expected 0 to 63, found 64"),
        ((-1, 0), "level: expected 0 to 63"),
        ((0, -1), "index: expected an integer >= 0, found -1"),
        ((0, 0, 0), "width: expected 1 to 256, found 0"),
        ((0, 0, 257), "width: expected 1 to 256, found 257"),
    ],
)
def test_invalid_tile_coordinates(args: tuple[int, ...], message: str) -> None:
    with pytest.raises(MalformedError, match=message):
        tile_path(*args)


# --- Tile sets ---


@pytest.mark.parametrize("vector", PATHS["c2sp_tile_sets"], ids=lambda v: str(v["tree_size"]))
def test_tile_sets(vector: dict[str, Any]) -> None:
    tiles = tiles_for_size(vector["tree_size"])
    if "expected_paths" in vector:
        assert [t.path for t in tiles] == vector["expected_paths"]
        level0 = [t for t in tiles if t.level == 0]
        expected_bundles = vector.get("expected_entry_bundles")
        if expected_bundles:
            assert [entry_bundle_path(t.index, t.width) for t in level0] == expected_bundles
        return
    for key, value in vector["expected"].items():
        level, kind = int(key[5]), key.split("_", 1)[1]
        at_level = [t for t in tiles if t.level == level]
        if kind == "full":
            assert sum(t.is_full for t in at_level) == value, key
        else:
            assert [t.width for t in at_level if not t.is_full] == ([value] if value else []), key


def test_growing_writes_only_new_or_wider_tiles() -> None:
    assert tiles_added(0, 0) == []
    assert [t.path for t in tiles_added(255, 257)] == [
        "tile/0/000",
        "tile/0/001.p/1",
        "tile/1/000.p/1",
    ]
    assert [t.path for t in tiles_added(256, 257)] == ["tile/0/001.p/1"]
    assert tiles_added(300, 300) == []


@settings(deadline=None)
@given(st.integers(0, 70_000), st.integers(0, 70_000))
def test_the_tiles_added_along_the_way_end_in_the_tile_set(a: int, b: int) -> None:
    old, new = sorted((a, b))
    latest = {(t.level, t.index): t for t in tiles_added(0, old)}
    latest.update({(t.level, t.index): t for t in tiles_added(old, new)})
    assert sorted(latest.values()) == tiles_for_size(new)


# --- Real tiles: Tessera (15 entries, every size) and Sunlight (300 entries, a full tile) ---


@pytest.mark.parametrize("state", TESSERA["by_size"], ids=lambda s: str(s["size"]))
def test_tessera_tiles_bundles_and_checkpoint_agree(state: dict[str, Any]) -> None:
    size = state["size"]
    note = open_note(state["checkpoint"].encode(), [Verifier.from_vkey(TESSERA["verifier_key"])])
    checkpoint = parse_checkpoint(note.text)
    files = {tile: bytes.fromhex(state["tiles"][tile.path]) for tile in tiles_for_size(size)}
    assert root_from_tiles(size, files) == checkpoint.root_hash
    verify_tiles(size, checkpoint.root_hash, files)
    bundle = bytes.fromhex(state["tiles"][entry_bundle_path(0, size)])
    entries = open_bundle(bundle, files[Tile(0, 0, size)])
    assert entries == [bytes.fromhex(x) for x in TESSERA["leaves"][:size]]
    hashes = [leaf_hash(e) for e in entries]
    assert b"".join(tile_hashes(Tile(0, 0, size), hashes)) == files[Tile(0, 0, size)]


def test_sunlight_tiles_rebuild_the_cosigned_root() -> None:
    files = {tile: bytes.fromhex(SUNLIGHT["tiles"][tile.path]) for tile in tiles_for_size(300)}
    cosigner = Verifier.from_vkey(SUNLIGHT["cosigner_vkey"])
    checkpoint = parse_checkpoint(open_note(SUNLIGHT["checkpoint"].encode(), [cosigner]).text)
    assert checkpoint.size == SUNLIGHT["tree_size"] == 300
    assert root_from_tiles(300, files) == checkpoint.root_hash == bytes.fromhex(SUNLIGHT["root"])
    verify_tiles(300, checkpoint.root_hash, files)
    leaves = [leaf_hash(bytes.fromhex(x)) for x in SUNLIGHT["leaves"]]
    assert tiles_of(leaves, 300) == files


def test_sunlight_proofs_from_tiles_verify_against_the_cosigned_root() -> None:
    files = {tile: bytes.fromhex(SUNLIGHT["tiles"][tile.path]) for tile in tiles_for_size(300)}
    leaves = [leaf_hash(bytes.fromhex(x)) for x in SUNLIGHT["leaves"]]
    for index in (0, 1, 255, 256, 299):
        assert inclusion_proof_from_tiles(index, 300, files) == inclusion_proof(index, 300, leaves)


# --- Tile-read proofs equal directly built proofs ---


@given(st.data())
@settings(max_examples=25, deadline=None)
def test_proofs_and_roots_from_tiles_equal_the_direct_ones(data: st.DataObject) -> None:
    size = data.draw(st.one_of(st.integers(1, 3000), st.integers(65_536, 70_000)))  # 2 or 3 levels
    hashes = leaf_hashes(size)
    index = data.draw(st.integers(0, size - 1))
    old = data.draw(st.integers(0, size))
    needed = set(
        tiles_for_root(size) + tiles_for_inclusion(index, size) + tiles_for_consistency(old, size)
    )
    files = {tile: b"".join(tile_hashes(tile, hashes)) for tile in needed}
    assert root_from_tiles(size, files) == root_hash(hashes)
    assert inclusion_proof_from_tiles(index, size, files) == inclusion_proof(index, size, hashes)
    assert consistency_proof_from_tiles(old, size, files) == consistency_proof(old, size, hashes)


def test_the_root_needs_few_tiles() -> None:
    assert tiles_for_root(0) == []
    assert [t.path for t in tiles_for_root(70_000)] == [
        "tile/0/273.p/112",
        "tile/1/001.p/17",
        "tile/2/000.p/1",
    ]
    assert root_from_tiles(0, {}) == EMPTY_ROOT


def test_a_full_tile_serves_for_the_partial_one_it_grew_into() -> None:
    hashes = leaf_hashes(300)
    files = tiles_of(hashes, 300)
    full = {t: d for t, d in files.items() if t.is_full} | {
        Tile(0, 1): b"".join(tile_hashes(Tile(0, 1), hashes + leaf_hashes(512)[300:]))
    }
    full[Tile(1, 0)] = b"".join(tile_hashes(Tile(1, 0, 1), hashes)) + bytes(32 * 255)
    assert root_from_tiles(300, full) == root_hash(hashes)
    assert inclusion_proof_from_tiles(299, 300, full) == inclusion_proof(299, 300, hashes)


# --- Refusals ---


def test_a_missing_tile_is_named() -> None:
    with pytest.raises(
        MalformedError, match=r"expected tile/0/001.p/44 or tile/0/001, found neither"
    ):
        root_from_tiles(300, {Tile(1, 0, 1): bytes(32)})


def test_a_tile_of_the_wrong_width_is_refused() -> None:
    files = tiles_of(leaf_hashes(300), 300)
    files[Tile(0, 1, 44)] = files[Tile(0, 1, 44)][:-32]
    with pytest.raises(
        MalformedError,
        match=r"tile/0/001.p/44: tile: expected 44 hashes of 32 bytes, found 1376 bytes",
    ):
        root_from_tiles(300, files)


@pytest.mark.parametrize("data", [b"", bytes(31), bytes(33), bytes(32 * 257)])
def test_malformed_tile_files(data: bytes) -> None:
    with pytest.raises(MalformedError, match="expected 1 to 256 hashes"):
        decode_tile(data)


def test_a_corrupted_tile_fails_full_verification_with_its_path() -> None:
    hashes = leaf_hashes(70_000)
    files = tiles_of(hashes, 70_000)
    root = root_hash(hashes)
    verify_tiles(70_000, root, files)
    bad = dict(files)
    bad[Tile(0, 5)] = bytes([files[Tile(0, 5)][0] ^ 1]) + files[Tile(0, 5)][1:]
    with pytest.raises(
        VerificationError, match=r"tile/1/000 hash 5: expected .*, tile/0/005 hashes to"
    ):
        verify_tiles(70_000, root, bad)
    with pytest.raises(
        VerificationError, match=f"expected root {EMPTY_ROOT.hex()}, the tiles lead to {root.hex()}"
    ):
        verify_tiles(70_000, EMPTY_ROOT, files)


def test_tile_hashes_need_enough_leaves() -> None:
    with pytest.raises(MalformedError, match="expected at least 256 leaf hashes, found 255"):
        tile_hashes(Tile(0, 0), leaf_hashes(255))
