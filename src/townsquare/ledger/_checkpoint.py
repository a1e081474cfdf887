"""Checkpoints (c2sp.org/tlog-checkpoint@v1): the signed tree head, as note text.

    <origin>\\n          the log's identity, e.g. example.com/moderation-log
    <tree size>\\n       ASCII decimal, no leading zeros
    <base64 root>\\n     RFC 6962 MTH at that size, 32 bytes
    [<extension>\\n]*    optional, non-empty, opaque

The log signs this text as a note (`sign_note`); its key name SHOULD equal the origin.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from townsquare.ledger._codec import MAX_INT64, decode_base64, encode_base64, parse_decimal
from townsquare.ledger._errors import MalformedError, VerificationError
from townsquare.ledger._hashing import require_hash
from townsquare.ledger._keys import Verifier
from townsquare.ledger._notes import open_note

__all__ = ["Checkpoint", "open_checkpoint", "parse_checkpoint"]


@dataclass(frozen=True)
class Checkpoint:
    """A log's commitment to its tree of `size` entries with root `root_hash`."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_line(self.origin, "checkpoint origin")
        if not isinstance(self.size, int) or not 0 <= self.size <= MAX_INT64:
            raise MalformedError(f"checkpoint size: expected 0 to 2^63-1, found {self.size!r}")
        require_hash(self.root_hash, "checkpoint root hash")
        for extension in self.extensions:
            _check_line(extension, "checkpoint extension line")

    def format(self) -> str:
        """The note text of this checkpoint, ending in a newline."""
        lines = [self.origin, str(self.size), encode_base64(self.root_hash), *self.extensions]
        return "".join(line + "\n" for line in lines)


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint's note text strictly; `parse_checkpoint(c.format()) == c`."""
    if not text.endswith("\n"):
        raise MalformedError("checkpoint: expected text ending in a newline, found none")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise MalformedError(f"checkpoint: expected at least 3 lines, found {len(lines)}")
    origin, size, root, *extensions = lines
    return Checkpoint(
        origin=origin,
        size=parse_decimal(size, "checkpoint size"),
        root_hash=_decode_root(root),
        extensions=tuple(extensions),
    )


def open_checkpoint(
    note: bytes,
    origin: str,
    log: Verifier,
    witnesses: Sequence[Verifier] = (),
    quorum: int = 0,
) -> Checkpoint:
    """The checkpoint in `note`, once signed by the log and cosigned by `quorum` witnesses.

    (1) Open the note with the log's and the witnesses' keys: a bad signature by any of them
        rejects the note.
    (2) Require the log's own signature (a witness cosignature alone is not enough).
    (3) Parse the note text as a checkpoint.
    (4) Require the expected origin, so a checkpoint of another log cannot pass for this one.
    (5) Require at least `quorum` distinct witness cosignatures.
    """
    # (1)
    opened = open_note(note, [log, *witnesses])
    signers = {(signature.name, signature.key_id) for signature in opened.signatures}
    # (2)
    if (log.name, log.key_id) not in signers:
        raise VerificationError(
            f"checkpoint: expected a signature by the log key {log.name}+{log.key_id:08x}, "
            "found only witness cosignatures"
        )
    # (3)
    checkpoint = parse_checkpoint(opened.text)
    # (4)
    if checkpoint.origin != origin:
        raise VerificationError(
            f"checkpoint origin: expected {origin!r}, found {checkpoint.origin!r}"
        )
    # (5)
    cosigned = sum((w.name, w.key_id) in signers for w in set(witnesses) if w != log)
    if cosigned < quorum:
        raise VerificationError(
            f"checkpoint: expected cosignatures by at least {quorum} witnesses, found {cosigned}"
        )
    return checkpoint


def _decode_root(line: str) -> bytes:
    root = decode_base64(line, "checkpoint root hash")
    require_hash(root, "checkpoint root hash")
    return root


def _check_line(line: str, what: str) -> None:
    if not isinstance(line, str) or not line or any(ch < " " for ch in line):
        raise MalformedError(
            f"{what}: expected a non-empty line without control characters, found {line!r}"
        )
