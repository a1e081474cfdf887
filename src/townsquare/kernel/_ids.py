"""Mastodon-style snowflake ids: milliseconds since the epoch in the high bits, then a worker
number and a per-millisecond sequence in the low 16 bits.

    id = milliseconds << 16 | worker << 8 | sequence

Mastodon.py turns a datetime paging argument into `(unix_seconds << 16) * 1000`; keeping the
milliseconds above bit 16 makes those arguments meaningful here and keeps ids sortable by
creation time. The worker number keeps two processes minting in the same millisecond apart
(docs/design/ids.md): each running process holds its own, leased from the database; worker
0 is never leased and belongs to deterministic ids (the demo world, imports, tests).
"""

import threading
from datetime import UTC, datetime, timedelta

from townsquare.kernel._clock import Clock
from townsquare.kernel._errors import TownsquareError

__all__ = [
    "LARGEST_ID",
    "MAX_WORKER",
    "OFFLINE_WORKER",
    "SEQUENCE_LIMIT",
    "IdWorkerRetiredError",
    "SnowflakeGenerator",
    "snowflake_floor",
    "snowflake_time",
]

_LOW_BITS = 16
_SEQUENCE_BITS = 8
SEQUENCE_LIMIT = 1 << _SEQUENCE_BITS
"""Ids one worker mints per millisecond before it moves on to the next millisecond."""
MAX_WORKER = (1 << (_LOW_BITS - _SEQUENCE_BITS)) - 1
"""The highest worker number (255): at most 255 processes mint live ids at once."""
OFFLINE_WORKER = 0
"""The worker number of deterministic ids; never leased to a running server."""

LARGEST_ID = 2**63 - 1
"""The largest id: ids are signed 64-bit integers (BIGINT) in both databases."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


class IdWorkerRetiredError(TownsquareError):
    """Raised when a generator whose worker lease was lost is asked for an id."""


def snowflake_floor(moment: datetime) -> int:
    """The smallest id that can be minted at `moment` (useful as a paging bound)."""
    return _milliseconds(moment) << _LOW_BITS


def snowflake_time(snowflake: int) -> datetime:
    """The moment an id was minted, to the millisecond."""
    return _EPOCH + (snowflake >> _LOW_BITS) * _MILLISECOND


def _milliseconds(moment: datetime) -> int:
    # Integer arithmetic: `timestamp() * 1000` in floating point can land just below a whole
    # millisecond (1086300558.307 * 1000 == 1086300558306.9999) and lose it.
    return (moment - _EPOCH) // _MILLISECOND


def _check_worker(worker: int) -> int:
    if not OFFLINE_WORKER <= worker <= MAX_WORKER:
        raise ValueError(f"worker: expected {OFFLINE_WORKER} to {MAX_WORKER}, found {worker}")
    return worker


class SnowflakeGenerator:
    """Mints strictly increasing ids from a clock for one worker number; safe to share
    between threads.

    Ids never repeat for a worker and never go backwards, even if the clock does: the
    generator then keeps counting in the last millisecond it used. When a millisecond's
    `SEQUENCE_LIMIT` ids are spent, it moves on to the next millisecond rather than waiting
    for the clock (the clock may be a fixed one: the demo world, imports), so ids can run
    ahead of the clock by one millisecond per `SEQUENCE_LIMIT` ids minted beyond the rate.

    `not_before` is where a new holder of a worker number starts: no earlier than the moment
    the previous holder's lease ended, so the two cannot mint the same id even if this
    machine's clock is behind theirs.
    """

    def __init__(
        self, clock: Clock, worker: int = OFFLINE_WORKER, *, not_before: datetime | None = None
    ) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._worker = _check_worker(worker)
        self._millisecond = -1 if not_before is None else _milliseconds(not_before)
        self._sequence = SEQUENCE_LIMIT - 1  # so the first id starts a fresh millisecond
        self._retired: str | None = None

    @property
    def worker(self) -> int:
        return self._worker

    def next_id(self) -> int:
        now = _milliseconds(self._clock.now())
        with self._lock:
            if self._retired is not None:
                raise IdWorkerRetiredError(self._retired)
            if now > self._millisecond:
                self._millisecond, self._sequence = now, 0
            elif self._sequence + 1 < SEQUENCE_LIMIT:
                self._sequence += 1
            else:  # this millisecond is spent (or the clock went back): use the next one
                self._millisecond, self._sequence = self._millisecond + 1, 0
            return self._compose(self._millisecond, self._worker, self._sequence)

    def reassign(self, worker: int, *, not_before: datetime | None = None) -> None:
        """Mint as `worker` from now on (a new lease), after every id minted so far and no
        earlier than `not_before`; undoes `retire`."""
        start = -1 if not_before is None else _milliseconds(not_before)
        with self._lock:
            self._worker = _check_worker(worker)
            # The next id is in a later millisecond than any minted under the old number.
            self._millisecond = max(self._millisecond, start)
            self._sequence = SEQUENCE_LIMIT - 1
            self._retired = None

    def retire(self, reason: str) -> None:
        """Refuse every id from now on (the worker's lease was lost): `reason` says why."""
        with self._lock:
            self._retired = reason

    def id_at(self, moment: datetime, sequence: int) -> int:
        """A deterministic id for `moment` (for imports and the demo world). It carries the
        offline worker number, which no running server holds, so it cannot collide with a
        live id; `sequence` is 0 to `SEQUENCE_LIMIT - 1`."""
        if not 0 <= sequence < SEQUENCE_LIMIT:
            raise ValueError(f"sequence: expected 0 to {SEQUENCE_LIMIT - 1}, found {sequence}")
        return self._compose(_milliseconds(moment), OFFLINE_WORKER, sequence)

    @staticmethod
    def _compose(millisecond: int, worker: int, sequence: int) -> int:
        return millisecond << _LOW_BITS | worker << _SEQUENCE_BITS | sequence
