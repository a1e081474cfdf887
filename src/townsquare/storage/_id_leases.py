"""Worker-number leases: each running process mints ids under a number no other live process
sharing the database holds (docs/design/ids.md).

The protocol, on the `id_workers` table (worker number unique as its primary key):

(1) Claim: try the free numbers in order with an INSERT (a unique key violation means
    another process took that number first: try the next); else take over an expired row
    with an UPDATE guarded on the holder and expiry read (compare-and-swap). Numbers run
    from 1 to `MAX_WORKER`: 0 is the offline worker, never leased.
(2) Renew well before `expires_at`; a renewal that finds the row held by someone else
    reports the lease lost.
(3) Release at shutdown by ending the lease now; the number is free again at once.

A new holder MUST NOT mint ids earlier than the previous lease's end (`Lease.not_before`),
so a clock behind the previous holder's cannot repeat its ids.
"""

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from townsquare.kernel import MAX_WORKER, OFFLINE_WORKER, TownsquareError
from townsquare.storage._database import Database
from townsquare.storage.tables import id_workers

__all__ = [
    "LEASE_SECONDS",
    "IdWorkersExhaustedError",
    "Lease",
    "claim_worker",
    "release_worker",
    "renew_worker",
]

LEASE_SECONDS = 60
"""How long a lease lasts without renewal; a crashed process's number is free after this."""


class IdWorkersExhaustedError(TownsquareError):
    """Raised when every worker number is held by a live lease (too many processes)."""


@dataclass(frozen=True)
class Lease:
    """A worker number held by `holder` until `expires_at`; ids minted under it MUST NOT be
    earlier than `not_before` (when the previous holder's lease ended, if it was later)."""

    worker: int
    holder: str
    expires_at: datetime
    not_before: datetime | None = None


def claim_worker(
    db: Database, now: datetime, *, holder: str | None = None, seconds: int = LEASE_SECONDS
) -> Lease:
    """(1) A worker number for this process, leased for `seconds` from `now`."""
    holder = holder or secrets.token_hex(16)
    expires_at = now + timedelta(seconds=seconds)
    with db.read() as conn:
        rows = {row.worker: row for row in conn.execute(select(id_workers))}
    for worker in range(OFFLINE_WORKER + 1, MAX_WORKER + 1):
        row = rows.get(worker)
        if row is None:
            claimed = _insert(db, worker, holder, now, expires_at)
            not_before = None
        elif row.expires_at <= now:
            claimed = _take_over(db, row, holder, now, expires_at)
            not_before = row.expires_at
        else:
            continue
        if claimed:
            return Lease(worker, holder, expires_at, not_before)
    raise IdWorkersExhaustedError(
        f"ids: all {MAX_WORKER} worker numbers are leased by running processes; stop some "
        f"(or wait {seconds} s for the leases of crashed ones to expire)"
    )


def renew_worker(
    db: Database, lease: Lease, now: datetime, seconds: int = LEASE_SECONDS
) -> Lease | None:
    """(2) `lease` extended to `now + seconds`; None if it is no longer ours (taken over)."""
    renewed = replace(lease, expires_at=now + timedelta(seconds=seconds))
    with db.write() as conn:
        kept = _guarded_update(conn, lease.worker, lease.holder, expires_at=renewed.expires_at)
    return renewed if kept else None


def release_worker(db: Database, lease: Lease, now: datetime) -> None:
    """(3) End `lease` now, if it is still ours."""
    with db.write() as conn:
        _guarded_update(conn, lease.worker, lease.holder, expires_at=now)


def _insert(db: Database, worker: int, holder: str, now: datetime, expires_at: datetime) -> bool:
    row = {"worker": worker, "holder": holder, "claimed_at": now, "expires_at": expires_at}
    try:
        with db.write() as conn:
            conn.execute(insert(id_workers), row)
    except IntegrityError:
        return False  # another process inserted this number first
    return True


def _take_over(
    db: Database, row: Row[Any], holder: str, now: datetime, expires_at: datetime
) -> bool:
    with db.write() as conn:
        taken = conn.execute(
            update(id_workers)
            .where(
                id_workers.c.worker == row.worker,
                id_workers.c.holder == row.holder,
                id_workers.c.expires_at <= now,  # not renewed since we read it
            )
            .values(holder=holder, claimed_at=now, expires_at=expires_at)
        )
        return taken.rowcount == 1


def _guarded_update(conn: Connection, worker: int, holder: str, **values: object) -> bool:
    done = conn.execute(
        update(id_workers)
        .where(id_workers.c.worker == worker, id_workers.c.holder == holder)
        .values(**values)
    )
    return done.rowcount == 1
