"""Signed notes against Go's note package tests, the C2SP example and sum.golang.org."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.ledger import (
    MAX_SIGNATURES,
    LedgerError,
    MalformedError,
    Note,
    NoteSignature,
    Signer,
    VerificationError,
    Verifier,
    generate_signer,
    open_note,
    sign_note,
)

from .vectors import load_vectors

NOTES = load_vectors("signed_notes.json")["vectors"]
PETER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)


def make_signer(name: str = "example.com/log", fill: int = 7) -> Signer:
    return Signer(name, bytes([fill]) * 32)


def _note_bytes(vector: dict[str, Any]) -> bytes:
    return bytes.fromhex(vector["note_hex"])


@pytest.mark.parametrize("vector", NOTES, ids=[v["id"] for v in NOTES])
def test_note_vector(vector: dict[str, Any]) -> None:
    verifiers = [Verifier.from_vkey(vkey) for vkey in vector["verifier_keys"]]
    if vector["expect"] == "reject":
        with pytest.raises(LedgerError, match="expected"):
            open_note(_note_bytes(vector), verifiers)
        return
    note = open_note(_note_bytes(vector), verifiers)
    assert note.text == vector["expected_text"]
    verified = [f"{s.name}+{s.key_id:08x}" for s in note.signatures]
    assert verified == vector["expected_verified"]


@pytest.mark.parametrize(
    "vector", [v for v in NOTES if v.get("signer_keys")], ids=lambda v: v["id"]
)
def test_signing_reproduces_go_byte_for_byte(vector: dict[str, Any]) -> None:
    signers = [Signer.from_private_key(key) for key in vector["signer_keys"]]
    assert sign_note(vector["expected_text"], signers) == _note_bytes(vector)


def test_unknown_keys_are_ignored_but_kept_aside() -> None:
    vector = next(v for v in NOTES if v["id"] == "go-note/peter-valid-enoch-unknown")
    note = open_note(_note_bytes(vector), [Verifier.from_vkey(PETER_VKEY)])
    assert [s.name for s in note.signatures] == ["PeterNeumann"]
    assert [(s.name, s.key_id) for s in note.unverified_signatures] == [("EnochRoot", 0xAF0CFE78)]


def test_a_bad_signature_by_a_known_key_names_the_key() -> None:
    vector = next(v for v in NOTES if v["id"] == "go-note/invalid-signature")
    with pytest.raises(
        VerificationError, match=r"by PeterNeumann\+c74f20a3: expected 64 Ed25519 bytes, found 67"
    ):
        open_note(_note_bytes(vector), [Verifier.from_vkey(PETER_VKEY)])


def test_no_known_signer_names_expected_and_found_keys() -> None:
    signer = make_signer()
    note = sign_note("hello\n", [signer])
    with pytest.raises(
        VerificationError, match=r"expected a signature by PeterNeumann\+c74f20a3, "
    ):
        open_note(note, [Verifier.from_vkey(PETER_VKEY)])
    with pytest.raises(
        VerificationError, match=f"found signatures by example.com/log\\+{signer.key_id:08x}"
    ):
        open_note(note, [])


@settings(deadline=None)
@given(
    text=st.lists(
        st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30),
        min_size=1,
        max_size=5,
    ),
    names=st.lists(
        st.sampled_from(["a.example/log", "witness.example/1", "ü/κ"]), min_size=1, unique=True
    ),
)
def test_sign_then_open_round_trips(text: list[str], names: list[str]) -> None:
    body = "".join(line + "\n" for line in text)
    signers = [make_signer(name, fill) for fill, name in enumerate(names)]
    note = open_note(sign_note(body, signers), [s.verifier() for s in signers])
    assert note.text == body
    assert [(s.name, s.key_id) for s in note.signatures] == [(s.name, s.key_id) for s in signers]


def test_a_text_with_blank_lines_splits_at_the_last_one() -> None:
    signer = make_signer()
    body = "first\n\nsecond after a blank line\n\n"
    assert open_note(sign_note(body, [signer]), [signer.verifier()]).text == body


def test_tampering_with_the_text_fails() -> None:
    signer = make_signer()
    note = sign_note("size 1\n", [signer])
    with pytest.raises(VerificationError, match="expected a valid ED25519 signature"):
        open_note(note.replace(b"size 1", b"size 2"), [signer.verifier()])


def test_repeated_signature_lines_are_deduplicated() -> None:
    signer = make_signer()
    note = sign_note("text\n", [signer])
    line = note.split(b"\n\n", 1)[1]
    opened = open_note(note + line, [signer.verifier()])
    assert len(opened.signatures) == 1


def test_a_bad_repeat_of_a_good_signature_still_rejects() -> None:
    """Stricter than Go, which ignores repeats unchecked: every line by a known key must verify."""
    signer, other = make_signer(), make_signer(fill=9)
    note = sign_note("text\n", [signer])
    forged = NoteSignature(signer.name, signer.key_id, other.sign(b"text\n")).line().encode()
    with pytest.raises(VerificationError):
        open_note(note + forged, [signer.verifier()])


def _signature_lines(count: int) -> bytes:
    signer = make_signer()
    line = sign_note("t\n", [signer]).split(b"\n\n", 1)[1]
    return b"t\n\n" + line * count


def test_the_signature_limit() -> None:
    verifier = make_signer().verifier()
    assert open_note(_signature_lines(MAX_SIGNATURES), [verifier]).text == "t\n"
    with pytest.raises(
        MalformedError, match=f"expected at most {MAX_SIGNATURES} signatures, found 101"
    ):
        open_note(_signature_lines(MAX_SIGNATURES + 1), [verifier])


GOOD = sign_note("text\n", [make_signer()])
GOOD_LINE = GOOD.split(b"\n\n", 1)[1]


@pytest.mark.parametrize(
    ("note", "message"),
    [
        (b"text\n", "expected a blank line"),
        (b"text\n\n", "expected signature lines ending in a newline"),
        (GOOD[:-1], "expected signature lines ending in a newline"),
        (b"\xfftext\n\n" + GOOD_LINE, "expected UTF-8"),
        (b"te\rxt\n\n" + GOOD_LINE, "expected no control characters"),
        (b"te\txt\n\n" + GOOD_LINE, "expected no control characters"),
        (b"text\n\n- example.com/log AAAA\n", "expected a signature line"),
        (b"text\n\n" + GOOD_LINE + b"trailing junk\n", "expected a signature line"),
        (b"text\n\n\xe2\x80\x94 example.com/log\n", "expected a key ID and a signature, found 0"),
        (b"text\n\n\xe2\x80\x94 example.com/log AAAA\n", "expected a key ID and a signature"),
        (b"text\n\n\xe2\x80\x94 bad+name AAAAAAA=\n", "expected no spaces or '\\+'"),
        (b"text\n\n\xe2\x80\x94  AAAAAAA=\n", "expected no spaces"),
        (b"text\n\n\xe2\x80\x94 example.com/log AAAAAAA\n", "expected standard padded base64"),
    ],
)
def test_malformed_notes_are_refused(note: bytes, message: str) -> None:
    with pytest.raises(MalformedError, match=message):
        open_note(note, [make_signer().verifier()])


@pytest.mark.parametrize(
    ("text", "signers", "message"),
    [
        ("no final newline", [make_signer()], "expected a final newline"),
        ("control \x07\n", [make_signer()], "expected no control characters"),
        ("lone surrogate \ud800\n", [make_signer()], "expected valid Unicode"),
        ("text\n", [], "expected 1 to 100, found 0"),
    ],
)
def test_sign_refuses_what_open_would_refuse(
    text: str, signers: list[Signer], message: str
) -> None:
    with pytest.raises(MalformedError, match=message):
        sign_note(text, signers)


def test_verifiers_with_the_same_name_and_id_but_different_keys_are_refused() -> None:
    verifier = make_signer().verifier()
    impostor = Verifier.__new__(Verifier)
    object.__setattr__(impostor, "name", verifier.name)
    object.__setattr__(impostor, "key_type", verifier.key_type)
    object.__setattr__(impostor, "public_key", make_signer(fill=1).verifier().public_key)
    object.__setattr__(impostor, "key_id", verifier.key_id)  # a forced key-ID collision
    with pytest.raises(LedgerError, match="expected one key per name and ID"):
        open_note(GOOD, [verifier, impostor])


def test_generated_keys_sign_and_verify() -> None:
    private, vkey = generate_signer("example.com/moderation-log", seed=bytes(range(32)))
    assert private.startswith("PRIVATE+KEY+example.com/moderation-log+")
    signer = Signer.from_private_key(private)
    note = open_note(sign_note("hi\n", [signer]), [Verifier.from_vkey(vkey)])
    assert note == Note("hi\n", (note.signatures[0],))
    fresh_private, fresh_vkey = generate_signer("example.com/moderation-log")
    assert fresh_vkey != vkey
    assert Signer.from_private_key(fresh_private).verifier().vkey() == fresh_vkey


def test_go_text_signs_identically_with_our_key() -> None:
    signer = Signer.from_private_key(PETER)
    assert signer.verifier().vkey() == PETER_VKEY
    assert signer.private_key() == PETER
    assert sign_note(TEXT, [signer]) == bytes.fromhex(NOTES[0]["note_hex"])
