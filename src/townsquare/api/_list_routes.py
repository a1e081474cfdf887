"""Lists: the signed-in user's lists of accounts they follow, and each list's timeline
(`/api/v1/lists`, `/api/v1/timelines/list/:id`). A list is its owner's alone: another's
list is a 404, as one that does not exist."""

from typing import Any

import msgspec
from litestar import Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath

from townsquare.api._auth import require_user
from townsquare.api._entities import AccountEntity, Renderer
from townsquare.api._errors import InvalidParameterError
from townsquare.api._fields import BODY, AnyRequest, Fields, parse_id, path_id, query_fields
from townsquare.api._filter_routes import filtered_statuses
from townsquare.api._paging import page_from, paged_response
from townsquare.microblog import (
    MAX_LIST_TITLE,
    AccountList,
    FilterContext,
    Microblog,
    RepliesPolicy,
)
from townsquare.settings import Settings

__all__ = ["ListEntity", "list_routes"]

_MAX_ACCOUNT_IDS = 250
_MAX_MEMBERS_PAGE = 1000


class ListEntity(msgspec.Struct, kw_only=True):
    id: str
    title: str
    replies_policy: str
    exclusive: bool


def _entity(owned: AccountList) -> ListEntity:
    return ListEntity(
        id=str(owned.id),
        title=owned.title,
        replies_policy=owned.replies_policy.value,
        exclusive=False,
    )


def _replies_policy(fields: Fields) -> RepliesPolicy | None:
    raw = fields.text("replies_policy", max_length=20)
    if not raw:
        return None
    try:
        return RepliesPolicy(raw)
    except ValueError:
        raise InvalidParameterError("replies_policy must be list, followed or none.") from None


def _refuse_exclusive(fields: Fields) -> None:
    if fields.flag("exclusive"):
        raise InvalidParameterError(
            "Exclusive lists (hiding their members from the home timeline) are not available "
            "on this server yet."
        )


def _account_ids(fields: Fields) -> list[int]:
    raw = fields.texts("account_ids", max_items=_MAX_ACCOUNT_IDS)
    ids = [parse_id(r) for r in raw]
    if not ids or None in ids:
        raise InvalidParameterError("account_ids must be a list of account ids.")
    return [i for i in ids if i is not None]


@get("/api/v1/lists", sync_to_thread=True)
def lists(request: AnyRequest, microblog: NamedDependency[Microblog]) -> list[ListEntity]:
    """The signed-in user's lists, by title."""
    viewer = require_user(request, microblog, "read:lists")
    return [_entity(owned) for owned in microblog.lists.of(viewer)]


@get("/api/v1/lists/{list_id:str}", sync_to_thread=True)
def show_list(
    request: AnyRequest, list_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> ListEntity:
    viewer = require_user(request, microblog, "read:lists")
    return _entity(microblog.lists.get(viewer, path_id(list_id)))


@post("/api/v1/lists", dependencies=BODY, status_code=200, sync_to_thread=True)
def create_list(
    request: AnyRequest, fields: NamedDependency[Fields], microblog: NamedDependency[Microblog]
) -> ListEntity:
    """A new list named `title`, showing replies as `replies_policy` says (`list`)."""
    viewer = require_user(request, microblog, "write:lists")
    _refuse_exclusive(fields)
    title = fields.required_text("title", max_length=MAX_LIST_TITLE * 4)
    policy = _replies_policy(fields) or RepliesPolicy.LIST
    return _entity(microblog.lists.create(viewer, title, policy))


@put("/api/v1/lists/{list_id:str}", dependencies=BODY, sync_to_thread=True)
def change_list(
    request: AnyRequest,
    list_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
) -> ListEntity:
    """Rename a list or change its `replies_policy`."""
    viewer = require_user(request, microblog, "write:lists")
    _refuse_exclusive(fields)
    changed = microblog.lists.change(
        viewer,
        path_id(list_id),
        title=fields.text("title", max_length=MAX_LIST_TITLE * 4),
        replies_policy=_replies_policy(fields),
    )
    return _entity(changed)


@delete("/api/v1/lists/{list_id:str}", status_code=200, sync_to_thread=True)
def delete_list(
    request: AnyRequest, list_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> dict[str, Any]:
    microblog.lists.delete(require_user(request, microblog, "write:lists"), path_id(list_id))
    return {}


@get("/api/v1/lists/{list_id:str}/accounts", sync_to_thread=True)
def list_members(
    request: AnyRequest, list_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> list[AccountEntity]:
    """The list's accounts, the latest added first (`limit`; 0 for all of them)."""
    viewer = require_user(request, microblog, "read:lists")
    limit = query_fields(request).integer("limit")
    most = _MAX_MEMBERS_PAGE if not limit else max(1, min(limit, _MAX_MEMBERS_PAGE))
    renderer = Renderer(microblog.links)
    members = microblog.lists.members(viewer, path_id(list_id), limit=most)
    return [renderer.account(account) for account in members]


@post(
    "/api/v1/lists/{list_id:str}/accounts",
    dependencies=BODY,
    status_code=200,
    sync_to_thread=True,
)
def add_members(
    request: AnyRequest,
    list_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
) -> dict[str, Any]:
    """Put `account_ids[]` (accounts the user follows) on the list."""
    viewer = require_user(request, microblog, "write:lists")
    microblog.lists.add(viewer, path_id(list_id), _account_ids(fields))
    return {}


@delete(
    "/api/v1/lists/{list_id:str}/accounts",
    dependencies=BODY,
    status_code=200,
    sync_to_thread=True,
)
def remove_members(
    request: AnyRequest,
    list_id: FromPath[str],
    fields: NamedDependency[Fields],
    microblog: NamedDependency[Microblog],
) -> dict[str, Any]:
    """Take `account_ids[]` off the list."""
    viewer = require_user(request, microblog, "write:lists")
    microblog.lists.remove(viewer, path_id(list_id), _account_ids(fields))
    return {}


@get("/api/v1/accounts/{account_id:str}/lists", sync_to_thread=True)
def lists_with_account(
    request: AnyRequest, account_id: FromPath[str], microblog: NamedDependency[Microblog]
) -> list[ListEntity]:
    """The signed-in user's lists that the account is on."""
    viewer = require_user(request, microblog, "read:lists")
    return [_entity(owned) for owned in microblog.lists.containing(viewer, path_id(account_id))]


@get("/api/v1/timelines/list/{list_id:str}", sync_to_thread=True)
def list_timeline(
    request: AnyRequest,
    list_id: FromPath[str],
    microblog: NamedDependency[Microblog],
    settings: NamedDependency[Settings],
) -> Response[Any]:
    """The posts of the list's accounts, newest first, paged (Link header)."""
    viewer = require_user(request, microblog, "read:lists")
    views = microblog.timelines.list_timeline(
        viewer, path_id(list_id), page_from(query_fields(request))
    )
    statuses = filtered_statuses(microblog, viewer, FilterContext.HOME, views)
    return paged_response(request, settings.base_url, statuses, [v.post.id for v in views])


list_routes = [
    lists,
    show_list,
    create_list,
    change_list,
    delete_list,
    list_members,
    add_members,
    remove_members,
    lists_with_account,
    list_timeline,
]
