"""Statuses: posting, reading one and its thread, deleting, reposting and liking.

Every action first loads the post as the viewer sees it, so a post the viewer may not see —
or one the visibility port hides — is a 404 before anything is written.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from litestar import Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from townsquare.api._auth import optional_user, require_user
from townsquare.api._entities import (
    Renderer,
    ScheduledStatusEntity,
    StatusEditEntity,
    StatusEntity,
    StatusSourceEntity,
)
from townsquare.api._errors import InvalidParameterError, RecordNotFoundError
from townsquare.api._fields import BODY, AnyRequest, Fields, parse_id, path_id, query_fields
from townsquare.api._filter_routes import filtered_statuses
from townsquare.api._paging import page_from, paged_response
from townsquare.api._rate_limits import count_attempt
from townsquare.microblog import (
    MAX_ATTACHMENTS,
    MAX_POLL_OPTIONS,
    Account,
    FilterContext,
    LimitedAction,
    Microblog,
    Page,
    PollDraft,
    PostDraft,
    PostEdit,
    PostView,
    PostVisibility,
    SavedPost,
)
from townsquare.settings import Settings

__all__ = ["scheduled_time", "status_routes"]

# Generous bounds on raw text before the microblog counts characters its own way.
_MAX_RAW_TEXT = 20_000
_MAX_IDEMPOTENCY_KEY = 1000


def visible_post(microblog: Microblog, viewer: int | None, raw_id: str) -> PostView:
    """The post as the viewer sees it; hidden by the port or out of reach → 404."""
    view = microblog.timelines.post(viewer, path_id(raw_id))
    if not view.shown.presentation.visible:
        raise RecordNotFoundError("Record not found")
    return view


def _visibility(fields: Fields) -> PostVisibility:
    raw = fields.text("visibility", max_length=20)
    if not raw:
        return PostVisibility.PUBLIC
    try:
        return PostVisibility(raw)
    except ValueError:
        raise InvalidParameterError(
            "visibility must be one of public, unlisted, private or direct."
        ) from None


def _media_ids(fields: Fields) -> tuple[int, ...]:
    ids = []
    for raw in fields.texts("media_ids", max_items=MAX_ATTACHMENTS):
        parsed = parse_id(raw)
        if parsed is None:
            raise InvalidParameterError("media_ids must be a list of media attachment ids.")
        ids.append(parsed)
    return tuple(ids)


def _poll(fields: Fields) -> PollDraft | None:
    """`poll[options][]`, `poll[expires_in]`, `poll[multiple]`, `poll[hide_totals]` (form)
    or the JSON object `poll`; None without one."""
    asked = fields.nested("poll")
    if asked is None:
        return None
    expires_in = asked.integer("expires_in")
    if expires_in is None:
        raise InvalidParameterError("poll[expires_in] is required: how many seconds it is open.")
    return PollDraft(
        options=tuple(asked.texts("options", max_items=MAX_POLL_OPTIONS + 1)),
        expires_in=expires_in,
        multiple=asked.flag("multiple"),
        hide_totals=asked.flag("hide_totals"),
    )


def _language(fields: Fields) -> str | None:
    return (fields.text("language", max_length=20) or "").strip().lower() or None


def scheduled_time(fields: Fields) -> datetime | None:
    """`scheduled_at` as a moment (ISO 8601; UTC when no offset is given), if given."""
    raw = fields.text("scheduled_at", max_length=60)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):  # not a date, or one beyond what a clock shows
        raise InvalidParameterError(
            f"scheduled_at must be an ISO 8601 date and time such as 2027-01-31T18:00:00Z, "
            f"not {raw!r}."
        ) from None


def _draft(fields: Fields) -> PostDraft:
    return PostDraft(
        text=fields.text("status", max_length=_MAX_RAW_TEXT) or "",
        in_reply_to_id=fields.identifier("in_reply_to_id"),
        quote_of_id=fields.identifier("quote_id"),
        spoiler_text=fields.text("spoiler_text", max_length=_MAX_RAW_TEXT) or "",
        sensitive=fields.flag("sensitive"),
        language=_language(fields),
        visibility=_visibility(fields),
        poll=_poll(fields),
        media_ids=_media_ids(fields),
    )


def _edit(fields: Fields, attached: tuple[int, ...]) -> PostEdit:
    """Mastodon's edit: the text and content warning are replaced (a missing content
    warning removes it); sensitivity and language are kept unless given. The media and the
    poll stay as they are: `media_ids` may name the attached ones again (some apps send
    them with every edit), not others."""
    given = _media_ids(fields)
    if given and sorted(given) != sorted(attached):
        raise InvalidParameterError(
            "A post's media cannot be changed by an edit; delete and redraft it instead."
        )
    if fields.nested("poll") is not None:
        raise InvalidParameterError("A poll cannot be changed once asked; its votes stand.")
    return PostEdit(
        text=fields.text("status", max_length=_MAX_RAW_TEXT) or "",
        spoiler_text=fields.text("spoiler_text", max_length=_MAX_RAW_TEXT) or "",
        sensitive=fields.flag("sensitive") if "sensitive" in fields else None,
        language=_language(fields),
    )


@post("/api/v1/statuses", dependencies=BODY, status_code=200, sync_to_thread=True)
def create_status(
    request: AnyRequest, fields: NamedDependency[Fields], microblog: NamedDependency[Microblog]
) -> Response[StatusEntity | ScheduledStatusEntity]:
    """Publish a status (form-encoded or JSON body); rate-limited (X-RateLimit-* headers).
    With an `Idempotency-Key` header used for a status in the last hour, that status is
    returned again and nothing is posted. With `scheduled_at` (at least five minutes
    ahead), the status is kept to be published then, and the ScheduledStatus answered."""
    viewer = require_user(request, microblog, "write:statuses")
    draft = _draft(fields)
    at = scheduled_time(fields)
    if at is not None:
        headers = count_attempt(request, microblog, LimitedAction.POST, viewer)
        scheduled = microblog.scheduled.schedule(viewer, draft, at)
        return Response(Renderer.scheduled(scheduled), headers=headers)
    key = request.headers.get("idempotency-key")
    if key is not None and not 0 < len(key) <= _MAX_IDEMPOTENCY_KEY:
        raise InvalidParameterError(
            f"Idempotency-Key must be 1 to {_MAX_IDEMPOTENCY_KEY} characters long."
        )
    headers = count_attempt(request, microblog, LimitedAction.POST, viewer)
    created = microblog.posts.create(viewer, draft, idempotency_key=key)
    status = Renderer(microblog.links).status(microblog.timelines.post(viewer, created.id))
    return Response(status, headers=headers)


@get("/api/v1/statuses/{status_id:str}", sync_to_thread=True)
def show_status(
    request: AnyRequest, status_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> StatusEntity:
    viewer = optional_user(request, microblog, "read:statuses")
    return Renderer(microblog.links).status(visible_post(microblog, viewer, status_id))


@put("/api/v1/statuses/{status_id:str}", dependencies=BODY, sync_to_thread=True)
def edit_status(
    request: AnyRequest,
    status_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
) -> Response[StatusEntity]:
    """Edit one's own status (form-encoded or JSON body); every earlier version is kept
    (`/history`). Counted with posts against the rate limits."""
    viewer = require_user(request, microblog, "write:statuses")
    view = visible_post(microblog, viewer, status_id)
    change = _edit(fields, tuple(m.id for m in view.media))
    headers = count_attempt(request, microblog, LimitedAction.POST, viewer)
    edited = microblog.posts.edit(viewer, view.post.id, change)
    status = Renderer(microblog.links).status(microblog.timelines.post(viewer, edited.id))
    return Response(status, headers=headers)


@get("/api/v1/statuses/{status_id:str}/history", sync_to_thread=True)
def status_history(
    request: AnyRequest, status_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> list[StatusEditEntity]:
    """Every version of a status, oldest first, the current one last."""
    viewer = optional_user(request, microblog, "read:statuses")
    view = visible_post(microblog, viewer, status_id).shown
    return Renderer(microblog.links).history(view, microblog.posts.history(view.post))


@get("/api/v1/statuses/{status_id:str}/source", sync_to_thread=True)
def status_source(
    request: AnyRequest, status_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> StatusSourceEntity:
    """The text of one's own status as written, for editing it."""
    viewer = require_user(request, microblog, "read:statuses")
    post = visible_post(microblog, viewer, status_id).post
    if post.account_id != viewer:
        raise RecordNotFoundError("Record not found")
    return Renderer.source(post)


@delete("/api/v1/statuses/{status_id:str}", status_code=200, sync_to_thread=True)
def delete_status(
    request: AnyRequest, status_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> StatusEntity:
    """Delete one's own status; answers it with its source `text` (delete and redraft)."""
    viewer = require_user(request, microblog, "write:statuses")
    view = microblog.timelines.post(viewer, path_id(status_id))
    microblog.posts.delete(viewer, view.post.id)
    return Renderer(microblog.links).status(view, source_text=True)


@get("/api/v1/statuses/{status_id:str}/context", sync_to_thread=True)
def status_context(
    request: AnyRequest, status_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> dict[str, list[StatusEntity]]:
    """What the status replies to (oldest first) and the replies below it."""
    viewer = optional_user(request, microblog, "read:statuses")
    thread = microblog.timelines.thread(viewer, path_id(status_id))
    if not thread.post.shown.presentation.visible:
        raise RecordNotFoundError("Record not found")
    around = [*thread.ancestors, *thread.descendants]  # the viewer's filters read once
    statuses = filtered_statuses(microblog, viewer, FilterContext.THREAD, around)
    above = {str(view.post.id) for view in thread.ancestors}
    return {
        "ancestors": [s for s in statuses if s.id in above],
        "descendants": [s for s in statuses if s.id not in above],
    }


@post("/api/v1/statuses/{status_id:str}/reblog", status_code=200, sync_to_thread=True)
def reblog(
    request: AnyRequest, status_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> Response[StatusEntity]:
    """Repost (idempotent); answers the repost, whose `reblog` is the original. Counted
    with posts against the rate limits."""
    viewer = require_user(request, microblog, "write:statuses")
    original = visible_post(microblog, viewer, status_id).shown.post.id
    headers = count_attempt(request, microblog, LimitedAction.POST, viewer)
    wrapper = microblog.posts.reblog(viewer, original)
    status = Renderer(microblog.links).status(microblog.timelines.post(viewer, wrapper.id))
    return Response(status, headers=headers)


def _status_action(
    scope: str, action: str, change: Callable[[Microblog, int, int], object]
) -> HTTPRouteHandler:
    """POST /api/v1/statuses/:id/<action>: `change(microblog, viewer, original_id)`, then
    the original post as the viewer now sees it."""

    def act(
        request: AnyRequest, status_id: FromPath[str], microblog: NamedDependency[Microblog]
    ) -> StatusEntity:
        viewer = require_user(request, microblog, scope)
        original = visible_post(microblog, viewer, status_id).shown.post.id
        change(microblog, viewer, original)
        return Renderer(microblog.links).status(microblog.timelines.post(viewer, original))

    act.__name__ = f"{action}_status"
    act.__doc__ = f"{action.capitalize()} a status (idempotent)."
    return post(
        f"/api/v1/statuses/{{status_id:str}}/{action}",
        status_code=200,
        sync_to_thread=True,
        name=f"{action}_status",
        operation_id=f"{action}Status",
    )(act)


AccountsOfPost = Callable[[Microblog, int | None, int, Page], list[tuple[int, Account]]]


def _accounts_of_post(verb: str, listing: AccountsOfPost) -> HTTPRouteHandler:
    """GET /api/v1/statuses/:id/<verb>: who did it, newest first, paged (Link header)."""

    def accounts(
        request: AnyRequest,
        status_id: FromPath[str],
        microblog: NamedDependency[Microblog],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        viewer = optional_user(request, microblog, "read:statuses")
        post_id = visible_post(microblog, viewer, status_id).shown.post.id
        found = listing(microblog, viewer, post_id, page_from(query_fields(request)))
        renderer = Renderer(microblog.links)
        entities = [renderer.account(account) for _, account in found]
        return paged_response(request, settings.base_url, entities, [key for key, _ in found])

    accounts.__name__ = verb
    accounts.__doc__ = f"The accounts that {verb.replace('_', ' ')} a status, newest first."
    return get(
        f"/api/v1/statuses/{{status_id:str}}/{verb}",
        sync_to_thread=True,
        name=verb,
        operation_id=verb.title().replace("_", ""),
    )(accounts)


SavedListing = Callable[[Microblog, int, Page], list[SavedPost]]


def _saved_statuses(kind: str, listing: SavedListing) -> HTTPRouteHandler:
    """GET /api/v1/<kind>: the statuses the signed-in user saved so (favourites,
    bookmarks), the newest saving first, paged by it (Link header)."""

    def saved(
        request: AnyRequest,
        microblog: NamedDependency[Microblog],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        viewer = require_user(request, microblog, f"read:{kind}")
        found = listing(microblog, viewer, page_from(query_fields(request)))
        statuses = Renderer(microblog.links).statuses(s.view for s in found)
        return paged_response(request, settings.base_url, statuses, [s.saved_id for s in found])

    saved.__name__ = kind
    saved.__doc__ = f"The statuses in the signed-in user's {kind}, the newest first."
    return get(f"/api/v1/{kind}", sync_to_thread=True, name=kind, operation_id=kind)(saved)


status_routes = [
    create_status,
    show_status,
    edit_status,
    status_history,
    status_source,
    delete_status,
    status_context,
    reblog,
    _status_action("write:statuses", "unreblog", lambda m, a, p: m.posts.unreblog(a, p)),
    _status_action("write:favourites", "favourite", lambda m, a, p: m.posts.favourite(a, p)),
    _status_action("write:favourites", "unfavourite", lambda m, a, p: m.posts.unfavourite(a, p)),
    _accounts_of_post("favourited_by", lambda m, v, p, page: m.timelines.favourited_by(v, p, page)),
    _accounts_of_post("reblogged_by", lambda m, v, p, page: m.timelines.reblogged_by(v, p, page)),
    _status_action("write:bookmarks", "bookmark", lambda m, a, p: m.posts.bookmark(a, p)),
    _status_action("write:bookmarks", "unbookmark", lambda m, a, p: m.posts.unbookmark(a, p)),
    _status_action("write:accounts", "pin", lambda m, a, p: m.pins.pin(a, p)),
    _status_action("write:accounts", "unpin", lambda m, a, p: m.pins.unpin(a, p)),
    _saved_statuses("favourites", lambda m, v, page: m.timelines.favourites(v, page)),
    _saved_statuses("bookmarks", lambda m, v, page: m.timelines.bookmarks(v, page)),
]
