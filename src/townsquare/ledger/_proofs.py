"""Building RFC 9162 inclusion and consistency proofs (§2.1.3.1, §2.1.4.1).

Each proof is a list of subtree hashes MTH(D[start:end]). The *shape* of a proof (which
ranges) depends only on the sizes, so it is computed first (`inclusion_ranges`,
`consistency_ranges`) and hashed second. The ranges of one proof are disjoint, so building a
proof from leaf hashes costs at most n - 1 node hashes; a tile reader (`_tiles`) fills the
same ranges from stored hashes instead.
"""

from collections.abc import Sequence

from townsquare.ledger._errors import MalformedError
from townsquare.ledger._hashing import require_hash, unchecked_root

__all__ = [
    "Range",
    "consistency_proof",
    "consistency_ranges",
    "inclusion_proof",
    "inclusion_ranges",
    "require_size",
    "split_point",
]

Range = tuple[int, int]  # [start, end): the leaves a subtree hash covers


def split_point(size: int) -> int:
    """k, the largest power of two strictly smaller than `size` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The subtrees of PATH(index, D[size]), from the leaf's sibling up to a child of the root."""
    require_size(size, "tree size")
    require_size(index, "leaf index")
    if index >= size:
        raise MalformedError(f"leaf index: expected < tree size {size}, found {index}")
    siblings: list[Range] = []
    start, width = 0, size
    while width > 1:  # descend from the root, noting the sibling subtree at each level
        k = split_point(width)
        if index - start < k:
            siblings.append((start + k, start + width))
            width = k
        else:
            siblings.append((start, start + k))
            start, width = start + k, width - k
    return siblings[::-1]


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """The subtrees of PROOF(old_size, D[new_size]); empty when old_size is 0 or equal."""
    require_size(old_size, "old size")
    require_size(new_size, "new size")
    if old_size > new_size:
        raise MalformedError(f"old size: expected <= new size {new_size}, found {old_size}")
    if old_size in (0, new_size):
        return []
    siblings: list[Range] = []
    start, width, boundary, whole = 0, new_size, old_size, True
    while boundary != width:  # SUBPROOF(m, D[n], b), descending iteratively
        k = split_point(width)
        if boundary <= k:
            siblings.append((start + k, start + width))
            width = k
        else:
            siblings.append((start, start + k))
            start, width, boundary, whole = start + k, width - k, boundary - k, False
    # SUBPROOF(m, D[m], false) = {MTH(D[m])}: the old tree's last subtree, unless it is the
    # whole old tree (the verifier already holds that root).
    own = [] if whole else [(start, start + width)]
    return own + siblings[::-1]


def inclusion_proof(index: int, size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """The audit path for leaf `index` in the tree of the first `size` leaf hashes."""
    ranges = inclusion_ranges(index, size)
    return _hash_ranges(ranges, _prefix(leaf_hashes, size))


def consistency_proof(old_size: int, new_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """The proof that the tree of `new_size` leaf hashes extends the tree of `old_size`."""
    ranges = consistency_ranges(old_size, new_size)
    return _hash_ranges(ranges, _prefix(leaf_hashes, new_size))


def _hash_ranges(ranges: list[Range], leaf_hashes: Sequence[bytes]) -> list[bytes]:
    return [unchecked_root(leaf_hashes[start:end]) for start, end in ranges]


def _prefix(leaf_hashes: Sequence[bytes], size: int) -> Sequence[bytes]:
    if size > len(leaf_hashes):
        raise MalformedError(f"tree size: expected <= {len(leaf_hashes)} leaves, found {size}")
    prefix = leaf_hashes[:size]
    for position, value in enumerate(prefix):
        require_hash(value, f"leaf hash {position}")
    return prefix


def require_size(value: int, what: str) -> None:
    """Raise `MalformedError` unless `value` is an int >= 0 (a tree size or leaf index)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise MalformedError(f"{what}: expected an integer >= 0, found {value!r}")
