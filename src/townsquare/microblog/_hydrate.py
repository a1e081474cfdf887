"""Turning post rows into `PostView`s for one viewer, in a fixed number of queries.

This is where the visibility port is asked. Every surface that shows posts comes through
`hydrate`, so there is exactly one filter.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, literal, select, union_all

from townsquare.microblog._access import can_read, hidden_account_ids
from townsquare.microblog._attachments import media_of_posts
from townsquare.microblog._batches import key_batches, page_views
from townsquare.microblog._context import Context
from townsquare.microblog._models import Account, Page, Post, PostView
from townsquare.microblog._polls import poll_views
from townsquare.microblog._rows import (
    ACCOUNT_COLUMNS,
    POST_COLUMNS,
    account_from_values,
    post_from_values,
)
from townsquare.microblog._visibility import Presentation, Surface
from townsquare.storage import Prebuilt, member_of
from townsquare.storage.tables import (
    accounts,
    bookmarks,
    favourites,
    pins,
    post_mentions,
    post_tags,
    posts,
    tags,
)

__all__ = ["accounts_by_id", "fetch_views", "hydrate"]

_View = TypeVar("_View")


def hydrate(
    conn: Connection,
    context: Context,
    viewer_id: int | None,
    rows: Sequence[Post],
    surface: Surface,
    *,
    keep_hidden: bool = False,
) -> list[PostView]:
    """Views of `rows`, in order, without what the viewer may not see.

    Dropped: posts (or the originals of reposts) by accounts the viewer blocks or mutes or who
    block them, followers-only posts outside their audience, and posts the visibility port
    hides on this surface — unless `keep_hidden`, used when a post is opened by its link, so
    the caller can show the port's tombstone.
    """
    hidden_authors = hidden_account_ids(conn, viewer_id)
    originals = _load_posts(conn, [p.reblog_of_id for p in rows if p.reblog_of_id])
    shown = [originals.get(p.reblog_of_id, p) if p.reblog_of_id else p for p in rows]
    quoted = _load_posts(conn, [p.quote_of_id for p in shown if p.quote_of_id])
    contents = [*shown, *quoted.values()]
    content_ids = [p.id for p in contents]
    mentions = _mentions(conn, content_ids)
    authors = accounts_by_id(
        conn,
        [p.account_id for p in rows]
        + [p.account_id for p in contents]
        + [a for ids in mentions.values() for a in ids],
    )
    flags = _viewer_flags(conn, viewer_id, content_ids)
    asked = [p.id for p in contents if p.has_poll]  # pages without a poll read no poll table
    polls = poll_views(conn, viewer_id, asked, context.clock.now()) if asked else {}
    presentations = context.visibility.presentations(conn, viewer_id, content_ids, surface)
    tag_names = _tags(conn, content_ids)
    media = media_of_posts(conn, content_ids)

    def view_of(post: Post) -> PostView:
        return PostView(
            post=post,
            author=authors[post.account_id],
            mentions=tuple(authors[a] for a in mentions.get(post.id, ()) if a in authors),
            tags=tag_names.get(post.id, ()),
            media=media.get(post.id, ()),
            favourited=post.id in flags.get(_LIKED, ()),
            reblogged=post.id in flags.get(_REPOSTED, ()),
            bookmarked=post.id in flags.get(_BOOKMARKED, ()),
            pinned=post.id in flags.get(_PINNED, ()),
            poll=polls.get(post.id),
            presentation=presentations[post.id],
        )

    def content_view(post: Post) -> PostView:
        view = view_of(post)
        quote = quoted.get(post.quote_of_id) if post.quote_of_id else None
        # A quote the port hides is left out, not embedded: the port's word holds inside
        # other posts too.
        if (
            quote is None
            or not presentations[quote.id].visible
            or not _audience(conn, viewer_id, quote, hidden_authors)
        ):
            return view
        return replace(view, quote=view_of(quote))

    views: list[PostView] = []
    for row, content in zip(rows, shown, strict=True):
        if content.id not in presentations or not _audience(
            conn, viewer_id, content, hidden_authors
        ):
            continue
        if row.account_id in hidden_authors:
            continue
        if not presentations[content.id].visible and not keep_hidden:
            continue
        inner = content_view(content)
        if row.reblog_of_id is None:
            views.append(inner)
        else:
            views.append(PostView(post=row, author=authors[row.account_id], reblog=inner))
    return views


def _audience(
    conn: Connection, viewer_id: int | None, post: Post, hidden_authors: frozenset[int]
) -> bool:
    if post.account_id in hidden_authors:
        return False
    if post.visibility.is_open:
        return True
    return can_read(conn, viewer_id, post)


_POSTS = Prebuilt(select(*POST_COLUMNS).where(member_of(posts.c.id, "ids")))
_ACCOUNTS = Prebuilt(select(*ACCOUNT_COLUMNS).where(member_of(accounts.c.id, "ids")))
_MENTIONS = Prebuilt(
    select(post_mentions.c.post_id, post_mentions.c.account_id).where(
        member_of(post_mentions.c.post_id, "ids")
    )
)
_TAGS = Prebuilt(
    select(post_tags.c.post_id, tags.c.name)
    .join(tags, tags.c.id == post_tags.c.tag_id)
    .where(member_of(post_tags.c.post_id, "ids"))
)
_LIKED, _REPOSTED, _BOOKMARKED, _PINNED = 1, 2, 3, 4
# Which of the posts the viewer liked, reposted, bookmarked and pinned: (flag, post id) rows.
_VIEWER_FLAGS = Prebuilt(
    union_all(
        select(literal(_LIKED), favourites.c.post_id).where(
            favourites.c.account_id == bindparam("viewer"),
            member_of(favourites.c.post_id, "ids"),
        ),
        select(literal(_REPOSTED), posts.c.reblog_of_id).where(
            posts.c.account_id == bindparam("viewer"), member_of(posts.c.reblog_of_id, "ids")
        ),
        select(literal(_BOOKMARKED), bookmarks.c.post_id).where(
            bookmarks.c.account_id == bindparam("viewer"), member_of(bookmarks.c.post_id, "ids")
        ),
        select(literal(_PINNED), pins.c.post_id).where(
            pins.c.account_id == bindparam("viewer"), member_of(pins.c.post_id, "ids")
        ),
    )
)


def _load_posts(conn: Connection, ids: Iterable[int]) -> dict[int, Post]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {r[0]: post_from_values(r) for r in _POSTS.rows(conn, ids=wanted)}


def accounts_by_id(conn: Connection, ids: Iterable[int]) -> dict[int, Account]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {r[0]: account_from_values(r) for r in _ACCOUNTS.rows(conn, ids=wanted)}


def _mentions(conn: Connection, post_ids: Sequence[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    if post_ids:
        for post_id, account_id in _MENTIONS.rows(conn, ids=post_ids):
            found.setdefault(post_id, []).append(account_id)
    return found


def _tags(conn: Connection, post_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    if post_ids:
        for post_id, name in _TAGS.rows(conn, ids=post_ids):
            found.setdefault(post_id, []).append(name)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _viewer_flags(
    conn: Connection, viewer_id: int | None, post_ids: Sequence[int]
) -> dict[int, frozenset[int]]:
    """Which of `post_ids` the viewer has liked, reposted, bookmarked and pinned, by flag
    (one query)."""
    if viewer_id is None or not post_ids:
        return {}
    flagged: dict[int, set[int]] = {}
    for flag, post_id in _VIEWER_FLAGS.rows(conn, viewer=viewer_id, ids=post_ids):
        flagged.setdefault(flag, set()).add(post_id)
    return {flag: frozenset(ids) for flag, ids in flagged.items()}


def fetch_views(
    conn: Connection,
    query: Any,
    id_column: Any,
    page: Page,
    to_views: Callable[[list[Any]], list[_View]],
) -> list[_View]:
    """One page of a newest-first listing of `query`'s rows, keyed by `id_column` (see
    `page_views`)."""
    return page_views(key_batches(conn, query, id_column), page, to_views)


def post_rows_to_views(
    conn: Connection, context: Context, viewer_id: int | None, surface: Surface
) -> Callable[[list[Any]], list[PostView]]:
    """Rows that select `POST_COLUMNS` first, as views."""
    return lambda rows: hydrate(
        conn, context, viewer_id, [post_from_values(r) for r in rows], surface
    )


def presentation_of(view: PostView) -> Presentation:
    return view.shown.presentation
