"""Entry bundles (c2sp.org/tlog-tiles): the entries behind one level-0 tile.

A bundle is the concatenation of `uint16 big-endian length || entry` for each entry, so an
entry is at most 65,535 bytes; the entries hash (RFC 6962 leaf hash) to the tile's hashes.
"""

from collections.abc import Sequence

from townsquare.ledger._errors import MalformedError, VerificationError
from townsquare.ledger._hashing import leaf_hash
from townsquare.ledger._tiles import decode_tile

__all__ = ["MAX_ENTRY_SIZE", "decode_bundle", "encode_bundle", "open_bundle"]

MAX_ENTRY_SIZE = 0xFFFF
_LENGTH_SIZE = 2


def encode_bundle(entries: Sequence[bytes]) -> bytes:
    """The bundle holding `entries`, in order."""
    parts = []
    for position, entry in enumerate(entries):
        if len(entry) > MAX_ENTRY_SIZE:
            raise MalformedError(
                f"entry {position}: expected at most {MAX_ENTRY_SIZE} bytes, found {len(entry)}"
            )
        parts.append(len(entry).to_bytes(_LENGTH_SIZE, "big") + entry)
    return b"".join(parts)


def decode_bundle(data: bytes) -> list[bytes]:
    """The entries of a bundle; a truncated length or entry raises `MalformedError`."""
    entries: list[bytes] = []
    offset = 0
    while offset < len(data):
        if offset + _LENGTH_SIZE > len(data):
            raise MalformedError(
                f"entry bundle: expected a 2-byte length at byte {offset}, found 1 byte"
            )
        length = int.from_bytes(data[offset : offset + _LENGTH_SIZE], "big")
        start, offset = offset + _LENGTH_SIZE, offset + _LENGTH_SIZE + length
        if offset > len(data):
            raise MalformedError(
                f"entry bundle: expected {length} bytes of entry {len(entries)} at byte {start}, "
                f"found {len(data) - start}"
            )
        entries.append(data[start:offset])
    return entries


def open_bundle(bundle: bytes, tile: bytes) -> list[bytes]:
    """The entries of `bundle`, once shown to hash to the level-0 `tile`'s leaf hashes.

    (1) Decode the bundle and the tile.
    (2) Require one entry per tile hash.
    (3) Require each entry's leaf hash to equal the tile's hash at its position.
    """
    # (1)
    entries, hashes = decode_bundle(bundle), decode_tile(tile)
    # (2)
    if len(entries) != len(hashes):
        raise VerificationError(
            f"entry bundle: expected {len(hashes)} entries (one per tile hash), "
            f"found {len(entries)}"
        )
    # (3)
    for position, (entry, expected) in enumerate(zip(entries, hashes, strict=True)):
        if leaf_hash(entry) != expected:
            raise VerificationError(
                f"entry {position} of the bundle: expected leaf hash {expected.hex()} "
                f"(from the tile), found {leaf_hash(entry).hex()}"
            )
    return entries
