"""Proof verification against public vectors: transparency-dev/merkle probes and real logs."""

from typing import Any

import pytest

from townsquare.ledger import (
    EMPTY_ROOT,
    LedgerError,
    Verifier,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    open_note,
    parse_checkpoint,
    verify_consistency,
    verify_inclusion,
)

from .vectors import hashes, load_vectors

INCLUSION = load_vectors("inclusion_transparency_dev.json")["vectors"]
CONSISTENCY = load_vectors("consistency_transparency_dev.json")
ARGON = load_vectors("ct_argon2020_real.json")
REKOR = load_vectors("rekor_v2_real.json")["vectors"]
TREE_LEAVES = [
    bytes.fromhex(leaf) for leaf in load_vectors("rfc6962_tree_transparency_dev.json")["leaves"]
]

# Where our policy differs from transparency-dev's (tlog_vectors/README.md, "Edge cases").
POLICY_DIFFERENCES = {
    # We require 32-byte hashes everywhere; transparency-dev accepts these 12-byte "roots".
    "testdata/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json": False,
}


def _outcome(check: Any) -> bool:
    try:
        check()
    except LedgerError:
        return False
    return True


@pytest.mark.parametrize("vector", INCLUSION, ids=[v["id"] for v in INCLUSION])
def test_inclusion_probe(vector: dict[str, Any]) -> None:
    def check() -> None:
        verify_inclusion(
            bytes.fromhex(vector["leaf_hash"]),
            vector["leaf_index"],
            vector["tree_size"],
            hashes(vector["proof"]),
            bytes.fromhex(vector["root"]),
        )

    assert _outcome(check) == vector["expect_valid"]


def _witness_expectation(vector: dict[str, Any]) -> bool:
    """tlog-witness semantics for old size 0: empty proof, empty-tree old root (32 bytes)."""
    if vector["id"] in POLICY_DIFFERENCES:
        return POLICY_DIFFERENCES[vector["id"]]
    if vector["size1"] != 0:
        return bool(vector["expect_valid"])
    roots = (vector["root1"], vector["root2"])
    new_ok = vector["size2"] > 0 or roots[1] == roots[0]
    return not vector["proof"] and roots[0] == EMPTY_ROOT.hex() and len(roots[1]) == 64 and new_ok


@pytest.mark.parametrize(
    "vector", CONSISTENCY["vectors"], ids=[v["id"] for v in CONSISTENCY["vectors"]]
)
def test_consistency_probe(vector: dict[str, Any]) -> None:
    def check() -> None:
        verify_consistency(
            vector["size1"],
            vector["size2"],
            bytes.fromhex(vector["root1"]),
            bytes.fromhex(vector["root2"]),
            hashes(vector["proof"]),
        )

    assert CONSISTENCY["empty_tree_policy"] == "reject_size1_zero"
    assert _outcome(check) == _witness_expectation(vector)


def test_happy_path_probes_are_the_proofs_we_build() -> None:
    leaf_hashes = [leaf_hash(leaf) for leaf in TREE_LEAVES]
    for vector in INCLUSION:
        if vector["id"].endswith("/happy-path.json") and "/inclusion/" in vector["id"]:
            built = inclusion_proof(vector["leaf_index"], vector["tree_size"], leaf_hashes)
            assert built == hashes(vector["proof"]), vector["id"]
    for vector in CONSISTENCY["vectors"]:
        if vector["id"].endswith("/happy-path.json"):
            built = consistency_proof(vector["size1"], vector["size2"], leaf_hashes)
            assert built == hashes(vector["proof"]), vector["id"]


def test_real_ct_argon2020_inclusion_of_leaf_10000() -> None:
    inclusion = ARGON["inclusion"]
    entry_hash = leaf_hash(bytes.fromhex(inclusion["leaf_input"]))
    assert entry_hash.hex() == inclusion["leaf_hash"]
    proof = hashes(inclusion["proof"])
    root = bytes.fromhex(ARGON["root"])
    verify_inclusion(entry_hash, inclusion["leaf_index"], ARGON["tree_size"], proof, root)
    with pytest.raises(LedgerError):
        verify_inclusion(entry_hash, inclusion["leaf_index"] + 1, ARGON["tree_size"], proof, root)


def test_real_ct_argon2020_consistency_across_958_million_entries() -> None:
    c = ARGON["consistency"]
    old_root, new_root = bytes.fromhex(c["root1"]), bytes.fromhex(c["root2"])
    verify_consistency(c["size1"], c["size2"], old_root, new_root, hashes(c["proof"]))
    with pytest.raises(LedgerError):
        verify_consistency(c["size1"], c["size2"], new_root, old_root, hashes(c["proof"]))


@pytest.mark.parametrize("vector", REKOR, ids=[v["id"] for v in REKOR])
def test_real_rekor_v2_entry_is_in_its_signed_checkpoint(vector: dict[str, Any]) -> None:
    note = open_note(vector["checkpoint"].encode(), [Verifier.from_vkey(vector["verifier_key"])])
    checkpoint = parse_checkpoint(note.text)
    assert (checkpoint.size, checkpoint.root_hash.hex()) == (vector["tree_size"], vector["root"])
    entry_hash = leaf_hash(bytes.fromhex(vector["leaf"]))
    proof = hashes(vector["proof"])
    verify_inclusion(entry_hash, vector["leaf_index"], checkpoint.size, proof, checkpoint.root_hash)
