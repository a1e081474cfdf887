"""Scheduled statuses: the signed-in user's posts waiting to be published.

GET    /api/v1/scheduled_statuses        the list, the latest scheduled first (Link paging)
GET    /api/v1/scheduled_statuses/:id    one
PUT    /api/v1/scheduled_statuses/:id    move it to another time (`scheduled_at`)
DELETE /api/v1/scheduled_statuses/:id    cancel it
"""

from typing import Any

from litestar import Response, delete, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import require_user
from townsquare.api._entities import Renderer, ScheduledStatusEntity
from townsquare.api._errors import InvalidParameterError
from townsquare.api._fields import BODY, AnyRequest, Fields, path_id, query_fields
from townsquare.api._paging import page_from, paged_response
from townsquare.api._status_routes import scheduled_time
from townsquare.microblog import Microblog
from townsquare.settings import Settings

__all__ = ["scheduled_routes"]


@get("/api/v1/scheduled_statuses", sync_to_thread=True)
def scheduled_statuses(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    settings: NamedDependency[Settings],
) -> Response[Any]:
    viewer = require_user(request, microblog, "read:statuses")
    found = microblog.scheduled.list(viewer, page_from(query_fields(request)))
    entities = [Renderer.scheduled(s) for s in found]
    return paged_response(request, settings.base_url, entities, [s.id for s in found])


@get("/api/v1/scheduled_statuses/{scheduled_id:str}", sync_to_thread=True)
def scheduled_status(
    request: AnyRequest, scheduled_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> ScheduledStatusEntity:
    viewer = require_user(request, microblog, "read:statuses")
    return Renderer.scheduled(microblog.scheduled.get(viewer, path_id(scheduled_id)))


@put("/api/v1/scheduled_statuses/{scheduled_id:str}", dependencies=BODY, sync_to_thread=True)
def reschedule_status(
    request: AnyRequest,
    scheduled_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
) -> ScheduledStatusEntity:
    viewer = require_user(request, microblog, "write:statuses")
    at = scheduled_time(fields)
    if at is None:
        raise InvalidParameterError("scheduled_at is required: the new time to publish.")
    return Renderer.scheduled(microblog.scheduled.reschedule(viewer, path_id(scheduled_id), at))


@delete("/api/v1/scheduled_statuses/{scheduled_id:str}", status_code=200, sync_to_thread=True)
def cancel_scheduled_status(
    request: AnyRequest, scheduled_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> dict[str, Any]:
    viewer = require_user(request, microblog, "write:statuses")
    microblog.scheduled.cancel(viewer, path_id(scheduled_id))
    return {}


scheduled_routes = [
    scheduled_statuses,
    scheduled_status,
    reschedule_status,
    cancel_scheduled_status,
]
