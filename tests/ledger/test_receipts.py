"""Receipts (c2sp.org/tlog-proof@v1): offline proofs that an entry was logged."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.ledger import (
    RECEIPT_HEADER,
    Checkpoint,
    CosignatureSigner,
    LedgerError,
    MalformedError,
    Receipt,
    Signer,
    VerificationError,
    inclusion_proof,
    leaf_hash,
    parse_receipt,
    root_hash,
    sign_note,
    verify_receipt,
)

ORIGIN = "example.com/moderation-log"
LOG = Signer(ORIGIN, bytes([1]) * 32)
WITNESS = CosignatureSigner("witness.example", bytes([2]) * 32)
ENTRIES = [b"action %d: removed post under rule 4.2 v3" % i for i in range(11)]
HASHES = [leaf_hash(entry) for entry in ENTRIES]
CHECKPOINT = sign_note(
    Checkpoint(ORIGIN, 11, root_hash(HASHES)).format(), [LOG, WITNESS.at(1_767_139_200)]
)


def make_receipt(index: int = 7, extra: bytes | None = None) -> Receipt:
    return Receipt(index, tuple(inclusion_proof(index, 11, HASHES)), CHECKPOINT, extra)


def test_a_receipt_verifies_offline() -> None:
    receipt = parse_receipt(make_receipt().format())
    checkpoint = verify_receipt(
        receipt, ENTRIES[7], ORIGIN, LOG.verifier(), [WITNESS.verifier()], quorum=1
    )
    assert checkpoint.size == 11


def test_the_format_follows_the_spec_example_layout() -> None:
    text = make_receipt(extra=b"context").format()
    head, checkpoint = text.split(b"\n\n", 1)
    lines = head.decode().split("\n")
    assert lines[:3] == [RECEIPT_HEADER, "extra Y29udGV4dA==", "index 7"]
    assert len(lines) == 3 + 4
    assert checkpoint == CHECKPOINT


@settings(deadline=None)
@given(st.integers(0, 10), st.none() | st.binary(max_size=40))
def test_format_then_parse_round_trips(index: int, extra: bytes | None) -> None:
    receipt = make_receipt(index, extra)
    assert parse_receipt(receipt.format()) == receipt


def test_a_receipt_for_a_single_entry_tree_has_no_proof_lines() -> None:
    note = sign_note(Checkpoint(ORIGIN, 1, HASHES[0]).format(), [LOG])
    receipt = Receipt(0, (), note)
    assert receipt.format().startswith(b"c2sp.org/tlog-proof@v1\nindex 0\n\n")
    verify_receipt(parse_receipt(receipt.format()), ENTRIES[0], ORIGIN, LOG.verifier())


def test_another_entry_does_not_verify() -> None:
    with pytest.raises(
        VerificationError, match="inclusion of leaf 7 in a tree of 11: expected root"
    ):
        verify_receipt(make_receipt(), ENTRIES[6], ORIGIN, LOG.verifier())


def test_a_missing_witness_quorum_fails() -> None:
    with pytest.raises(VerificationError, match="at least 2 witnesses, found 1"):
        verify_receipt(
            make_receipt(), ENTRIES[7], ORIGIN, LOG.verifier(), [WITNESS.verifier()], quorum=2
        )


def test_an_unsigned_checkpoint_fails() -> None:
    other = Signer(ORIGIN, bytes([9]) * 32)
    with pytest.raises(LedgerError, match="expected a signature by"):
        verify_receipt(make_receipt(), ENTRIES[7], ORIGIN, other.verifier())


GOOD = make_receipt().format()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (GOOD.replace(b"\n\n", b"\n"), "expected a blank line"),
        (GOOD.replace(b"@v1", b"@v2", 1), "expected the line 'c2sp.org/tlog-proof@v1'"),
        (GOOD.replace(b"index 7", b"index 07"), "without leading zeros"),
        (GOOD.replace(b"index 7", b"idx 7"), "expected an 'index <n>' line"),
        (GOOD.replace(b"index 7\n", b""), "expected an 'index <n>' line"),
        (b"c2sp.org/tlog-proof@v1\n\n", "expected an 'index <n>' line"),
        (GOOD.replace(b"index 7\n", b"index 7\nnot-base64\n"), "standard padded base64"),
        (GOOD.replace(b"index 7\n", b"index 7\nAAAA\n"), "expected a 32-byte hash, found 3 bytes"),
        (GOOD.replace(b"index 7\n", b"extra !!\nindex 7\n"), "extra data: expected standard"),
        (b"c2sp.org/tlog-proof@v1\nindex 1\n\xff\n\n", "expected ASCII"),
    ],
)
def test_malformed_receipts_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(MalformedError, match=message):
        parse_receipt(data)
