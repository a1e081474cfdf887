"""Mastodon-style snowflake ids: milliseconds since the epoch shifted left 16 bits, plus a sequence.

Mastodon.py turns a datetime paging argument into `(unix_seconds << 16) * 1000`; adopting the
same layout makes those arguments meaningful here and keeps ids sortable by creation time.
"""

import threading
from datetime import UTC, datetime, timedelta

from townsquare.kernel._clock import Clock

__all__ = ["SnowflakeGenerator", "snowflake_floor", "snowflake_time"]

_SEQUENCE_BITS = 16
_SEQUENCE_MASK = (1 << _SEQUENCE_BITS) - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


def snowflake_floor(moment: datetime) -> int:
    """The smallest id that can be minted at `moment` (useful as a paging bound)."""
    # Integer arithmetic: `timestamp() * 1000` in floating point can land just below a whole
    # millisecond (1086300558.307 * 1000 == 1086300558306.9999) and lose it.
    return ((moment - _EPOCH) // _MILLISECOND) << _SEQUENCE_BITS


def snowflake_time(snowflake: int) -> datetime:
    """The moment an id was minted, to the millisecond."""
    return _EPOCH + (snowflake >> _SEQUENCE_BITS) * _MILLISECOND


class SnowflakeGenerator:
    """Mints strictly increasing ids from a clock; safe to share between threads.

    Within one process ids never repeat and never go backwards, even if the clock does: the
    generator then keeps counting from the last id it gave out.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._last = 0
        self._lock = threading.Lock()

    def next_id(self) -> int:
        candidate = snowflake_floor(self._clock.now())
        with self._lock:
            self._last = max(candidate, self._last + 1)
            return self._last

    def id_at(self, moment: datetime, sequence: int) -> int:
        """A deterministic id for `moment` (for imports and the demo world)."""
        return snowflake_floor(moment) | (sequence & _SEQUENCE_MASK)
