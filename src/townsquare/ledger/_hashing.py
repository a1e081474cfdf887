"""RFC 9162 §2.1.1 Merkle tree hashing (identical to RFC 6962 §2.1), with SHA-256.

Leaves and interior nodes are hashed with different one-byte prefixes (0x00, 0x01) so that an
interior node can never be passed off as a leaf (second-preimage resistance).
"""

import hashlib
from collections.abc import Sequence

from townsquare.ledger._errors import MalformedError

__all__ = ["EMPTY_ROOT", "HASH_SIZE", "leaf_hash", "node_hash", "require_hash", "root_hash"]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}), the root of the empty tree


def leaf_hash(entry: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d): the hash of one log entry."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an interior node."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def require_hash(value: bytes, what: str) -> None:
    """Raise `MalformedError` unless `value` is a 32-byte SHA-256 hash."""
    if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
        found = f"{len(value)} bytes" if isinstance(value, bytes | bytearray) else type(value)
        raise MalformedError(f"{what}: expected a {HASH_SIZE}-byte hash, found {found}")


def root_hash(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of the given leaf hashes; the empty tree's root is SHA-256("").

    Hashes level by level, promoting a lone last node unchanged: this builds exactly the
    RFC's left-full tree (split at the largest power of two below n) in n - 1 node hashes,
    without recursion.
    """
    for position, value in enumerate(leaf_hashes):
        require_hash(value, f"leaf hash {position}")
    return unchecked_root(leaf_hashes)


def unchecked_root(leaf_hashes: Sequence[bytes]) -> bytes:
    """`root_hash` for hashes already known to be 32 bytes long (the hot path)."""
    level = list(leaf_hashes)
    if not level:
        return EMPTY_ROOT
    while len(level) > 1:
        paired = list(map(node_hash, level[0::2], level[1::2]))
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]
