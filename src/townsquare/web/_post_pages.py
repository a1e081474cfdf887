"""A post in its thread, writing posts (replies and quotes too), and the actions on a post."""

from collections.abc import Callable
from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from townsquare.microblog import (
    Account,
    InvalidPostError,
    LimitedAction,
    Microblog,
    Post,
    PostDraft,
    PostView,
    PostVisibility,
)
from townsquare.web._forms import FormData, optional_int
from townsquare.web._messages import translate_error
from townsquare.web._profile_pages import username_in
from townsquare.web._templates import page
from townsquare.web._visitors import (
    AnyRequest,
    Visitor,
    count_attempt,
    safe_next,
    sign_in_first,
)

__all__ = ["compose", "compose_form", "post_action", "thread", "vote"]


def post_path(view: PostView) -> str:
    return f"/@{view.author.username}/{view.post.id}"


@get("/{handle:str}/{post_id:int}", sync_to_thread=True)
def thread(
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    handle: FromPath[str],
    post_id: FromPath[int],
) -> Response[Any]:
    username = username_in(handle)
    viewer_id = visitor.account_id
    found = microblog.timelines.thread(viewer_id, post_id)
    if found.post.author.username.lower() != username.lower():
        return Redirect(post_path(found.post), status_code=301)
    return page(visitor, "thread.html", thread=found)


def _context_post(microblog: Microblog, viewer: Account, post_id: int | None) -> PostView | None:
    return None if post_id is None else microblog.timelines.post(viewer.id, post_id).shown


def _reply_text(viewer: Account, replying_to: PostView | None) -> str:
    """A reply starts by mentioning who it answers (but not oneself)."""
    if replying_to is None or replying_to.author.id == viewer.id:
        return ""
    return f"@{replying_to.author.username} "


@get("/compose", sync_to_thread=True)
def compose_form(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    in_reply_to: FromQuery[int | None] = None,
    quote_of: FromQuery[int | None] = None,
) -> Response[Any]:
    viewer = visitor.account
    if viewer is None:
        return sign_in_first(request)
    replying_to = _context_post(microblog, viewer, in_reply_to)
    quoting = _context_post(microblog, viewer, quote_of)
    values = {
        "text": _reply_text(viewer, replying_to),
        "spoiler_text": "",
        "visibility": PostVisibility.PUBLIC.value,
        "in_reply_to_id": str(replying_to.post.id) if replying_to else "",
        "quote_of_id": str(quoting.post.id) if quoting else "",
    }
    return page(
        visitor,
        "compose.html",
        values=values,
        error=None,
        replying_to=replying_to,
        quoting=quoting,
    )


def _draft(data: dict[str, str]) -> PostDraft:
    try:
        visibility = PostVisibility(data.get("visibility", "public"))
    except ValueError:
        visibility = PostVisibility.PUBLIC
    return PostDraft(
        text=data.get("text", ""),
        spoiler_text=data.get("spoiler_text", ""),
        visibility=visibility,
        in_reply_to_id=optional_int(data.get("in_reply_to_id")),
        quote_of_id=optional_int(data.get("quote_of_id")),
    )


@post("/compose", sync_to_thread=True)
def compose(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    data: FormData,
) -> Response[Any]:
    """Publish, then go back to the form's page (the home timeline) or to the new post."""
    viewer = visitor.account
    if viewer is None:
        return sign_in_first(request, data.get("next"))
    draft = _draft(data)
    count_attempt(request, microblog, LimitedAction.POST, viewer.id)
    try:
        created = microblog.posts.create(viewer.id, draft)
    except InvalidPostError as refused:
        return page(
            visitor,
            "compose.html",
            status_code=422,
            values=data,
            error=translate_error(str(refused), visitor),
            replying_to=_context_post(microblog, viewer, draft.in_reply_to_id),
            quoting=_context_post(microblog, viewer, draft.quote_of_id),
        )
    return Redirect(
        safe_next(data.get("next"), f"/@{viewer.username}/{created.id}"), status_code=303
    )


def _post_actions(microblog: Microblog) -> dict[str, Callable[[int, int], Post]]:
    posts = microblog.posts
    return {
        "like": posts.favourite,
        "unlike": posts.unfavourite,
        "repost": posts.reblog,
        "unrepost": posts.unreblog,
        "delete": posts.delete,
    }


@post("/posts/{post_id:int}/vote", sync_to_thread=True)
def vote(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    post_id: FromPath[int],
    data: FormData,
) -> Response[Any]:
    """Vote in a post's poll (`choice`, or `choice_N` for each option of a poll allowing
    several), then go back where the form was."""
    viewer = visitor.account
    if viewer is None:
        return sign_in_first(request, data.get("next"))
    view = microblog.timelines.post(viewer.id, post_id)
    if not view.presentation.visible:
        raise NotFoundException("No such post.")
    picked = [v for k, v in data.items() if k == "choice" or k.startswith("choice_")]
    choices = [int(v) for v in picked if v.isascii() and v.isdigit() and len(v) < 3]
    microblog.polls.vote(viewer.id, post_id, choices)
    return Redirect(safe_next(data.get("next")), status_code=303)


@post("/posts/{post_id:int}/{action:str}", sync_to_thread=True)
def post_action(
    request: AnyRequest,
    visitor: NamedDependency[Visitor],
    microblog: NamedDependency[Microblog],
    post_id: FromPath[int],
    action: FromPath[str],
    data: FormData,
) -> Response[Any]:
    """Like, unlike, repost, unrepost or delete, then go back where the form was."""
    viewer = visitor.account
    if viewer is None:
        return sign_in_first(request, data.get("next"))
    act = _post_actions(microblog).get(action)
    if act is None:
        raise NotFoundException(f"There is no post action {action!r}.")
    if action == "repost":  # reposts count with posts
        count_attempt(request, microblog, LimitedAction.POST, viewer.id)
    act(viewer.id, post_id)
    back = safe_next(data.get("next"))
    if action == "delete" and back.rstrip("/").endswith(f"/{post_id}"):
        back = f"/@{viewer.username}"  # the page the form was on is gone
    return Redirect(back, status_code=303)
