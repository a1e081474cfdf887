"""Reading markers: where the signed-in user stopped reading their home timeline and their
notifications, shared by all their apps (`/api/v1/markers`)."""

import msgspec
from litestar import get, post
from litestar.di import NamedDependency

from townsquare.api._auth import require_user
from townsquare.api._errors import InvalidParameterError
from townsquare.api._fields import BODY, AnyRequest, Fields, query_fields
from townsquare.microblog import MARKED_TIMELINES, Marker, Microblog

__all__ = ["MarkerEntity", "marker_routes"]


class MarkerEntity(msgspec.Struct, kw_only=True):
    last_read_id: str
    version: int
    updated_at: str


def _entities(markers: list[Marker]) -> dict[str, MarkerEntity]:
    return {
        m.timeline: MarkerEntity(
            last_read_id=str(m.last_read_id),
            version=m.version,
            updated_at=m.updated_at.isoformat().replace("+00:00", "Z"),
        )
        for m in markers
    }


@get("/api/v1/markers", sync_to_thread=True)
def markers(request: AnyRequest, microblog: NamedDependency[Microblog]) -> dict[str, MarkerEntity]:
    """The markers named by `timeline[]` (`home`, `notifications`) that have been saved."""
    viewer = require_user(request, microblog, "read:statuses")
    wanted = query_fields(request).texts("timeline", max_items=len(MARKED_TIMELINES) + 8)
    return _entities(microblog.markers.of(viewer, wanted))


@post("/api/v1/markers", dependencies=BODY, status_code=200, sync_to_thread=True)
def save_markers(
    request: AnyRequest, fields: NamedDependency[Fields], microblog: NamedDependency[Microblog]
) -> dict[str, MarkerEntity]:
    """Move the markers given as `home[last_read_id]` and `notifications[last_read_id]`."""
    viewer = require_user(request, microblog, "write:statuses")
    positions = {
        timeline: last_read_id
        for timeline in MARKED_TIMELINES
        if (last_read_id := fields.identifier(f"{timeline}[last_read_id]")) is not None
    }
    if not positions:
        raise InvalidParameterError(
            "Give home[last_read_id] or notifications[last_read_id] (or both)."
        )
    return _entities(microblog.markers.save(viewer, positions))


marker_routes = [markers, save_markers]
