"""Profiles at `/@handle`, and following, blocking and muting their owners."""

from collections.abc import Callable
from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from townsquare.microblog import LimitedAction, Microblog, Page, Relationship
from townsquare.web._forms import FormData
from townsquare.web._templates import page
from townsquare.web._timeline_pages import older_than
from townsquare.web._visitors import (
    AnyRequest,
    Visitor,
    count_attempt,
    safe_next,
    sign_in_first,
)

__all__ = ["account_action", "profile", "username_in"]


def username_in(handle: str) -> str:
    """The username of a `@handle` path segment; any other segment is no page of ours."""
    if not handle.startswith("@") or len(handle) < 2:
        raise NotFoundException(f"There is no page at /{handle}.")
    return handle[1:]


@get("/{handle:str}", sync_to_thread=True)
def profile(
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    handle: FromPath[str],
    max_id: FromQuery[int | None] = None,
) -> Response[Any]:
    account = microblog.accounts.by_username(username_in(handle))
    viewer = visitor.account
    relationship = None
    if viewer is not None and viewer.id != account.id:
        relationship = microblog.graph.relationship(viewer.id, account.id)
    posts = microblog.timelines.profile(
        viewer.id if viewer else None, account.id, Page(max_id=max_id)
    )
    return page(
        visitor,
        "profile.html",
        account=account,
        relationship=relationship,
        posts=posts,
        older=older_than([view.post.id for view in posts]),
    )


def _graph_actions(microblog: Microblog) -> dict[str, Callable[[int, int], Relationship]]:
    graph = microblog.graph
    return {
        "follow": graph.follow,
        "unfollow": graph.unfollow,
        "block": graph.block,
        "unblock": graph.unblock,
        "mute": graph.mute,
        "unmute": graph.unmute,
        "authorize": graph.authorize,  # the account's request to follow the visitor
        "reject": graph.reject,
    }


@post("/accounts/{account_id:int}/{action:str}", sync_to_thread=True)
def account_action(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    account_id: FromPath[int],
    action: FromPath[str],
    data: FormData,
) -> Response[Any]:
    """Follow (or ask to), unfollow, block, unblock, mute or unmute, approve or refuse the
    account's request to follow the visitor, then go back where the form was."""
    viewer = visitor.account
    if viewer is None:
        return sign_in_first(request, data.get("next"))
    act = _graph_actions(microblog).get(action)
    if act is None:
        raise NotFoundException(f"There is no account action {action!r}.")
    if action == "follow":
        count_attempt(request, microblog, LimitedAction.FOLLOW, viewer.id)
    act(viewer.id, account_id)
    return Redirect(safe_next(data.get("next")), status_code=303)
