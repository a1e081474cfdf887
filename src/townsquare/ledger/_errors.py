"""The ledger's error family.

Two kinds, so a caller can tell "this input could never be valid" from "this claim does not
hold": `MalformedError` for bytes or arguments that break a format or a range (the HTTP edge
answers 400), `VerificationError` for well-formed proofs, roots and signatures that do not prove
what they claim. Both are `LedgerError`s, so `except LedgerError` catches every refusal.
"""

from townsquare.kernel import InvalidInputError, NotFoundError, TownsquareError

__all__ = [
    "EntryTooLargeError",
    "LedgerError",
    "LedgerKeyError",
    "LedgerNotFoundError",
    "MalformedError",
    "VerificationError",
]


class LedgerError(TownsquareError):
    """Raised for any refusal of the ledger layer."""


class MalformedError(LedgerError, InvalidInputError):
    """Raised when an input breaks its format or range (bad base64, a 31-byte hash, size < 0)."""


class VerificationError(LedgerError):
    """Raised when a proof, root or signature does not verify; the message says expected/found."""


class EntryTooLargeError(MalformedError):
    """Raised when an entry's canonical encoding exceeds 65,535 bytes (a bundle's u16 length)."""


class LedgerNotFoundError(LedgerError, NotFoundError):
    """Raised when an entry, tile, bundle or tree size asked for is beyond the log."""


class LedgerKeyError(LedgerError):
    """Raised when the log's key file cannot be read or names another origin."""
