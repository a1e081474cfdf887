"""Reading: the home, public and hashtag timelines, search, and notifications."""

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import optional_user, require_user
from townsquare.api._entities import NotificationEntity, Renderer
from townsquare.api._errors import InvalidParameterError, RecordNotFoundError
from townsquare.api._fields import AnyRequest, is_tag_name, path_id, query_fields
from townsquare.api._filter_routes import filtered_notifications, filtered_statuses
from townsquare.api._paging import clamp_limit, page_from, paged_response
from townsquare.kernel import LARGEST_ID
from townsquare.microblog import FilterContext, Microblog, NotificationType, Page
from townsquare.settings import Settings

__all__ = ["reading_routes"]

_SEARCH_KINDS = frozenset({"accounts", "statuses", "hashtags"})
_MAX_OFFSET = 10_000
# Mastodon's notification types and the microblog's: a reply is a mention to Mastodon.
_NOTIFICATION_TYPES: dict[str, tuple[NotificationType, ...]] = {
    "mention": (NotificationType.MENTION, NotificationType.REPLY),
    "reblog": (NotificationType.REBLOG,),
    "favourite": (NotificationType.FAVOURITE,),
    "follow": (NotificationType.FOLLOW,),
    # moderation decisions (docs/design/moderation-notifications.md)
    "moderation_warning": (NotificationType.MODERATION_WARNING,),
    "townsquare.restored": (NotificationType.RESTORED,),
    "townsquare.report": (NotificationType.REPORT_DECIDED,),
    "townsquare.appeal": (NotificationType.APPEAL_DECIDED,),
}


@get("/api/v1/timelines/home", sync_to_thread=True)
def home_timeline(
    request: AnyRequest, microblog: NamedDependency[Microblog], settings: NamedDependency[Settings]
) -> Response[Any]:
    viewer = require_user(request, microblog, "read:statuses")
    fields = query_fields(request)
    if fields.flag("only_media"):
        return Response(content=[])
    views = microblog.timelines.home(viewer, page_from(fields))
    statuses = filtered_statuses(microblog, viewer, FilterContext.HOME, views)
    return paged_response(request, settings.base_url, statuses, [v.post.id for v in views])


@get("/api/v1/timelines/public", sync_to_thread=True)
def public_timeline(
    request: AnyRequest, microblog: NamedDependency[Microblog], settings: NamedDependency[Settings]
) -> Response[Any]:
    """Every public post (`only_media`: those with media attached). All of them are local,
    so a `remote` list is empty."""
    viewer = optional_user(request, microblog, "read:statuses")
    fields = query_fields(request)
    fields.flag("local")  # validated, then moot: every post here is local
    if fields.flag("remote"):
        return Response(content=[])
    views = microblog.timelines.public(
        viewer, page_from(fields), only_media=fields.flag("only_media")
    )
    statuses = filtered_statuses(microblog, viewer, FilterContext.PUBLIC, views)
    return paged_response(request, settings.base_url, statuses, [v.post.id for v in views])


@get("/api/v1/timelines/tag/{hashtag:str}", sync_to_thread=True)
def tag_timeline(
    request: AnyRequest,
    hashtag: FromPath[str],
    microblog: NamedDependency[Microblog],
    settings: NamedDependency[Settings],
) -> Response[Any]:
    viewer = optional_user(request, microblog, "read:statuses")
    fields = query_fields(request)
    name = hashtag.lstrip("#")
    page = page_from(fields)
    if not is_tag_name(name) or fields.flag("remote") or fields.flag("only_media"):
        return Response(content=[])
    views = microblog.timelines.hashtag(viewer, name, page)
    statuses = filtered_statuses(microblog, viewer, FilterContext.PUBLIC, views)
    return paged_response(request, settings.base_url, statuses, [v.post.id for v in views])


@get("/api/v2/search", sync_to_thread=True)
def search(request: AnyRequest, microblog: NamedDependency[Microblog]) -> dict[str, list[Any]]:
    """Accounts, statuses and hashtags matching `q` (offset paging, as in Mastodon)."""
    viewer = optional_user(request, microblog, "read:search")
    fields = query_fields(request)
    query = fields.required_text("q", max_length=500)
    kind = fields.text("type", max_length=20)
    if kind and kind not in _SEARCH_KINDS:
        raise InvalidParameterError("type must be accounts, statuses or hashtags.")
    offset = fields.integer("offset") or 0
    if not 0 <= offset <= _MAX_OFFSET:
        raise InvalidParameterError(f"offset must be between 0 and {_MAX_OFFSET}.")
    fields.flag("resolve")  # validated, then moot: there are no remote accounts to resolve
    found = microblog.search.everything(
        viewer,
        query,
        kinds=frozenset({kind}) if kind else _SEARCH_KINDS,
        limit=clamp_limit(fields),
        offset=offset,
    )
    renderer = Renderer(microblog.links)
    return {
        "accounts": [renderer.account(a) for a in found.accounts],
        "statuses": renderer.statuses(found.posts),
        "hashtags": [renderer.tag(t) for t in found.hashtags],
    }


def _internal_types(names: list[str]) -> set[NotificationType]:
    return {t for name in names for t in _NOTIFICATION_TYPES.get(name, ())}


@get("/api/v1/notifications", sync_to_thread=True)
def notifications(
    request: AnyRequest, microblog: NamedDependency[Microblog], settings: NamedDependency[Settings]
) -> Response[Any]:
    """The signed-in user's notifications, newest first; `types[]`/`exclude_types[]` use
    Mastodon's names."""
    viewer = require_user(request, microblog, "read:notifications")
    fields = query_fields(request)
    wanted = fields.texts("types")
    types = _internal_types(wanted)
    if wanted and not types:
        return Response(content=[])  # only kinds this server never sends
    found = microblog.notifications.list(
        viewer,
        page_from(fields),
        types=types,
        exclude_types=_internal_types(fields.texts("exclude_types")),
    )
    entities = filtered_notifications(microblog, viewer, found)
    return paged_response(request, settings.base_url, entities, [n.id for n in found])


@get("/api/v1/notifications/{notification_id:str}", sync_to_thread=True)
def notification(
    request: AnyRequest, notification_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> NotificationEntity:
    viewer = require_user(request, microblog, "read:notifications")
    wanted = path_id(notification_id)
    if wanted >= LARGEST_ID:
        raise RecordNotFoundError("Record not found")
    found = microblog.notifications.list(viewer, Page(limit=1, max_id=wanted + 1))
    if not found or found[0].id != wanted:
        raise RecordNotFoundError("Record not found")
    return Renderer(microblog.links).notification(found[0])


@get("/api/v1/notifications/unread_count", sync_to_thread=True)
def unread_notifications(
    request: AnyRequest, microblog: NamedDependency[Microblog]
) -> dict[str, int]:
    """How many notifications arrived after the `notifications` marker (up to `limit`: 100
    by default, 1000 at most)."""
    viewer = require_user(request, microblog, "read:notifications")
    most = clamp_limit(query_fields(request), default=100, most=1000)
    return {"count": microblog.notifications.unread_count(viewer, most=most)}


@post("/api/v1/notifications/clear", status_code=200, sync_to_thread=True)
def clear_notifications(
    request: AnyRequest, microblog: NamedDependency[Microblog]
) -> dict[str, Any]:
    """Delete all of the signed-in user's notifications."""
    microblog.notifications.clear(require_user(request, microblog, "write:notifications"))
    return {}


@post("/api/v1/notifications/{notification_id:str}/dismiss", status_code=200, sync_to_thread=True)
def dismiss_notification(
    request: AnyRequest, notification_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> dict[str, Any]:
    """Delete one notification (404 if the signed-in user has none by that id)."""
    viewer = require_user(request, microblog, "write:notifications")
    if not microblog.notifications.dismiss(viewer, path_id(notification_id)):
        raise RecordNotFoundError("Record not found")
    return {}


reading_routes = [
    home_timeline,
    public_timeline,
    tag_timeline,
    search,
    notifications,
    unread_notifications,
    notification,
    clear_notifications,
    dismiss_notification,
]
