"""Witness cosignatures (cosignature/v1, type 0x04): Sunlight's real ones and our own."""

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from townsquare.ledger import (
    Checkpoint,
    CosignatureSigner,
    LedgerError,
    MalformedError,
    SignatureType,
    VerificationError,
    Verifier,
    cosignature_timestamp,
    open_note,
    parse_checkpoint,
    sign_note,
)

from .vectors import load_vectors

COSIGNATURES = load_vectors("cosignatures.json")
REKOR = load_vectors("rekor_v2_real.json")["vectors"]
WITNESS = CosignatureSigner("witness.example", bytes([3]) * 32)
TEXT = Checkpoint("example.com/log", 7, bytes(32), ("ext line",)).format()


@pytest.mark.parametrize("vector", COSIGNATURES["cosignatures"], ids=lambda v: v["id"])
def test_cosignature_vector(vector: dict[str, Any]) -> None:
    verifier = Verifier.from_vkey(vector["cosigner_vkey"])
    assert verifier.key_type is SignatureType.COSIGNATURE_V1
    if vector["expect"] == "reject":
        with pytest.raises(VerificationError, match="expected"):
            open_note(vector["note"].encode(), [verifier])
        return
    note = open_note(vector["note"].encode(), [verifier])
    parse_checkpoint(note.text)
    (signature,) = note.signatures
    assert (signature.name, signature.key_id) == (verifier.name, verifier.key_id)
    assert cosignature_timestamp(signature.signature) == vector["expected_timestamp"]


def test_the_log_rfc6962_signature_beside_a_cosignature_is_ignored_as_unknown() -> None:
    vector = COSIGNATURES["cosignatures"][0]
    note = open_note(vector["note"].encode(), [Verifier.from_vkey(vector["cosigner_vkey"])])
    assert [s.name for s in note.unverified_signatures] == ["rome2026h1.example.org"]


def test_real_rekor_witness_cosignatures_are_kept_unverified_with_their_timestamps() -> None:
    vector = REKOR[1]
    note = open_note(vector["checkpoint"].encode(), [Verifier.from_vkey(vector["verifier_key"])])
    witnesses = note.unverified_signatures
    assert len(witnesses) == 3
    assert {cosignature_timestamp(w.signature) for w in witnesses} == {1778700214}


def test_cosign_then_verify_round_trips_with_the_stated_time() -> None:
    note = open_note(sign_note(TEXT, [WITNESS.at(1_767_139_200)]), [WITNESS.verifier()])
    assert cosignature_timestamp(note.signatures[0].signature) == 1_767_139_200


def test_the_timestamp_is_signed() -> None:
    signature = WITNESS.sign(TEXT.encode(), 1_767_139_200)
    WITNESS.verifier().verify(TEXT.encode(), signature)
    later = (1_767_139_201).to_bytes(8, "big") + signature[8:]
    with pytest.raises(VerificationError, match="expected a valid COSIGNATURE_V1 signature"):
        WITNESS.verifier().verify(TEXT.encode(), later)


def test_the_signed_message_is_the_c2sp_one() -> None:
    """cosignature/v1\\ntime <T>\\n<whole checkpoint text, extension lines included>."""
    signature = WITNESS.sign(TEXT.encode(), 42)
    message = b"cosignature/v1\ntime 42\n" + TEXT.encode()
    Ed25519PublicKey.from_public_bytes(WITNESS.verifier().public_key).verify(signature[8:], message)


def test_a_timestamp_of_2_to_the_63_is_refused() -> None:
    with pytest.raises(MalformedError, match="expected 0 <= t < 2\\^63"):
        WITNESS.sign(TEXT.encode(), 2**63)
    too_late = (2**63).to_bytes(8, "big") + bytes(64)
    with pytest.raises(VerificationError, match="expected a timestamp < 2\\^63"):
        WITNESS.verifier().verify(TEXT.encode(), too_late)


def test_a_cosignature_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(VerificationError, match="expected 72 bytes, found 64"):
        WITNESS.verifier().verify(TEXT.encode(), bytes(64))
    with pytest.raises(MalformedError):
        cosignature_timestamp(bytes(10))


def test_an_ed25519_note_key_does_not_verify_a_cosignature() -> None:
    note = sign_note(TEXT, [WITNESS.at(5)])
    plain = Verifier(WITNESS.name, SignatureType.ED25519, WITNESS.verifier().public_key)
    with pytest.raises(LedgerError):  # different key ID: the line is unknown, nothing verifies
        open_note(note, [plain])
