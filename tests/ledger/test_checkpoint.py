"""Checkpoints: Tessera's, the C2SP example, sum.golang.org, and strict parsing."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.ledger import (
    EMPTY_ROOT,
    Checkpoint,
    CosignatureSigner,
    MalformedError,
    Signer,
    VerificationError,
    Verifier,
    leaf_hash,
    open_checkpoint,
    open_note,
    parse_checkpoint,
    root_hash,
    sign_note,
)

from .vectors import load_vectors

CHECKPOINTS = load_vectors("checkpoints.json")
TESSERA_LEAVES = [bytes.fromhex(x) for x in load_vectors("tlog_tiles_tessera_posix.json")["leaves"]]
LOG = Signer("example.com/moderation-log", bytes([1]) * 32)
WITNESSES = [CosignatureSigner(f"witness{i}.example", bytes([10 + i]) * 32) for i in range(3)]


def _expected(vector: dict[str, Any]) -> Checkpoint:
    e = vector["expected"]
    return Checkpoint(e["origin"], e["size"], bytes.fromhex(e["root"]), tuple(e["extensions"]))


@pytest.mark.parametrize("vector", CHECKPOINTS["signed"], ids=lambda v: v["id"])
def test_signed_checkpoint_vector(vector: dict[str, Any]) -> None:
    note = vector["note"].encode()
    if vector["expect"] == "parse_only":
        text = note.decode().rsplit("\n\n", 1)[0] + "\n"
        assert parse_checkpoint(text) == _expected(vector)
        return
    opened = open_note(note, [Verifier.from_vkey(vkey) for vkey in vector["verifier_keys"]])
    checkpoint = parse_checkpoint(opened.text)
    assert checkpoint == _expected(vector)
    assert checkpoint.format() == opened.text
    signers = [Signer.from_private_key(key) for key in vector.get("signer_keys", [])]
    if signers:  # Ed25519 is deterministic: we must reproduce Tessera's signed bytes exactly
        assert sign_note(checkpoint.format(), signers) == note


@pytest.mark.parametrize(
    "vector", [v for v in CHECKPOINTS["signed"] if "leaves_ref" in v], ids=lambda v: v["id"]
)
def test_tessera_checkpoint_roots_are_the_roots_of_its_entries(vector: dict[str, Any]) -> None:
    size = vector["expected"]["size"]
    assert (
        root_hash([leaf_hash(entry) for entry in TESSERA_LEAVES[:size]]).hex()
        == vector["expected"]["root"]
    )


@pytest.mark.parametrize("vector", CHECKPOINTS["body_only"], ids=lambda v: v["id"])
def test_checkpoint_body_vector(vector: dict[str, Any]) -> None:
    if vector["expect"] == "parse_error":
        with pytest.raises(MalformedError, match="expected"):
            parse_checkpoint(vector["body"])
    else:
        checkpoint = parse_checkpoint(vector["body"])
        assert checkpoint == _expected(vector)
        assert checkpoint.format() == vector["body"]


line_text = st.text(
    st.characters(min_codepoint=0x20, exclude_categories=["Cs"]), min_size=1, max_size=20
)


@settings(deadline=None)
@given(
    origin=line_text,
    size=st.integers(0, 2**63 - 1),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(line_text, max_size=3).map(tuple),
)
def test_format_then_parse_round_trips(
    origin: str, size: int, root: bytes, extensions: tuple[str, ...]
) -> None:
    checkpoint = Checkpoint(origin, size, root, extensions)
    assert parse_checkpoint(checkpoint.format()) == checkpoint


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (("", 1, EMPTY_ROOT), "origin: expected a non-empty line"),
        (("a\nb", 1, EMPTY_ROOT), "origin: expected a non-empty line without control"),
        (("log", -1, EMPTY_ROOT), "size: expected 0 to 2\\^63-1, found -1"),
        (("log", 2**63, EMPTY_ROOT), "size: expected 0 to 2\\^63-1"),
        (("log", 1, b"x" * 31), "expected a 32-byte hash, found 31 bytes"),
        (("log", 1, EMPTY_ROOT, ("",)), "extension line: expected a non-empty line"),
    ],
)
def test_invalid_checkpoints_cannot_be_built(fields: tuple[Any, ...], message: str) -> None:
    with pytest.raises(MalformedError, match=message):
        Checkpoint(*fields)


def test_a_size_beyond_int64_does_not_parse() -> None:
    with pytest.raises(MalformedError, match="expected at most 9223372036854775807"):
        parse_checkpoint(
            f"log\n{2**63}\n{Checkpoint('log', 0, EMPTY_ROOT).format().split(chr(10))[2]}\n"
        )


# --- open_checkpoint: log signature, origin, witness quorum ---

CHECKPOINT = Checkpoint(
    "example.com/moderation-log", 5, root_hash([leaf_hash(b"%d" % i) for i in range(5)])
)


def _signed(*signers: Any) -> bytes:
    return sign_note(CHECKPOINT.format(), list(signers))


def test_open_checkpoint_with_a_quorum_of_witnesses() -> None:
    note = _signed(LOG, WITNESSES[0].at(1_700_000_000), WITNESSES[1].at(1_700_000_001))
    verifiers = [w.verifier() for w in WITNESSES]
    assert (
        open_checkpoint(note, CHECKPOINT.origin, LOG.verifier(), verifiers, quorum=2) == CHECKPOINT
    )


def test_open_checkpoint_refuses_a_missing_quorum() -> None:
    note = _signed(LOG, WITNESSES[0].at(1_700_000_000))
    verifiers = [w.verifier() for w in WITNESSES]
    with pytest.raises(
        VerificationError, match="expected cosignatures by at least 2 witnesses, found 1"
    ):
        open_checkpoint(note, CHECKPOINT.origin, LOG.verifier(), verifiers, quorum=2)


def test_open_checkpoint_refuses_witness_cosignatures_without_the_log() -> None:
    note = _signed(WITNESSES[0].at(1_700_000_000))
    with pytest.raises(VerificationError, match="expected a signature by the log key"):
        open_checkpoint(note, CHECKPOINT.origin, LOG.verifier(), [WITNESSES[0].verifier()])


def test_open_checkpoint_refuses_another_origin() -> None:
    with pytest.raises(VerificationError, match=r"origin: expected 'other\.example/log', found"):
        open_checkpoint(_signed(LOG), "other.example/log", LOG.verifier())


def test_open_checkpoint_refuses_a_note_that_is_not_a_checkpoint() -> None:
    with pytest.raises(MalformedError, match="expected at least 3 lines"):
        open_checkpoint(sign_note("hello\n", [LOG]), "hello", LOG.verifier())
