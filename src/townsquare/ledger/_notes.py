"""Signed notes (c2sp.org/signed-note@v1, Go's golang.org/x/mod/sumdb/note).

    <text, one or more lines each ending in \\n>
    \\n
    — <key name> base64(uint32 key ID || signature)\\n      (one or more)

The text includes its final newline and is exactly what gets signed; the last blank line of
the note separates it from the signatures.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from townsquare.ledger._codec import decode_base64, encode_base64
from townsquare.ledger._errors import LedgerError, MalformedError, VerificationError
from townsquare.ledger._keys import NoteSigner, Verifier, check_key_name

__all__ = ["MAX_SIGNATURES", "Note", "NoteSignature", "open_note", "sign_note"]

# Go's note.Open refuses more; the spec asks verifiers to accept at least 16.
MAX_SIGNATURES = 100
_SIGNATURE_PREFIX = "— "  # U+2014 EM DASH, then a space


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: the signer's key name and ID, and the signature after the ID."""

    name: str
    key_id: int
    signature: bytes

    def line(self) -> str:
        """The signature line as it appears in a note, newline included."""
        encoded = encode_base64(self.key_id.to_bytes(4, "big") + self.signature)
        return f"{_SIGNATURE_PREFIX}{self.name} {encoded}\n"


@dataclass(frozen=True)
class Note:
    """An opened note.

    `signatures` holds the verified signatures, one per known key, in note order.
    `unverified_signatures` holds the lines by keys the caller did not pass (Go's
    `UnverifiedSigs`): they were not checked and prove nothing, but a witness or mirror may
    want to pass them on.
    """

    text: str
    signatures: tuple[NoteSignature, ...]
    unverified_signatures: tuple[NoteSignature, ...] = ()


def sign_note(text: str, signers: Iterable[NoteSigner]) -> bytes:
    """The signed note: `text` (which must end in a newline), a blank line, one line per signer."""
    _check_note_characters(text, "note text")
    if not text.endswith("\n"):
        raise MalformedError("note text: expected a final newline, found none")
    signers = list(signers)
    if not 1 <= len(signers) <= MAX_SIGNATURES:
        raise MalformedError(f"signers: expected 1 to {MAX_SIGNATURES}, found {len(signers)}")
    for signer in signers:
        check_key_name(signer.name)
    message = text.encode()
    lines = [NoteSignature(s.name, s.key_id, s.sign(message)).line() for s in signers]
    return (text + "\n" + "".join(lines)).encode()


def open_note(note: bytes, verifiers: Iterable[Verifier]) -> Note:
    """Parse `note` and verify its signatures by the known `verifiers`.

    (1) Decode the note: valid UTF-8 with no control character but newline.
    (2) Split the text from the signature block at the last blank line.
    (3) Parse every signature line (at most MAX_SIGNATURES).
    (4) Verify every signature whose (name, key ID) is known, rejecting the note if one fails;
        set aside the others, unverified.
    (5) Require at least one verified signature.
    """
    # (1)
    decoded = _decode_note(note)
    # (2)
    text, block = _split_note(decoded)
    # (3)
    signatures = _parse_signature_block(block)
    # (4)
    known = _index_verifiers(verifiers)
    verified, unverified = _verify_signatures(text.encode(), signatures, known)
    # (5)
    if not verified:
        raise VerificationError(
            f"note: expected a signature by {_key_list(known) or 'a known key'}, "
            f"found signatures by {_key_list((s.name, s.key_id) for s in signatures)} only"
        )
    return Note(text, verified, unverified)


def _key_list(keys: Iterable[tuple[str, int]]) -> str:
    return ", ".join(sorted({f"{name}+{key_id:08x}" for name, key_id in keys}))


def _decode_note(note: bytes) -> str:
    try:
        decoded = note.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedError(
            f"note: expected UTF-8, found {error.reason} at byte {error.start}"
        ) from None
    _check_note_characters(decoded, "note")
    return decoded


def _check_note_characters(text: str, what: str) -> None:
    for position, character in enumerate(text):
        if character < " " and character != "\n":
            raise MalformedError(
                f"{what}: expected no control characters but newline, "
                f"found {character!r} at {position}"
            )
    try:
        text.encode()
    except UnicodeEncodeError as error:
        raise MalformedError(f"{what}: expected valid Unicode, found {error.reason}") from None


def _split_note(note: str) -> tuple[str, str]:
    split = note.rfind("\n\n")
    if split < 0:
        raise MalformedError("note: expected a blank line before the signatures, found none")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n"):
        raise MalformedError("note: expected signature lines ending in a newline, found none")
    return text, block


def _parse_signature_block(block: str) -> list[NoteSignature]:
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedError(
            f"note: expected at most {MAX_SIGNATURES} signatures, found {len(lines)}"
        )
    return [_parse_signature_line(line) for line in lines]


def _parse_signature_line(line: str) -> NoteSignature:
    if not line.startswith(_SIGNATURE_PREFIX):
        raise MalformedError(f"note: expected a signature line '— <name> <base64>', found {line!r}")
    name, _, encoded = line[len(_SIGNATURE_PREFIX) :].partition(" ")
    check_key_name(name)
    signature = decode_base64(encoded, f"signature by {name}")
    if len(signature) < 5:
        raise MalformedError(
            f"signature by {name}: expected a key ID and a signature, found {len(signature)} bytes"
        )
    return NoteSignature(name, int.from_bytes(signature[:4], "big"), signature[4:])


def _index_verifiers(verifiers: Iterable[Verifier]) -> dict[tuple[str, int], Verifier]:
    known: dict[tuple[str, int], Verifier] = {}
    for verifier in verifiers:
        key = (verifier.name, verifier.key_id)
        if known.setdefault(key, verifier) != verifier:
            raise LedgerError(f"verifiers: expected one key per name and ID, found two for {key}")
    return known


def _verify_signatures(
    text: bytes, signatures: list[NoteSignature], known: dict[tuple[str, int], Verifier]
) -> tuple[tuple[NoteSignature, ...], tuple[NoteSignature, ...]]:
    """Check every known key's lines (even repeats); keep the first line per key."""
    verified: dict[tuple[str, int], NoteSignature] = {}
    unverified: dict[NoteSignature, None] = {}
    for signature in signatures:
        key = (signature.name, signature.key_id)
        if key not in known:
            unverified.setdefault(signature)
            continue
        known[key].verify(text, signature.signature)
        verified.setdefault(key, signature)
    return tuple(verified.values()), tuple(unverified)
