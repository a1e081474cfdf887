"""Pages that list posts: home, public, hashtag; and the notifications page."""

from collections.abc import Sequence
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from townsquare.microblog import DEFAULT_PAGE_SIZE, Microblog, Page, PostView
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, Visitor, sign_in_first

__all__ = ["home", "notifications", "public", "tag"]


def older_than(ids: Sequence[int]) -> int | None:
    """The `max_id` of the next, older page, when this page was full."""
    return ids[-1] if len(ids) >= DEFAULT_PAGE_SIZE else None


def _post_ids(posts: Sequence[PostView]) -> list[int]:
    return [view.post.id for view in posts]


@get("/", sync_to_thread=True)
def home(
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    max_id: FromQuery[int | None] = None,
) -> Response[Any]:
    account = visitor.account
    if account is None:
        return Redirect("/public", status_code=303)
    posts = microblog.timelines.home(account.id, Page(max_id=max_id))
    return page(
        visitor,
        "timeline.html",
        heading=visitor.gettext("Home"),
        posts=posts,
        older=older_than(_post_ids(posts)),
        with_compose=True,
        empty=visitor.gettext("Nothing here yet. Follow people or write your first post."),
    )


@get("/public", sync_to_thread=True)
def public(
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    max_id: FromQuery[int | None] = None,
) -> Response[Any]:
    viewer_id = visitor.account.id if visitor.account else None
    posts = microblog.timelines.public(viewer_id, Page(max_id=max_id))
    return page(
        visitor,
        "timeline.html",
        heading=visitor.gettext("Public timeline"),
        posts=posts,
        older=older_than(_post_ids(posts)),
        with_compose=False,
        empty=visitor.gettext("No public posts yet."),
    )


@get("/tags/{name:str}", sync_to_thread=True)
def tag(
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    name: FromPath[str],
    max_id: FromQuery[int | None] = None,
) -> Response[Any]:
    viewer_id = visitor.account.id if visitor.account else None
    posts = microblog.timelines.hashtag(viewer_id, name, Page(max_id=max_id))
    return page(
        visitor,
        "timeline.html",
        heading=f"#{name.lstrip('#')}",
        posts=posts,
        older=older_than(_post_ids(posts)),
        with_compose=False,
        empty=visitor.gettext("No posts with this hashtag yet."),
    )


@get("/notifications", sync_to_thread=True)
def notifications(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    max_id: FromQuery[int | None] = None,
) -> Response[Any]:
    account = visitor.account
    if account is None:
        return sign_in_first(request)
    found = microblog.notifications.list(account.id, Page(max_id=max_id))
    return page(
        visitor,
        "notifications.html",
        notifications=found,
        older=older_than([n.id for n in found]),
    )
