"""Verifying RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs.

Both functions return None on success and raise `VerificationError` (the claim does not hold)
or `MalformedError` (an argument is not a size or a 32-byte hash). Proof lengths are checked
against the shape the sizes imply before any hashing, so the error can say what was expected.

An inclusion proof does not bind the tree size: take `size` and `root` from a verified
checkpoint, never from whoever sent the proof.
"""

from collections.abc import Sequence

from townsquare.ledger._errors import VerificationError
from townsquare.ledger._hashing import EMPTY_ROOT, node_hash, require_hash
from townsquare.ledger._proofs import consistency_ranges, inclusion_ranges, require_size

__all__ = ["verify_consistency", "verify_inclusion"]


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that `leaf_hash` is leaf `index` of the tree of `size` leaves whose root is `root`.

    (1) Check the arguments are well formed: sizes >= 0, every hash 32 bytes.
    (2) Check the index lies inside the tree.
    (3) Check the proof has exactly the length the index and size imply.
    (4) Recompute the root from the leaf hash and the proof (RFC 9162 §2.1.3.2).
    (5) Compare the recomputed root with the expected root.
    """
    # (1)
    _require_hashes(proof, leaf_hash=leaf_hash, root=root)
    require_size(index, "leaf index")
    require_size(size, "tree size")
    # (2)
    if index >= size:
        raise VerificationError(f"inclusion: expected leaf index < tree size {size}, found {index}")
    # (3)
    expected_length = len(inclusion_ranges(index, size))
    if len(proof) != expected_length:
        raise VerificationError(
            f"inclusion of leaf {index} in a tree of {size}: expected a proof of "
            f"{expected_length} hashes, found {len(proof)}"
        )
    # (4)
    computed = _root_from_inclusion_proof(leaf_hash, index, size, proof)
    # (5)
    if computed != root:
        raise VerificationError(
            f"inclusion of leaf {index} in a tree of {size}: expected root {root.hex()}, "
            f"the proof leads to {computed.hex()}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree (`new_size`, `new_root`) extends the tree (`old_size`, `old_root`).

    (1) Check the arguments are well formed: sizes >= 0, every hash 32 bytes.
    (2) Check the old tree is not larger than the new one.
    (3) Equal sizes: the proof must be empty and the roots equal.
    (4) Old size 0 (C2SP tlog-witness): the proof must be empty and the old root must be the
        empty tree's root, SHA-256(""); every tree extends the empty tree.
    (5) Check the proof has exactly the length the sizes imply.
    (6) Recompute both roots from the proof (RFC 9162 §2.1.4.2).
    (7) Compare the recomputed roots with the expected roots.
    """
    # (1)
    _require_hashes(proof, old_root=old_root, new_root=new_root)
    require_size(old_size, "old size")
    require_size(new_size, "new size")
    # (2)
    if old_size > new_size:
        raise VerificationError(
            f"consistency: expected old size <= new size {new_size}, found {old_size}"
        )
    # (3), (4)
    if old_size in (0, new_size):
        _verify_trivial_consistency(old_size, new_size, old_root, new_root, proof)
        return
    # (5)
    expected_length = len(consistency_ranges(old_size, new_size))
    if len(proof) != expected_length:
        raise VerificationError(
            f"consistency {old_size} -> {new_size}: expected a proof of {expected_length} "
            f"hashes, found {len(proof)}"
        )
    # (6)
    old_computed, new_computed = _roots_from_consistency_proof(old_size, new_size, old_root, proof)
    # (7)
    what = f"consistency {old_size} -> {new_size}"
    _require_equal_root(old_root, old_computed, f"{what}: old", found="the proof leads to")
    _require_equal_root(new_root, new_computed, f"{what}: new", found="the proof leads to")


def _root_from_inclusion_proof(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes]
) -> bytes:
    """RFC 9162 §2.1.3.2 steps 2-7, with the proof length already checked."""
    position, last, result = index, size - 1, leaf_hash
    for sibling in proof:
        if position % 2 == 1 or position == last:
            result = node_hash(sibling, result)
            while position % 2 == 0 and position != 0:  # right edge: skip levels with no sibling
                position, last = position >> 1, last >> 1
        else:
            result = node_hash(result, sibling)
        position, last = position >> 1, last >> 1
    if last != 0:  # unreachable once the length matched; kept as the RFC's own guard
        raise VerificationError(f"inclusion of leaf {index}: proof does not reach the root")
    return result


def _roots_from_consistency_proof(
    old_size: int, new_size: int, old_root: bytes, proof: Sequence[bytes]
) -> tuple[bytes, bytes]:
    """RFC 9162 §2.1.4.2 steps 2-8 for 0 < old_size < new_size, proof length already checked."""
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # the old tree is a complete subtree: its root is a node
        path.insert(0, old_root)
    position, last = old_size - 1, new_size - 1
    while position % 2 == 1:  # climb to the old tree's last complete subtree
        position, last = position >> 1, last >> 1
    old_result = new_result = path[0]
    for sibling in path[1:]:
        if position % 2 == 1 or position == last:
            old_result = node_hash(sibling, old_result)
            new_result = node_hash(sibling, new_result)
            while position % 2 == 0 and position != 0:
                position, last = position >> 1, last >> 1
        else:
            new_result = node_hash(new_result, sibling)  # a right sibling only the new tree has
        position, last = position >> 1, last >> 1
    if last != 0:  # unreachable once the length matched; kept as the RFC's own guard
        raise VerificationError(f"consistency {old_size} -> {new_size}: proof too short")
    return old_result, new_result


def _verify_trivial_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    if proof:
        raise VerificationError(
            f"consistency {old_size} -> {new_size}: expected an empty proof, "
            f"found {len(proof)} hashes"
        )
    if old_size == 0:
        _require_equal_root(EMPTY_ROOT, old_root, "consistency from the empty tree: old")
    if old_size == new_size:
        _require_equal_root(old_root, new_root, f"consistency {old_size} -> {new_size}: new")


def _require_equal_root(expected: bytes, actual: bytes, what: str, found: str = "found") -> None:
    if actual != expected:
        raise VerificationError(f"{what} root: expected {expected.hex()}, {found} {actual.hex()}")


def _require_hashes(proof: Sequence[bytes], **hashes: bytes) -> None:
    for name, value in hashes.items():
        require_hash(value, name.replace("_", " "))
    for position, element in enumerate(proof):
        require_hash(element, f"proof[{position}]")
