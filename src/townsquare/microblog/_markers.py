"""Where an account stopped reading its home timeline and its notifications (Mastodon's
markers), so that each of its apps opens where the last one left off."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select, update

from townsquare.microblog._context import Context
from townsquare.microblog._errors import InvalidMarkerError
from townsquare.storage import insert_ignoring_conflicts
from townsquare.storage.tables import markers

__all__ = ["MARKED_TIMELINES", "Marker", "Markers"]

MARKED_TIMELINES = ("home", "notifications")


@dataclass(frozen=True)
class Marker:
    """The newest item read on `timeline`; `version` counts the saves (apps compare it)."""

    timeline: str
    last_read_id: int
    version: int
    updated_at: datetime


class Markers:
    """Every account's reading markers, one per timeline in `MARKED_TIMELINES`."""

    def __init__(self, context: Context) -> None:
        self._ctx = context

    def of(self, account_id: int, timelines: Collection[str]) -> list[Marker]:
        """The account's markers on `timelines` it has saved one for (others are absent)."""
        wanted = [t for t in MARKED_TIMELINES if t in timelines]
        if not wanted:
            return []
        query = select(markers).where(
            and_(markers.c.account_id == account_id, markers.c.timeline.in_(wanted))
        )
        with self._ctx.db.read() as c:
            rows = c.execute(query.order_by(markers.c.timeline))
            return [Marker(r.timeline, r.last_read_id, r.version, r.updated_at) for r in rows]

    def save(self, account_id: int, positions: Mapping[str, int]) -> list[Marker]:
        """Move the account's markers to `positions` (timeline → last read id), each save
        one version more. A timeline other than `MARKED_TIMELINES` is refused."""
        unknown = sorted(set(positions) - set(MARKED_TIMELINES))
        if unknown:
            raise InvalidMarkerError(f"Markers are kept for home and notifications, not {unknown}.")
        now = self._ctx.clock.now()
        with self._ctx.db.write() as c:
            for timeline, last_read_id in positions.items():
                # Insert-if-absent then update: safe when two apps save at once.
                first = {"account_id": account_id, "timeline": timeline, "updated_at": now}
                insert_ignoring_conflicts(
                    c,
                    markers,
                    [{**first, "last_read_id": last_read_id, "version": 0}],
                    on=("account_id", "timeline"),
                )
                c.execute(
                    update(markers)
                    .where(and_(markers.c.account_id == account_id, markers.c.timeline == timeline))
                    .values(
                        last_read_id=last_read_id, version=markers.c.version + 1, updated_at=now
                    )
                )
        return self.of(account_id, positions.keys())
