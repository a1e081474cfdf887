"""The id generator of a running process, kept on a leased worker number (docs/design/ids.md)."""

import logging

from townsquare.kernel import Clock, PeriodicTask, SnowflakeGenerator, SystemClock
from townsquare.storage._database import Database
from townsquare.storage._id_leases import (
    LEASE_SECONDS,
    IdWorkersExhaustedError,
    Lease,
    claim_worker,
    release_worker,
    renew_worker,
)

__all__ = ["IdWorker"]

_log = logging.getLogger(__name__)


class IdWorker:
    """A lease on a worker number and the generator minting under it.

    `ids` uses `clock` (the application's, which tests may fix); the lease uses `wall`, the
    real time every process sharing the database compares expiries in. While running, a
    thread renews the lease every third of its length. If a renewal finds the number taken
    over (this process was paused past its expiry), `ids` moves to a fresh number; if none
    can be had, or the lease expires while the database cannot be reached, `ids` refuses to
    mint: an error is better than a duplicate id.
    """

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        wall: Clock | None = None,
        seconds: int = LEASE_SECONDS,
    ) -> None:
        self._db = db
        self._wall = wall or SystemClock()
        self._seconds = seconds
        self._lease = claim_worker(db, self._wall.now(), seconds=seconds)
        self.ids = SnowflakeGenerator(clock, self._lease.worker, not_before=self._lease.not_before)
        self._renewing = PeriodicTask(
            "renewing the id worker lease", self.renew, period=seconds / 3
        )

    @property
    def lease(self) -> Lease:
        return self._lease

    def start(self) -> None:
        self._renewing.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop renewing and give the number back (a crashed process's simply expires)."""
        self._renewing.stop(timeout)
        release_worker(self._db, self._lease, self._wall.now())

    def renew(self) -> None:
        """One cycle: extend the lease; if it was taken over, claim another number."""
        now = self._wall.now()
        try:
            renewed = renew_worker(self._db, self._lease, now, self._seconds)
            if renewed is None:
                self._move_to_a_new_number()
                return
            if self._lease.expires_at <= now:
                # Renewed after it lapsed, yet still ours (no one took it over): mint again.
                self.ids.reassign(renewed.worker)
            self._lease = renewed
        except Exception:
            if now >= self._lease.expires_at:
                self.ids.retire(f"ids: the lease on worker {self._lease.worker} expired")
            raise

    def _move_to_a_new_number(self) -> None:
        lost = self._lease.worker
        try:
            self._lease = claim_worker(self._db, self._wall.now(), seconds=self._seconds)
        except IdWorkersExhaustedError as error:
            self.ids.retire(f"ids: worker {lost} was taken over and {error}")
            raise
        self.ids.reassign(self._lease.worker, not_before=self._lease.not_before)
        _log.warning("id worker %s was taken over; now minting as %s", lost, self._lease.worker)
