"""Filters v2: the signed-in user's keyword filters (`/api/v2/filters`), and laying them
over the statuses a route returns (`filtered_statuses`).

A status matching a `warn` filter carries `filtered` (the filter and the keywords it
matched), for the app to show behind a warning; one matching a `hide` filter is left out of
the answer, so it stays hidden whatever app reads it.
"""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import msgspec
from litestar import delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import require_user
from townsquare.api._entities import NotificationEntity, Renderer, StatusEntity, iso_datetime
from townsquare.api._errors import InvalidParameterError
from townsquare.api._fields import BODY, AnyRequest, Fields, parse_id, path_id
from townsquare.microblog import (
    Filter,
    FilterAction,
    FilterContext,
    FilterKeyword,
    KeywordChange,
    Microblog,
    NotificationView,
    PostView,
)

__all__ = ["FilterEntity", "filter_routes", "filtered_notifications", "filtered_statuses"]

_MAX_EXPIRY = timedelta(days=3650)


class FilterKeywordEntity(msgspec.Struct, kw_only=True):
    id: str
    keyword: str
    whole_word: bool


class FilterEntity(msgspec.Struct, kw_only=True):
    id: str
    title: str
    context: list[str]
    expires_at: str | None
    filter_action: str
    keywords: list[FilterKeywordEntity]
    statuses: list[object]


class FilterResultEntity(msgspec.Struct, kw_only=True):
    filter: FilterEntity
    keyword_matches: list[str]
    status_matches: list[str]


def _keyword_entity(keyword: FilterKeyword) -> FilterKeywordEntity:
    return FilterKeywordEntity(
        id=str(keyword.id), keyword=keyword.keyword, whole_word=keyword.whole_word
    )


def _entity(found: Filter) -> FilterEntity:
    return FilterEntity(
        id=str(found.id),
        title=found.title,
        context=sorted(c.value for c in found.contexts),
        expires_at=iso_datetime(found.expires_at) if found.expires_at else None,
        filter_action=found.action.value,
        keywords=[_keyword_entity(k) for k in found.keywords],
        statuses=[],
    )


def filtered_statuses(
    microblog: Microblog, viewer: int | None, context: FilterContext, views: Iterable[PostView]
) -> list[StatusEntity]:
    """The statuses of `views` with the viewer's filters for `context` laid over them."""
    renderer = Renderer(microblog.links)
    active = microblog.filters.active(viewer, context) if viewer is not None else []
    shown = (_filtered(active, view, renderer.status(view)) for view in views)
    return [status for status in shown if status is not None]


def filtered_notifications(
    microblog: Microblog, viewer: int, notifications: Iterable[NotificationView]
) -> list[NotificationEntity]:
    """The notifications, their statuses under the viewer's `notifications` filters: a
    notification whose status a `hide` filter matches is left out. One that tells of a
    moderation decision is never filtered: it is how the author learns of it."""
    renderer = Renderer(microblog.links)
    active = microblog.filters.active(viewer, FilterContext.NOTIFICATIONS)
    shown = []
    for notification in notifications:
        entity = renderer.notification(notification)
        post, status = notification.post, entity.status
        if active and post is not None and status is not None and notification.action_id is None:
            status = _filtered(active, post, status)
            if status is None:
                continue
            entity = msgspec.structs.replace(entity, status=status)
        shown.append(entity)
    return shown


def _filtered(active: list[Filter], view: PostView, status: StatusEntity) -> StatusEntity | None:
    """`status` with the filters that match it in `filtered`; None if one hides it."""
    results = [(found, matched) for found in active if (matched := found.matches(view.shown.post))]
    if any(found.action == FilterAction.HIDE for found, _ in results):
        return None
    if not results:
        return status
    return msgspec.structs.replace(
        status,
        filtered=[
            FilterResultEntity(
                filter=_entity(found), keyword_matches=list(matched), status_matches=[]
            )
            for found, matched in results
        ],
    )


# Parameters ---------------------------------------------------------------------------------


def _contexts(fields: Fields, *, required: bool) -> set[FilterContext] | None:
    raw = fields.texts("context", max_items=10)
    if not raw:
        if required:
            raise InvalidParameterError("context must name at least one context.")
        return None
    try:
        return {FilterContext(value) for value in raw}
    except ValueError:
        raise InvalidParameterError(
            "context must be among home, notifications, public, thread and account."
        ) from None


def _action(fields: Fields) -> FilterAction | None:
    raw = fields.text("filter_action", max_length=10)
    if not raw:
        return None
    try:
        return FilterAction(raw)
    except ValueError:
        raise InvalidParameterError("filter_action must be warn or hide.") from None


def _expiry(microblog: Microblog, fields: Fields) -> tuple[bool, Any]:
    """(whether `expires_in` was given, the expiry it means: None for never)."""
    if not fields.given("expires_in"):
        return False, None
    seconds = fields.integer("expires_in")
    if seconds is None:
        return True, None
    if not 0 < seconds <= _MAX_EXPIRY.total_seconds():
        raise InvalidParameterError("expires_in must be a positive number of seconds.")
    return True, microblog.context.clock.now() + timedelta(seconds=seconds)


def _keyword_changes(fields: Fields) -> list[KeywordChange]:
    raw = fields.items("keywords_attributes", max_items=100)
    changes = []
    for item in raw:
        keyword = item.text("keyword", max_length=1000)
        existing = item.text("id", max_length=30)
        keyword_id = parse_id(existing) if existing else None
        if existing and keyword_id is None:
            raise InvalidParameterError("keywords_attributes[][id] must be a keyword's id.")
        remove = item.flag("_destroy")
        if keyword is None and not remove:
            raise InvalidParameterError("keywords_attributes[][keyword] is missing.")
        changes.append(
            KeywordChange(
                keyword=keyword or "",
                whole_word=item.flag("whole_word", default=True),
                id=keyword_id,
                remove=remove,
            )
        )
    return changes


# Routes -------------------------------------------------------------------------------------


@get("/api/v2/filters", sync_to_thread=True)
def list_filters(request: AnyRequest, microblog: NamedDependency[Microblog]) -> list[FilterEntity]:
    """The signed-in user's filters, expired ones included."""
    viewer = require_user(request, microblog, "read:filters")
    return [_entity(found) for found in microblog.filters.of(viewer)]


@get("/api/v2/filters/{filter_id:str}", sync_to_thread=True)
def show_filter(
    request: AnyRequest, filter_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> FilterEntity:
    viewer = require_user(request, microblog, "read:filters")
    return _entity(microblog.filters.get(viewer, path_id(filter_id)))


@post("/api/v2/filters", dependencies=BODY, status_code=200, sync_to_thread=True)
def create_filter(
    request: AnyRequest, fields: NamedDependency[Fields], microblog: NamedDependency[Microblog]
) -> FilterEntity:
    """A filter: `title`, `context[]`, `filter_action` (warn by default), `expires_in`
    (seconds), `keywords_attributes[]` (`keyword`, `whole_word`)."""
    viewer = require_user(request, microblog, "write:filters")
    _, expires_at = _expiry(microblog, fields)
    created = microblog.filters.create(
        viewer,
        fields.required_text("title", max_length=1000),
        _contexts(fields, required=True) or set(),
        _action(fields) or FilterAction.WARN,
        expires_at,
        _keyword_changes(fields),
    )
    return _entity(created)


@put("/api/v2/filters/{filter_id:str}", dependencies=BODY, sync_to_thread=True)
def change_filter(
    request: AnyRequest,
    filter_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
) -> FilterEntity:
    """Change what is given; `keywords_attributes[]` adds keywords, changes those given
    with an `id`, and removes those with `_destroy`."""
    viewer = require_user(request, microblog, "write:filters")
    given, expires_at = _expiry(microblog, fields)
    changed = microblog.filters.change(
        viewer,
        path_id(filter_id),
        title=fields.text("title", max_length=1000),
        contexts=_contexts(fields, required=False),
        action=_action(fields),
        expires_at=expires_at,
        clear_expiry=given and expires_at is None,
        keywords=_keyword_changes(fields),
    )
    return _entity(changed)


@delete("/api/v2/filters/{filter_id:str}", status_code=200, sync_to_thread=True)
def delete_filter(
    request: AnyRequest, filter_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> dict[str, Any]:
    microblog.filters.delete(require_user(request, microblog, "write:filters"), path_id(filter_id))
    return {}


@get("/api/v2/filters/{filter_id:str}/keywords", sync_to_thread=True)
def filter_keywords(
    request: AnyRequest, filter_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> list[FilterKeywordEntity]:
    viewer = require_user(request, microblog, "read:filters")
    found = microblog.filters.get(viewer, path_id(filter_id))
    return [_keyword_entity(k) for k in found.keywords]


@post(
    "/api/v2/filters/{filter_id:str}/keywords",
    dependencies=BODY,
    status_code=200,
    sync_to_thread=True,
)
def add_filter_keyword(
    request: AnyRequest,
    filter_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
) -> FilterKeywordEntity:
    """Add one keyword (`keyword`, `whole_word`) to a filter."""
    viewer = require_user(request, microblog, "write:filters")
    wanted = fields.required_text("keyword", max_length=1000)
    change = KeywordChange(keyword=wanted, whole_word=fields.flag("whole_word", default=True))
    changed = microblog.filters.change(viewer, path_id(filter_id), keywords=[change])
    return _keyword_entity(changed.keywords[-1])


filter_routes = [
    list_filters,
    show_filter,
    create_filter,
    change_filter,
    delete_filter,
    filter_keywords,
    add_filter_keyword,
]
