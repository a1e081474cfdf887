"""Key text formats: vkeys, Go private keys, key IDs."""

import pytest

from townsquare.ledger import (
    CosignatureSigner,
    MalformedError,
    SignatureType,
    Signer,
    Verifier,
    generate_signer,
    key_id,
)

from .vectors import load_vectors

SUM_GOLANG = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
TESSERA = load_vectors("tlog_tiles_tessera_posix.json")


def test_a_vkey_whose_base64_contains_plus_is_split_on_the_first_two_plus_only() -> None:
    verifier = Verifier.from_vkey(SUM_GOLANG)
    assert (verifier.name, verifier.key_id) == ("sum.golang.org", 0x033DE0AE)
    assert verifier.vkey() == SUM_GOLANG


def test_key_id_is_the_hash_of_name_type_and_key() -> None:
    verifier = Verifier.from_vkey(SUM_GOLANG)
    assert key_id("sum.golang.org", 0x01, verifier.public_key) == 0x033DE0AE


def test_tessera_signer_and_verifier_pair() -> None:
    signer = Signer.from_private_key(TESSERA["signer_key"])
    assert signer.verifier().vkey() == TESSERA["verifier_key"]
    assert signer.private_key() == TESSERA["signer_key"]


def test_the_same_seed_has_different_ids_as_signer_and_cosigner() -> None:
    seed = bytes(32)
    signer, cosigner = Signer("w.example", seed), CosignatureSigner("w.example", seed)
    assert signer.verifier().public_key == cosigner.verifier().public_key
    assert signer.key_id != cosigner.key_id
    assert cosigner.verifier().key_type is SignatureType.COSIGNATURE_V1


def test_generated_cosigner_keys_round_trip() -> None:
    private, vkey = generate_signer("w.example", bytes(32), SignatureType.COSIGNATURE_V1)
    assert CosignatureSigner.from_private_key(private).verifier() == Verifier.from_vkey(vkey)
    with pytest.raises(MalformedError, match="expected type 0x01, found 0x04"):
        Signer.from_private_key(private)


def test_key_repr_hides_the_seed() -> None:
    assert "seed" not in repr(Signer("w.example", bytes(32)))


@pytest.mark.parametrize(
    ("vkey", "message"),
    [
        (
            "sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
            "expected key ID 033de0ae",
        ),
        (
            "sum.golang.org+33de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
            "8-digit hex key ID",
        ),
        (
            "sum.golang.org+033de0ag+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
            "8-digit hex key ID",
        ),
        ("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn", "base64"),
        ("sum.golang.org+033de0ae+Bc4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8", "signature type"),
        ("sum.golang.org+033de0ae+AQ==", "expected 32 bytes, found 0"),
        ("sum.golang.org+033de0ae+", "signature type 0x01 or 0x04, found no key"),
        ("sum.golang.org", "expected"),
        ("+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8", "key name"),
        ("sum golang+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8", "key name"),
    ],
)
def test_malformed_vkeys_are_refused(vkey: str, message: str) -> None:
    with pytest.raises(MalformedError, match=message):
        Verifier.from_vkey(vkey)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            "expected key ID c74f20a3",
        ),
        (
            "PUBLIC+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            "PRIVATE\\+KEY",
        ),
        (
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKA==",
            "32-byte seed",
        ),
    ],
)
def test_malformed_private_keys_are_refused(text: str, message: str) -> None:
    with pytest.raises(MalformedError, match=message):
        Signer.from_private_key(text)
