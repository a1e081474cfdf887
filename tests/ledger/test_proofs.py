"""Proof building and verification against a deliberately naive RFC 6962 tree."""

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.ledger import (
    EMPTY_ROOT,
    LedgerError,
    MalformedError,
    VerificationError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

# --- The naive reference: RFC 6962 §2.1, transcribed as literally as Python allows. ---


def _k(n: int) -> int:
    """The largest power of two strictly smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = _k(len(d))
    return hashlib.sha256(b"\x01" + mth(d[:k]) + mth(d[k:])).digest()


def path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(d)]
    k = _k(len(d))
    if m <= k:
        return [*subproof(m, d[:k], b), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


def proof(m: int, d: list[bytes]) -> list[bytes]:
    return subproof(m, d, True)


def directions(m: int, n: int) -> list[bool]:
    """For PATH(m, D[n]): at each step up, is the sibling on the left?"""
    if n == 1:
        return []
    k = _k(n)
    return [*directions(m, k), False] if m < k else [*directions(m - k, n - k), True]


def subproof_shape(m: int, n: int, b: bool = True) -> list[str]:
    """For SUBPROOF(m, D[n], b): the branch taken at each level, and the final b."""
    if m == n:
        return [str(b)]
    k = _k(n)
    if m <= k:
        return [*subproof_shape(m, k, b), "left"]
    return [*subproof_shape(m - k, n - k, False), "right"]


# --- Helpers ---

MAX_EXHAUSTIVE = 64


def entries(n: int) -> list[bytes]:
    return [b"entry %d" % i for i in range(n)]


def leaf_hashes(n: int) -> list[bytes]:
    return [leaf_hash(entry) for entry in entries(n)]


def corruptions(value: bytes) -> list[bytes]:
    """Every single-byte corruption of a hash (one flipped bit per byte position)."""
    return [value[:i] + bytes([value[i] ^ 0x01]) + value[i + 1 :] for i in range(len(value))]


sizes = st.integers(min_value=1, max_value=300)


# --- Roots ---


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    assert root_hash([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("n", range(MAX_EXHAUSTIVE + 1))
def test_root_matches_naive_tree(n: int) -> None:
    assert root_hash(leaf_hashes(n)) == mth(entries(n))


@settings(deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=200))
def test_root_matches_naive_tree_for_any_entries(data: list[bytes]) -> None:
    assert root_hash([leaf_hash(entry) for entry in data]) == mth(data)


# --- Building proofs: exhaustive for small trees, sampled for larger ones ---


def test_every_inclusion_proof_of_small_trees_matches_naive_and_verifies() -> None:
    for n in range(1, MAX_EXHAUSTIVE + 1):
        data, hashes = entries(n), leaf_hashes(n)
        root = mth(data)
        for m in range(n):
            built = inclusion_proof(m, n, hashes)
            assert built == path(m, data), (m, n)
            verify_inclusion(hashes[m], m, n, built, root)


def test_every_consistency_proof_of_small_trees_matches_naive_and_verifies() -> None:
    hashes, data = leaf_hashes(MAX_EXHAUSTIVE), entries(MAX_EXHAUSTIVE)
    roots = [mth(data[:n]) for n in range(MAX_EXHAUSTIVE + 1)]
    for n in range(1, MAX_EXHAUSTIVE + 1):
        for m in range(1, n + 1):
            built = consistency_proof(m, n, hashes)  # uses only the first n of 64 hashes
            assert built == proof(m, data[:n]), (m, n)
            verify_consistency(m, n, roots[m], roots[n], built)


@settings(deadline=None)
@given(st.data())
def test_inclusion_proofs_match_naive_in_larger_trees(data: st.DataObject) -> None:
    n = data.draw(sizes)
    m = data.draw(st.integers(0, n - 1))
    built = inclusion_proof(m, n, leaf_hashes(n))
    assert built == path(m, entries(n))
    verify_inclusion(leaf_hash(entries(n)[m]), m, n, built, mth(entries(n)))


@settings(deadline=None)
@given(st.data())
def test_consistency_proofs_match_naive_in_larger_trees(data: st.DataObject) -> None:
    n = data.draw(sizes)
    m = data.draw(st.integers(1, n))
    built = consistency_proof(m, n, leaf_hashes(n + 5))
    assert built == proof(m, entries(n))
    verify_consistency(m, n, mth(entries(m)), mth(entries(n)), built)


def test_proofs_use_only_the_first_size_hashes_of_a_longer_sequence() -> None:
    hashes = leaf_hashes(20)
    assert inclusion_proof(3, 7, hashes) == inclusion_proof(3, 7, hashes[:7])
    assert consistency_proof(3, 7, hashes) == consistency_proof(3, 7, hashes[:7])


# --- Every corruption fails ---


def _rejects(verify: Callable[..., None], *args: Any) -> None:
    with pytest.raises(VerificationError, match="expected"):
        verify(*args)


@pytest.mark.parametrize("n", range(1, 17))
def test_every_single_byte_corruption_of_an_inclusion_proof_fails(n: int) -> None:
    hashes, root = leaf_hashes(n), root_hash(leaf_hashes(n))
    for m in range(n):
        good = inclusion_proof(m, n, hashes)
        for i, element in enumerate(good):
            for bad in corruptions(element):
                bad_proof = [*good[:i], bad, *good[i + 1 :]]
                _rejects(verify_inclusion, hashes[m], m, n, bad_proof, root)
        for bad in corruptions(root):
            _rejects(verify_inclusion, hashes[m], m, n, good, bad)
        for bad in corruptions(hashes[m]):
            _rejects(verify_inclusion, bad, m, n, good, root)


@pytest.mark.parametrize("n", range(2, 17))
def test_every_single_byte_corruption_of_a_consistency_proof_fails(n: int) -> None:
    hashes = leaf_hashes(n)
    new_root = root_hash(hashes)
    for m in range(1, n):
        old_root, good = root_hash(hashes[:m]), consistency_proof(m, n, hashes)
        for i, element in enumerate(good):
            for bad in corruptions(element):
                bad_proof = [*good[:i], bad, *good[i + 1 :]]
                _rejects(verify_consistency, m, n, old_root, new_root, bad_proof)
        for bad in corruptions(old_root):
            _rejects(verify_consistency, m, n, bad, new_root, good)
        for bad in corruptions(new_root):
            _rejects(verify_consistency, m, n, old_root, bad, good)


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_a_random_byte_corruption_fails_in_larger_trees(data: st.DataObject) -> None:
    n = data.draw(st.integers(2, 300))
    m = data.draw(st.integers(0, n - 1))
    hashes = leaf_hashes(n)
    good = inclusion_proof(m, n, hashes)
    if not good:
        return
    i = data.draw(st.integers(0, len(good) - 1))
    at = data.draw(st.integers(0, 31))
    flip = data.draw(st.integers(1, 255))
    bad = good[i][:at] + bytes([good[i][at] ^ flip]) + good[i][at + 1 :]
    bad_proof = [*good[:i], bad, *good[i + 1 :]]
    _rejects(verify_inclusion, hashes[m], m, n, bad_proof, root_hash(hashes))


def test_every_wrong_index_fails() -> None:
    for n in range(1, 33):
        hashes, root = leaf_hashes(n), root_hash(leaf_hashes(n))
        for m in range(n):
            good = inclusion_proof(m, n, hashes)
            for wrong in range(n + 3):
                if wrong != m:
                    _rejects(verify_inclusion, hashes[m], wrong, n, good, root)


def test_a_wrong_size_fails_unless_it_gives_the_proof_the_same_shape() -> None:
    """RFC 6962 inclusion proofs do not bind the tree size: (index 0, size 3) and (index 0,
    size 4) both combine [h1, x] as H(H(h0, h1), x). A wrong size must fail exactly when it
    changes the left/right pattern of the path; the checkpoint is what binds the size."""
    accepted_wrong_sizes = 0
    for n in range(1, 33):
        hashes, root = leaf_hashes(n), root_hash(leaf_hashes(n))
        for m in range(n):
            good = inclusion_proof(m, n, hashes)
            for wrong in range(m + 1, 40):
                if wrong == n:
                    continue
                if directions(m, wrong) == directions(m, n):
                    verify_inclusion(hashes[m], m, wrong, good, root)
                    accepted_wrong_sizes += 1
                else:
                    _rejects(verify_inclusion, hashes[m], m, wrong, good, root)
    assert accepted_wrong_sizes > 0  # the documented RFC property is real, not hypothetical


def test_every_wrong_old_size_fails() -> None:
    for n in range(2, 25):
        hashes = leaf_hashes(n)
        for m in range(1, n):
            old_root, new_root = root_hash(hashes[:m]), root_hash(hashes)
            good = consistency_proof(m, n, hashes)
            for wrong in range(0, 30):
                if wrong != m:
                    _rejects(verify_consistency, wrong, n, old_root, new_root, good)


def test_a_wrong_new_size_fails_unless_it_gives_the_proof_the_same_shape() -> None:
    """Like inclusion proofs, consistency proofs do not bind the new size: 1 -> 3 and 1 -> 4
    both combine [h1, x] as H(H(h0, h1), x). The old size is bound; the new one only by the
    new checkpoint's signature."""
    accepted_wrong_sizes = 0
    for n in range(2, 25):
        hashes = leaf_hashes(n)
        for m in range(1, n):
            old_root, new_root = root_hash(hashes[:m]), root_hash(hashes)
            good = consistency_proof(m, n, hashes)
            for wrong in range(0, 40):
                if wrong == n:
                    continue
                if wrong > m and subproof_shape(m, wrong) == subproof_shape(m, n):
                    verify_consistency(m, wrong, old_root, new_root, good)
                    accepted_wrong_sizes += 1
                else:
                    _rejects(verify_consistency, m, wrong, old_root, new_root, good)
    assert accepted_wrong_sizes > 0


# --- Edge cases the RFC leaves open (tlog_vectors/README.md, "Edge cases") ---


def test_consistency_from_the_empty_tree_follows_tlog_witness() -> None:
    new_root = root_hash(leaf_hashes(5))
    verify_consistency(0, 5, EMPTY_ROOT, new_root, [])
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    with pytest.raises(VerificationError, match=f"expected {EMPTY_ROOT.hex()}"):
        verify_consistency(0, 5, new_root, new_root, [])
    with pytest.raises(VerificationError, match="expected an empty proof, found 1"):
        verify_consistency(0, 5, EMPTY_ROOT, new_root, [new_root])
    with pytest.raises(VerificationError, match="new root"):
        verify_consistency(0, 0, EMPTY_ROOT, new_root, [])


def test_equal_sizes_need_an_empty_proof_and_equal_roots() -> None:
    root = root_hash(leaf_hashes(4))
    verify_consistency(4, 4, root, root, [])
    with pytest.raises(VerificationError, match="expected an empty proof, found 1 hashes"):
        verify_consistency(4, 4, root, root, [root])
    with pytest.raises(VerificationError, match="new root: expected"):
        verify_consistency(4, 4, root, EMPTY_ROOT, [])


def test_old_size_larger_than_new_size_fails() -> None:
    with pytest.raises(VerificationError, match="expected old size <= new size 3, found 4"):
        verify_consistency(4, 3, EMPTY_ROOT, EMPTY_ROOT, [])


def test_index_outside_the_tree_fails() -> None:
    with pytest.raises(VerificationError, match="expected leaf index < tree size 3, found 3"):
        verify_inclusion(EMPTY_ROOT, 3, 3, [], EMPTY_ROOT)
    with pytest.raises(VerificationError, match="found 0"):
        verify_inclusion(EMPTY_ROOT, 0, 0, [], EMPTY_ROOT)


def test_wrong_proof_length_names_both_lengths() -> None:
    hashes = leaf_hashes(8)
    good = inclusion_proof(5, 8, hashes)
    with pytest.raises(VerificationError, match="expected a proof of 3 hashes, found 4"):
        verify_inclusion(hashes[5], 5, 8, [*good, good[0]], root_hash(hashes))
    with pytest.raises(VerificationError, match="expected a proof of 3 hashes, found 2"):
        verify_consistency(6, 8, EMPTY_ROOT, EMPTY_ROOT, good[:2])


def test_a_wrong_root_names_expected_and_computed_roots() -> None:
    hashes = leaf_hashes(3)
    with pytest.raises(VerificationError) as caught:
        verify_inclusion(hashes[2], 2, 3, inclusion_proof(2, 3, hashes), EMPTY_ROOT)
    assert EMPTY_ROOT.hex() in str(caught.value)
    assert root_hash(hashes).hex() in str(caught.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: verify_inclusion(b"short", 0, 1, [], EMPTY_ROOT),
        lambda: verify_inclusion(EMPTY_ROOT, 0, 1, [], b""),
        lambda: verify_inclusion(EMPTY_ROOT, 0, 2, [b"x" * 33], EMPTY_ROOT),
        lambda: verify_inclusion(EMPTY_ROOT, -1, 1, [], EMPTY_ROOT),
        lambda: verify_consistency(-1, 1, EMPTY_ROOT, EMPTY_ROOT, []),
        lambda: verify_consistency(1, 1, b"don't care 1", b"don't care 1", []),
        lambda: root_hash([b"x" * 31]),
        lambda: inclusion_proof(0, 2, [EMPTY_ROOT]),
        lambda: inclusion_proof(2, 2, [EMPTY_ROOT] * 2),
        lambda: inclusion_proof(-1, 2, [EMPTY_ROOT] * 2),
        lambda: consistency_proof(3, 2, [EMPTY_ROOT] * 3),
        lambda: consistency_proof(1, -2, [EMPTY_ROOT] * 3),
        lambda: inclusion_proof(0, 2, [EMPTY_ROOT, b"x"]),
    ],
)
def test_malformed_arguments_raise_malformed_error(call: Callable[[], object]) -> None:
    with pytest.raises(MalformedError, match=r"expected .*found") as caught:
        call()
    assert isinstance(caught.value, LedgerError)


def test_trivial_proofs_are_empty() -> None:
    hashes = leaf_hashes(5)
    assert inclusion_proof(0, 1, hashes) == []
    assert consistency_proof(0, 5, hashes) == []
    assert consistency_proof(5, 5, hashes) == []
