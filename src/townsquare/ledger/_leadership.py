"""Which process's sequencer integrates and signs: exactly one at a time on a shared database.

Several `townsquare serve` processes may share one PostgreSQL. Each starts a sequencer, but
only the leader works; the others stand by and ask again at every tick. The leader holds a
session-level advisory lock on a connection of its own, which PostgreSQL frees when that
connection ends — the process exits, is killed (SIGKILL included), or its server loses it —
so a standby takes over within one tick of noticing. `LedgerLog.integrate` still takes its
transaction-scoped lock, so a command-line `integrate` beside a running leader stays safe:
leadership decides who does the work, the transaction lock keeps the tree single.

On SQLite every process is on one machine and the write transaction already serialises
them, so each sequencer leads.
"""

import logging
import zlib
from typing import Protocol

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DBAPIError

__all__ = ["AdvisoryLockLeadership", "Leadership", "SoleLeadership", "leadership_for"]

_log = logging.getLogger(__name__)

# pg_try_advisory_lock key: the CRC-32 of a fixed name, as `_log._SEQUENCER_LOCK` (a different
# name, so holding one never blocks the other).
_LEADER_LOCK = zlib.crc32(b"townsquare.ledger.leader")


class Leadership(Protocol):
    """Whether this process's sequencer should work. Both methods MUST be called from one
    thread (the sequencer's)."""

    def holds(self) -> bool:
        """Whether this process leads now, taking the lead when it is free."""
        ...

    def release(self) -> None:
        """Give the lead up (at shutdown), so a standby takes it at once."""
        ...


class SoleLeadership:
    """Always the leader: SQLite, or a database no other process sequences."""

    def holds(self) -> bool:
        return True

    def release(self) -> None:
        return None


class AdvisoryLockLeadership:
    """The lead as a PostgreSQL session-level advisory lock on a connection kept for it."""

    def __init__(self, engine: Engine, *, name: str = "this process") -> None:
        self._engine = engine
        self._name = name
        self._conn: Connection | None = None

    def holds(self) -> bool:
        if self._conn is not None:
            if self._alive(self._conn):
                return True
            _log.warning(
                "ledger sequencer: %s lost its database connection and the lead", self._name
            )
            self._drop()
        return self._try_to_lead()

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(select(func.pg_advisory_unlock(_LEADER_LOCK)))
            self._conn.close()
        except DBAPIError:
            self._drop()
        self._conn = None

    def _try_to_lead(self) -> bool:
        # AUTOCOMMIT: the connection is held for as long as the lead, and must not sit in an
        # open transaction (which would hold back vacuum) while it does.
        conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            taken = bool(conn.execute(select(func.pg_try_advisory_lock(_LEADER_LOCK))).scalar())
        except DBAPIError:
            conn.invalidate()
            conn.close()
            return False
        if not taken:
            conn.close()
            return False
        self._conn = conn
        _log.warning("ledger sequencer: %s now integrates and signs the ledger", self._name)
        return True

    @staticmethod
    def _alive(conn: Connection) -> bool:
        try:
            conn.exec_driver_sql("SELECT 1")
        except DBAPIError:
            return False
        return True

    def _drop(self) -> None:
        """Forget a broken connection without returning it to the pool (where the lock, if
        PostgreSQL still held it, would follow it into another checkout)."""
        if self._conn is not None:
            self._conn.invalidate()
            self._conn.close()
            self._conn = None


def leadership_for(engine: Engine, *, name: str = "this process") -> Leadership:
    """The leadership that fits the database behind `engine`."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLockLeadership(engine, name=name)
    return SoleLeadership()
