"""Receipts: offline proofs that an entry is in the log (c2sp.org/tlog-proof@v1).

    c2sp.org/tlog-proof@v1
    [extra <base64>]                 optional, opaque, NOT authenticated
    index <n>
    <base64 hash>                    zero or more: the inclusion proof, leaf sibling first
    (blank line)
    <signed checkpoint, verbatim, with its cosignatures>

A receipt lets a person show, without the server's help, that an action (say, the removal of
their post under rule Y) was logged.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from townsquare.ledger._checkpoint import Checkpoint, open_checkpoint
from townsquare.ledger._codec import MAX_INT64, decode_base64, encode_base64, parse_decimal
from townsquare.ledger._errors import MalformedError
from townsquare.ledger._hashing import leaf_hash, require_hash
from townsquare.ledger._keys import Verifier
from townsquare.ledger._verification import verify_inclusion

__all__ = ["RECEIPT_HEADER", "Receipt", "parse_receipt", "verify_receipt"]

RECEIPT_HEADER = "c2sp.org/tlog-proof@v1"
_MAX_PROOF_LENGTH = 64  # enough for any tree of fewer than 2^64 leaves


@dataclass(frozen=True)
class Receipt:
    """An inclusion proof for entry `index` bundled with the signed checkpoint it leads to."""

    index: int
    proof: tuple[bytes, ...]
    checkpoint: bytes  # the signed checkpoint note, verbatim
    extra: bytes | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.index, int) or not 0 <= self.index <= MAX_INT64:
            raise MalformedError(f"receipt index: expected 0 to 2^63-1, found {self.index!r}")
        if len(self.proof) > _MAX_PROOF_LENGTH:
            raise MalformedError(
                f"receipt proof: expected at most {_MAX_PROOF_LENGTH} hashes, "
                f"found {len(self.proof)}"
            )
        for position, element in enumerate(self.proof):
            require_hash(element, f"receipt proof[{position}]")

    def format(self) -> bytes:
        """The receipt file (`.tlog-proof`)."""
        lines = [RECEIPT_HEADER]
        if self.extra is not None:
            lines.append(f"extra {encode_base64(self.extra)}")
        lines.append(f"index {self.index}")
        lines.extend(encode_base64(element) for element in self.proof)
        return ("\n".join(lines) + "\n\n").encode() + self.checkpoint


def parse_receipt(data: bytes) -> Receipt:
    """Parse a receipt file; its checkpoint is kept verbatim and checked by `verify_receipt`."""
    head, separator, checkpoint = data.partition(b"\n\n")
    if not separator:
        raise MalformedError("receipt: expected a blank line before the checkpoint, found none")
    try:
        lines = head.decode("ascii").split("\n")
    except UnicodeDecodeError:
        raise MalformedError("receipt: expected ASCII proof lines, found other bytes") from None
    if lines[0] != RECEIPT_HEADER:
        raise MalformedError(f"receipt: expected the line {RECEIPT_HEADER!r}, found {lines[0]!r}")
    extra = None
    if len(lines) > 1 and lines[1].startswith("extra "):
        extra = decode_base64(lines.pop(1).removeprefix("extra "), "receipt extra data")
    index_line = lines[1] if len(lines) > 1 else ""
    if not index_line.startswith("index "):
        raise MalformedError(f"receipt: expected an 'index <n>' line, found {index_line!r}")
    index = parse_decimal(index_line.removeprefix("index "), "receipt index")
    proof = tuple(decode_base64(line, "receipt proof hash") for line in lines[2:])
    return Receipt(index, proof, checkpoint, extra)


def verify_receipt(
    receipt: Receipt,
    entry: bytes,
    origin: str,
    log: Verifier,
    witnesses: Sequence[Verifier] = (),
    quorum: int = 0,
) -> Checkpoint:
    """Check that `entry` is entry `receipt.index` of the log; return the checkpoint proving it.

    (1) Recompute the entry's leaf hash.
    (2) Open the checkpoint: the log's signature, the origin, and `quorum` witness cosignatures.
    (3) Verify the inclusion proof against the checkpoint's own size and root (never against
        sizes or roots supplied beside the proof).
    The `extra` data is not authenticated and plays no part.
    """
    # (1)
    entry_hash = leaf_hash(entry)
    # (2)
    checkpoint = open_checkpoint(receipt.checkpoint, origin, log, witnesses, quorum)
    # (3)
    verify_inclusion(
        entry_hash, receipt.index, checkpoint.size, receipt.proof, checkpoint.root_hash
    )
    return checkpoint
