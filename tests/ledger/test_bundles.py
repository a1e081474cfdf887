"""Entry bundles: u16 length-prefixed entries behind each level-0 tile."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.ledger import (
    MAX_ENTRY_SIZE,
    MalformedError,
    VerificationError,
    decode_bundle,
    encode_bundle,
    leaf_hash,
    open_bundle,
)


@settings(deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=256))
def test_encode_then_decode_round_trips(entries: list[bytes]) -> None:
    assert decode_bundle(encode_bundle(entries)) == entries


def test_the_encoding_is_a_big_endian_length_then_the_bytes() -> None:
    assert encode_bundle([b"one", b""]) == b"\x00\x03one\x00\x00"


def test_the_largest_entry_fits_and_one_more_byte_does_not() -> None:
    assert decode_bundle(encode_bundle([bytes(MAX_ENTRY_SIZE)])) == [bytes(MAX_ENTRY_SIZE)]
    with pytest.raises(MalformedError, match="entry 1: expected at most 65535 bytes, found 65536"):
        encode_bundle([b"", bytes(MAX_ENTRY_SIZE + 1)])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00", "expected a 2-byte length at byte 0, found 1 byte"),
        (b"\x00\x03on", "expected 3 bytes of entry 0 at byte 2, found 2"),
        (b"\x00\x01a\x00\x05abc", "expected 5 bytes of entry 1 at byte 5, found 3"),
    ],
)
def test_truncated_bundles_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(MalformedError, match=message):
        decode_bundle(data)


def test_open_bundle_checks_entries_against_the_tile() -> None:
    entries = [b"a", b"b", b"c"]
    tile = b"".join(leaf_hash(e) for e in entries)
    assert open_bundle(encode_bundle(entries), tile) == entries
    with pytest.raises(VerificationError, match="entry 1 of the bundle: expected leaf hash"):
        open_bundle(encode_bundle([b"a", b"x", b"c"]), tile)
    with pytest.raises(VerificationError, match=r"expected 3 entries .*, found 2"):
        open_bundle(encode_bundle(entries[:2]), tile)
