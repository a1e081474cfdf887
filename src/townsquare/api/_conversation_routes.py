"""Conversations: the signed-in user's threads of direct posts.

GET  /api/v1/conversations            the latest first, paged by their latest post (Link)
POST /api/v1/conversations/:id/read   mark one read (read state is not kept: answers it)
"""

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import require_user
from townsquare.api._entities import ConversationEntity, Renderer
from townsquare.api._fields import AnyRequest, path_id, query_fields
from townsquare.api._paging import page_from, paged_response
from townsquare.microblog import Microblog
from townsquare.settings import Settings

__all__ = ["conversation_routes"]


@get("/api/v1/conversations", sync_to_thread=True)
def conversations(
    request: AnyRequest,
    microblog: NamedDependency[Microblog],
    settings: NamedDependency[Settings],
) -> Response[Any]:
    viewer = require_user(request, microblog, "read:statuses")
    found = microblog.conversations.latest(viewer, page_from(query_fields(request)))
    renderer = Renderer(microblog.links)
    entities = [renderer.conversation(c) for c in found]
    return paged_response(request, settings.base_url, entities, [c.last.post.id for c in found])


@post("/api/v1/conversations/{conversation_id:str}/read", status_code=200, sync_to_thread=True)
def read_conversation(
    request: AnyRequest, conversation_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> ConversationEntity:
    viewer = require_user(request, microblog, "write:conversations")
    found = microblog.conversations.get(viewer, path_id(conversation_id))
    return Renderer(microblog.links).conversation(found)


conversation_routes = [conversations, read_conversation]
