"""The one thing moderation needs of the ledger to write: `append` in the caller's transaction."""

from typing import Protocol

from sqlalchemy import Connection

__all__ = ["EntryLog"]


class EntryLog(Protocol):
    """Where decisions are logged (`townsquare.ledger.LedgerLog`). `append` MUST queue the
    entry in the caller's transaction, so it commits with the change or not at all."""

    def append(self, conn: Connection, entry: bytes) -> int: ...
