"""Turning post rows into `PostView`s for one viewer, in a fixed number of queries.

This is where the visibility port is asked. Every surface that shows posts comes through
`hydrate`, so there is exactly one filter.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, and_, select

from townsquare.microblog._access import can_read, hidden_account_ids
from townsquare.microblog._batches import key_batches, page_views
from townsquare.microblog._context import Context
from townsquare.microblog._models import Account, Page, Post, PostView, PostVisibility
from townsquare.microblog._rows import account_from_row, post_from_row
from townsquare.microblog._visibility import Presentation, Surface
from townsquare.storage.tables import accounts, favourites, post_mentions, post_tags, posts, tags

__all__ = ["fetch_views", "hydrate"]

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
    authors = _accounts(
        conn,
        [p.account_id for p in rows]
        + [p.account_id for p in contents]
        + [a for ids in mentions.values() for a in ids],
    )
    flags = _viewer_flags(conn, viewer_id, content_ids)
    presentations = context.visibility.presentations(conn, viewer_id, content_ids, surface)
    tag_names = _tags(conn, content_ids)

    def view_of(post: Post) -> PostView:
        return PostView(
            post=post,
            author=authors[post.account_id],
            mentions=tuple(authors[a] for a in mentions.get(post.id, ()) if a in authors),
            tags=tag_names.get(post.id, ()),
            favourited=post.id in flags[0],
            reblogged=post.id in flags[1],
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
        return _with_quote(view, view_of(quote))

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


def _with_quote(view: PostView, quote: PostView) -> PostView:
    return PostView(
        post=view.post,
        author=view.author,
        quote=quote,
        mentions=view.mentions,
        tags=view.tags,
        favourited=view.favourited,
        reblogged=view.reblogged,
        presentation=view.presentation,
    )


def _audience(
    conn: Connection, viewer_id: int | None, post: Post, hidden_authors: frozenset[int]
) -> bool:
    if post.account_id in hidden_authors:
        return False
    if post.visibility != PostVisibility.PRIVATE:
        return True
    return can_read(conn, viewer_id, post)


def _load_posts(conn: Connection, ids: Iterable[int]) -> dict[int, Post]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {
        r.id: post_from_row(r) for r in conn.execute(select(posts).where(posts.c.id.in_(wanted)))
    }


def _accounts(conn: Connection, ids: Iterable[int]) -> dict[int, Account]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = conn.execute(select(accounts).where(accounts.c.id.in_(wanted)))
    return {r.id: account_from_row(r) for r in rows}


def _mentions(conn: Connection, post_ids: Sequence[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    if post_ids:
        query = select(post_mentions).where(post_mentions.c.post_id.in_(post_ids))
        for r in conn.execute(query):
            found.setdefault(r.post_id, []).append(r.account_id)
    return found


def _tags(conn: Connection, post_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    if post_ids:
        query = (
            select(post_tags.c.post_id, tags.c.name)
            .join(tags, tags.c.id == post_tags.c.tag_id)
            .where(post_tags.c.post_id.in_(post_ids))
        )
        for r in conn.execute(query):
            found.setdefault(r.post_id, []).append(r.name)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _viewer_flags(
    conn: Connection, viewer_id: int | None, post_ids: Sequence[int]
) -> tuple[frozenset[int], frozenset[int]]:
    """Which of `post_ids` the viewer has liked, and which they have reposted."""
    if viewer_id is None or not post_ids:
        return frozenset(), frozenset()
    liked = conn.scalars(
        select(favourites.c.post_id).where(
            and_(favourites.c.account_id == viewer_id, favourites.c.post_id.in_(post_ids))
        )
    )
    reposted = conn.scalars(
        select(posts.c.reblog_of_id).where(
            and_(posts.c.account_id == viewer_id, posts.c.reblog_of_id.in_(post_ids))
        )
    )
    return frozenset(liked), frozenset(x for x in reposted if x is not None)


def fetch_views(
    conn: Connection,
    query: Any,
    id_column: Any,
    page: Page,
    to_views: Callable[[list[Row[Any]]], list[_View]],
) -> list[_View]:
    """One page of a newest-first listing of `query`'s rows, keyed by `id_column` (see
    `page_views`)."""
    return page_views(key_batches(conn, query, id_column), page, to_views)


def post_rows_to_views(
    conn: Connection, context: Context, viewer_id: int | None, surface: Surface
) -> Callable[[list[Row[Any]]], list[PostView]]:
    return lambda rows: hydrate(conn, context, viewer_id, [post_from_row(r) for r in rows], surface)


def presentation_of(view: PostView) -> Presentation:
    return view.shown.presentation
