"""Polls: reading one and voting in it.

GET  /api/v1/polls/:id          the poll (its id is its post's), as the reader sees it
POST /api/v1/polls/:id/votes    vote: `choices[]` are option positions, from 0
"""

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import optional_user, require_user
from townsquare.api._entities import PollEntity, poll_entity
from townsquare.api._errors import InvalidParameterError, RecordNotFoundError
from townsquare.api._fields import BODY, AnyRequest, Fields
from townsquare.api._status_routes import visible_post
from townsquare.microblog import MAX_POLL_OPTIONS, Microblog, PostView

__all__ = ["poll_routes"]


def _poll_of(view: PostView) -> PollEntity:
    if view.poll is None:
        raise RecordNotFoundError("Record not found")
    return poll_entity(view.poll)


@get("/api/v1/polls/{poll_id:str}", sync_to_thread=True)
def show_poll(
    request: AnyRequest, poll_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> PollEntity:
    viewer = optional_user(request, microblog, "read:statuses")
    return _poll_of(visible_post(microblog, viewer, poll_id))


@post("/api/v1/polls/{poll_id:str}/votes", dependencies=BODY, status_code=200, sync_to_thread=True)
def vote(
    request: AnyRequest,
    poll_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
) -> PollEntity:
    """Vote once, before the poll ends; several choices only where it allows them."""
    viewer = require_user(request, microblog, "write:statuses")
    view = visible_post(microblog, viewer, poll_id)
    if view.poll is None:
        raise RecordNotFoundError("Record not found")
    choices = []
    for raw in fields.texts("choices", max_items=MAX_POLL_OPTIONS):
        raw = raw.strip()
        if not (raw.isascii() and raw.isdigit() and len(raw) < 3):
            raise InvalidParameterError("choices must be option positions: 0, 1, 2…")
        choices.append(int(raw))
    microblog.polls.vote(viewer, view.post.id, choices)
    return _poll_of(microblog.timelines.post(viewer, view.post.id))


poll_routes = [show_poll, vote]
