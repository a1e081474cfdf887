"""Pages that list posts: home, public, hashtag; and the notifications page.

Signed in, home is the visitor's timeline. Anonymous, it is the front door: two lines on
what makes this place different, the links to see it for oneself, and the public posts.
"""

from collections.abc import Sequence
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from townsquare.microblog import DEFAULT_PAGE_SIZE, Microblog, Page, PostView
from townsquare.web._templates import page
from townsquare.web._visitors import AnyRequest, Visitor, sign_in_first

__all__ = ["home", "notifications", "public", "tag"]


def older_than(ids: Sequence[int]) -> int | None:
    """The `max_id` of the next, older page, when this page was full."""
    return ids[-1] if len(ids) >= DEFAULT_PAGE_SIZE else None


def _post_ids(posts: Sequence[PostView]) -> list[int]:
    return [view.post.id for view in posts]


def _timeline(
    visitor: Visitor,
    heading: str,
    posts: list[PostView],
    *,
    empty: str,
    with_compose: bool = False,
    intro: bool = False,
) -> Response[Any]:
    """A page of posts, newest first, with the link to older ones."""
    return page(
        visitor,
        "timeline.html",
        heading=heading,
        posts=posts,
        older=older_than(_post_ids(posts)),
        with_compose=with_compose,
        intro=intro,
        empty=empty,
    )


@get("/", sync_to_thread=True)
def home(
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    max_id: FromQuery[int | None] = None,
) -> Response[Any]:
    account = visitor.account
    if account is None:
        return _timeline(
            visitor,
            "Townsquare",
            microblog.timelines.public(None, Page(max_id=max_id)),
            empty=visitor.gettext("No public posts yet."),
            intro=True,
        )
    return _timeline(
        visitor,
        visitor.gettext("Home"),
        microblog.timelines.home(account.id, Page(max_id=max_id)),
        empty=visitor.gettext("Nothing here yet. Follow people or write your first post."),
        with_compose=True,
    )


@get("/public", sync_to_thread=True)
def public(
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    max_id: FromQuery[int | None] = None,
) -> Response[Any]:
    return _timeline(
        visitor,
        visitor.gettext("Public timeline"),
        microblog.timelines.public(visitor.account_id, Page(max_id=max_id)),
        empty=visitor.gettext("No public posts yet."),
    )


@get("/tags/{name:str}", sync_to_thread=True)
def tag(
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    name: FromPath[str],
    max_id: FromQuery[int | None] = None,
) -> Response[Any]:
    return _timeline(
        visitor,
        f"#{name.lstrip('#')}",
        microblog.timelines.hashtag(visitor.account_id, name, Page(max_id=max_id)),
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
    asking = microblog.graph.follow_requests(account.id, Page(limit=40)) if max_id is None else []
    return page(
        visitor,
        "notifications.html",
        notifications=found,
        requests=[requester for _, requester in asking],
        older=older_than([n.id for n in found]),
    )
