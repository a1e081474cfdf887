"""RFC 9162 hashing against transparency-dev/merkle's reference tree."""

import hashlib

from townsquare.ledger import EMPTY_ROOT, HASH_SIZE, leaf_hash, node_hash, root_hash

from .vectors import hashes, load_vectors

TREE = load_vectors("rfc6962_tree_transparency_dev.json")
LEAVES = [bytes.fromhex(leaf) for leaf in TREE["leaves"]]


def test_prefixes_separate_leaves_from_nodes() -> None:
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert (
        node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    )
    assert len(leaf_hash(b"x")) == HASH_SIZE


def test_roots_of_every_size_match_the_reference_tree() -> None:
    leaf_hashes = [leaf_hash(leaf) for leaf in LEAVES]
    for size, expected in enumerate(hashes(TREE["roots_by_size"])):
        assert root_hash(leaf_hashes[:size]) == expected, size
    assert root_hash([]) == EMPTY_ROOT == bytes.fromhex(TREE["empty_root"])


def test_every_complete_subtree_matches_the_reference_node_hashes() -> None:
    leaf_hashes = [leaf_hash(leaf) for leaf in LEAVES]
    for level, nodes in enumerate(TREE["node_hashes_by_level"]):
        width = 1 << level
        for number, expected in enumerate(hashes(nodes)):
            assert root_hash(leaf_hashes[number * width : (number + 1) * width]) == expected


def test_the_known_values_quoted_in_the_reference_note() -> None:
    leaf_hashes = [leaf_hash(leaf) for leaf in LEAVES]
    assert leaf_hash(b"").hex().startswith("6e340b9c")
    assert root_hash(leaf_hashes[:3]).hex().startswith("aeb6bcfe")
    assert root_hash(leaf_hashes).hex().startswith("5dc9da79")
