"""Reading: home, public, hashtag, profile and thread timelines, and single posts."""

from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, Table, bindparam, exists, func, select

from townsquare.kernel import snowflake_floor, snowflake_time
from townsquare.microblog._access import can_read, hidden_account_ids
from townsquare.microblog._batches import KeyListing, page_views
from townsquare.microblog._context import Context
from townsquare.microblog._counting import holds_at_least
from townsquare.microblog._errors import PostNotFoundError
from townsquare.microblog._home_feed import home_posts
from townsquare.microblog._hydrate import fetch_views, hydrate, post_rows_to_views
from townsquare.microblog._lists import list_posts, owned_list
from townsquare.microblog._models import Account, Page, Post, PostView, PostVisibility
from townsquare.microblog._posts import load_post
from townsquare.microblog._rows import (
    ACCOUNT_COLUMNS,
    POST_COLUMNS,
    account_from_values,
    post_from_row,
)
from townsquare.microblog._text import parse_text
from townsquare.microblog._visibility import Surface
from townsquare.storage.tables import (
    accounts,
    bookmarks,
    favourites,
    media_attachments,
    post_tags,
    posts,
    tags,
)

__all__ = ["SavedPost", "Thread", "Timelines"]

_MAX_ANCESTORS = 40
_MAX_DESCENDANTS = 500
# The home timeline looks at the newest posts first, in widening windows (see `_page_recent`).
_RECENT_WINDOWS = (timedelta(days=1), timedelta(days=7), timedelta(days=30))


def _tag_name(tag: str) -> str:
    """The stored name of `tag`, however it is typed ('#Élection', 'ÉLECTION', ...).

    The name goes through the same parser that stored it (case-folded, NFC), so the lookup
    and the stored form cannot disagree. Text that does not start with a tag matches nothing.
    """
    parsed = parse_text(f"#{tag.strip().lstrip('#')}").hashtags
    return parsed[0] if parsed else ""


# Ids of the posts tagged with the parameter `tag` (a stored name, `_tag_name`).
_TAGGED = (
    select(post_tags.c.post_id)
    .join(tags, tags.c.id == post_tags.c.tag_id)
    .where(tags.c.name == bindparam("tag"))
)
_HASHTAG = KeyListing(
    select(*POST_COLUMNS).where(
        posts.c.id.in_(_TAGGED), posts.c.visibility == PostVisibility.PUBLIC.value
    ),
    posts.c.id,
)


# Whether a post has media: an indexed probe of the attachments by post.
_HAS_MEDIA = exists().where(media_attachments.c.post_id == posts.c.id)


@cache
def _profile(
    exclude_replies: bool, exclude_reblogs: bool, *, tagged: bool, only_media: bool = False
) -> KeyListing:
    """The posts and reposts of the account given as `author` (tagged `tag`, if `tagged`;
    only those with media attached, if `only_media`)."""
    query = select(*POST_COLUMNS).where(posts.c.account_id == bindparam("author"))
    if only_media:
        query = query.where(_HAS_MEDIA)
    if exclude_replies:
        query = query.where(posts.c.in_reply_to_id.is_(None))
    if exclude_reblogs:
        query = query.where(posts.c.reblog_of_id.is_(None))
    if tagged:
        query = query.where(posts.c.id.in_(_TAGGED))
    return KeyListing(query, posts.c.id)


# Every public post, newest first (reposts are not repeated there).
_PUBLIC_POSTS = select(*POST_COLUMNS).where(
    posts.c.visibility == PostVisibility.PUBLIC.value, posts.c.reblog_of_id.is_(None)
)
_PUBLIC = KeyListing(_PUBLIC_POSTS, posts.c.id)
_PUBLIC_WITH_MEDIA = KeyListing(_PUBLIC_POSTS.where(_HAS_MEDIA), posts.c.id)


@cache
def _saved_by(table: Table) -> KeyListing:
    """The posts the account given as `viewer` saved in `table` (its favourites or its
    bookmarks), the saving's id first: lists of saved posts page by when they were saved."""
    return KeyListing(
        select(table.c.id, *POST_COLUMNS)
        .join_from(table, posts, posts.c.id == table.c.post_id)
        .where(table.c.account_id == bindparam("viewer")),
        table.c.id,
    )


# Who favourited the post given as `post`, by the favourite's id.
_FAVOURITED_BY = KeyListing(
    select(favourites.c.id, *ACCOUNT_COLUMNS)
    .join_from(favourites, accounts, accounts.c.id == favourites.c.account_id)
    .where(favourites.c.post_id == bindparam("post")),
    favourites.c.id,
)
# Who reposted the post given as `post`, by the repost's id.
_REBLOGGED_BY = KeyListing(
    select(posts.c.id, *ACCOUNT_COLUMNS)
    .join_from(posts, accounts, accounts.c.id == posts.c.account_id)
    .where(posts.c.reblog_of_id == bindparam("post")),
    posts.c.id,
)


@dataclass(frozen=True)
class SavedPost:
    """A post in one of the viewer's lists of saved posts, with the id of the saving (what
    the list pages by)."""

    saved_id: int
    view: PostView


@dataclass(frozen=True)
class Thread:
    """A post in its conversation: what it replies to (oldest first) and the replies below it
    (depth first, in the order they were written)."""

    ancestors: tuple[PostView, ...]
    post: PostView
    descendants: tuple[PostView, ...]


class Timelines:
    def __init__(self, context: Context) -> None:
        self._ctx = context

    def home(self, viewer_id: int, page: Page) -> list[PostView]:
        """Posts and reposts by the accounts the viewer follows, and their own (`home_posts`
        says which), read from the viewer's materialised feed (`_home_feed.py`): built on the
        first read, the posts table below its floor."""
        feeds = self._ctx.feeds
        with self._ctx.db.read() as c:
            floor = feeds.floor(c, viewer_id)
        if floor is None:
            with self._ctx.db.write() as c:
                floor = feeds.build(c, viewer_id)
        lower = page.min_id if page.min_id is not None else page.since_id
        if lower is not None and lower < floor:  # reaching below the feed: all from posts
            return self.home_from_posts(viewer_id, page)
        with self._ctx.db.read() as c:
            to_views = post_rows_to_views(c, self._ctx, viewer_id, Surface.HOME)
            found = page_views(feeds.batches(c, viewer_id, floor), page, to_views)
        if len(found) >= page.limit or floor == 0 or lower is not None:
            return found
        upper = floor + 1 if page.max_id is None else min(page.max_id, floor + 1)
        below = replace(page, limit=page.limit - len(found), max_id=upper)
        return found + self.home_from_posts(viewer_id, below)

    def home_from_posts(self, viewer_id: int, page: Page) -> list[PostView]:
        """The home timeline from the posts table alone: what the feed must always agree
        with, and where pages below a feed's floor come from."""
        return self._page_recent(home_posts(viewer_id), viewer_id, page, Surface.HOME)

    def public(
        self, viewer_id: int | None, page: Page, *, only_media: bool = False
    ) -> list[PostView]:
        """Every public post (with media attached, if `only_media`), newest first (reposts
        are not repeated here)."""
        listing = _PUBLIC_WITH_MEDIA if only_media else _PUBLIC
        with self._ctx.db.read() as c:
            to_views = post_rows_to_views(c, self._ctx, viewer_id, Surface.PUBLIC)
            return page_views(listing.batches(c), page, to_views)

    def hashtag(self, viewer_id: int | None, tag: str, page: Page) -> list[PostView]:
        with self._ctx.db.read() as c:
            to_views = post_rows_to_views(c, self._ctx, viewer_id, Surface.HASHTAG)
            return page_views(_HASHTAG.batches(c, tag=_tag_name(tag)), page, to_views)

    def profile(
        self,
        viewer_id: int | None,
        account_id: int,
        page: Page,
        *,
        exclude_replies: bool = False,
        exclude_reblogs: bool = False,
        tagged: str | None = None,
        only_media: bool = False,
    ) -> list[PostView]:
        """An account's posts and reposts; followers-only ones only for its audience.
        `only_media`: its own posts with media attached (reposts carry none)."""
        listing = _profile(
            exclude_replies, exclude_reblogs, tagged=bool(tagged), only_media=only_media
        )
        with self._ctx.db.read() as c:
            to_views = post_rows_to_views(c, self._ctx, viewer_id, Surface.PROFILE)
            tag = _tag_name(tagged) if tagged else ""
            return page_views(listing.batches(c, author=account_id, tag=tag), page, to_views)

    def list_timeline(self, viewer_id: int, list_id: int, page: Page) -> list[PostView]:
        """The posts of a list the viewer owns (`list_posts`), newest first; another's list
        is not found."""
        with self._ctx.db.read() as c:
            owned = owned_list(c, viewer_id, list_id)
        return self._page_recent(list_posts(owned), viewer_id, page, Surface.HOME)

    def favourites(self, viewer_id: int, page: Page) -> list[SavedPost]:
        """The posts the viewer favourited, the newest favourite first."""
        return self._saved(favourites, viewer_id, page)

    def bookmarks(self, viewer_id: int, page: Page) -> list[SavedPost]:
        """The posts the viewer bookmarked, the newest bookmark first."""
        return self._saved(bookmarks, viewer_id, page)

    def _saved(self, table: Table, viewer_id: int, page: Page) -> list[SavedPost]:
        """A list of saved posts. It shows what the post's link would (`Surface.LINK`): the
        viewer chose each one; what the port hides there is left out."""
        with self._ctx.db.read() as c:
            to_views = post_rows_to_views(c, self._ctx, viewer_id, Surface.LINK)

            def to_saved(rows: list[Any]) -> list[SavedPost]:
                saved_ids = {row[1]: row[0] for row in rows}
                views = to_views([row[1:] for row in rows])
                return [SavedPost(saved_ids[v.post.id], v) for v in views]

            return page_views(_saved_by(table).batches(c, viewer=viewer_id), page, to_saved)

    def favourited_by(
        self, viewer_id: int | None, post_id: int, page: Page
    ) -> list[tuple[int, Account]]:
        """Who favourited a post the viewer can see, each with the favourite's id (what the
        list pages by); accounts the viewer blocks or mutes, or who block them, left out."""
        return self._accounts_of(_FAVOURITED_BY, viewer_id, post_id, page)

    def reblogged_by(
        self, viewer_id: int | None, post_id: int, page: Page
    ) -> list[tuple[int, Account]]:
        """Who reposted a post the viewer can see, each with the repost's id."""
        return self._accounts_of(_REBLOGGED_BY, viewer_id, post_id, page)

    def _accounts_of(
        self, listing: KeyListing, viewer_id: int | None, post_id: int, page: Page
    ) -> list[tuple[int, Account]]:
        with self._ctx.db.read() as c:
            if not self._one(c, viewer_id, post_id).shown.presentation.visible:
                raise PostNotFoundError(f"No post has id {post_id}.")
            hidden = hidden_account_ids(c, viewer_id)

            def to_accounts(rows: list[Any]) -> list[tuple[int, Account]]:
                found = ((row[0], account_from_values(row[1:])) for row in rows)
                return [(key, account) for key, account in found if account.id not in hidden]

            return page_views(listing.batches(c, post=post_id), page, to_accounts)

    def post(self, viewer_id: int | None, post_id: int) -> PostView:
        """One post opened by its link. A post the port hides comes back with its tombstone
        (`presentation.visible` False); a post the viewer may not read at all is not found."""
        with self._ctx.db.read() as c:
            return self._one(c, viewer_id, post_id)

    def thread(self, viewer_id: int | None, post_id: int) -> Thread:
        with self._ctx.db.read() as c:
            focus = self._one(c, viewer_id, post_id)
            root = focus.shown.post
            ancestors = self._ancestors(c, root)
            descendants = self._descendants(c, root.id)
            return Thread(
                ancestors=tuple(hydrate(c, self._ctx, viewer_id, ancestors, Surface.THREAD)),
                post=focus,
                descendants=tuple(hydrate(c, self._ctx, viewer_id, descendants, Surface.THREAD)),
            )

    def _one(self, c: Connection, viewer_id: int | None, post_id: int) -> PostView:
        post = load_post(c, post_id)
        if not can_read(c, viewer_id, post):
            raise PostNotFoundError(f"No post has id {post_id}.")
        views = hydrate(c, self._ctx, viewer_id, [post], Surface.LINK, keep_hidden=True)
        if not views:
            raise PostNotFoundError(f"No post has id {post_id}.")
        return views[0]

    def _page(
        self, query: Select[tuple[object, ...]], viewer_id: int | None, page: Page, surface: Surface
    ) -> list[PostView]:
        with self._ctx.db.read() as c:
            to_views = post_rows_to_views(c, self._ctx, viewer_id, surface)
            return fetch_views(c, query, posts.c.id, page, to_views)

    def _page_recent(
        self, query: Select[tuple[object, ...]], viewer_id: int, page: Page, surface: Surface
    ) -> list[PostView]:
        """`_page` for a listing merged from many accounts' posts (home).

        Sorting every post the followed accounts ever wrote to keep the newest twenty took
        50 ms a page with a million posts (bench/README.md). Reading above a recent floor
        (`_recent_floors`) sorts only that slice; if filters leave the page short, the slice
        below is read next, and so on: each is older than the one before, so the answer is
        the same as without floors.
        """
        if page.min_id is not None or page.since_id is not None:
            return self._page(query, viewer_id, page, surface)
        with self._ctx.db.read() as c:
            to_views = post_rows_to_views(c, self._ctx, viewer_id, surface)
            found: list[PostView] = []
            upper = page.max_id
            for floor in self._recent_floors(c, query, page):
                recent = query if floor is None else query.where(posts.c.id > floor)
                wanted = replace(page, limit=page.limit - len(found), max_id=upper)
                found.extend(fetch_views(c, recent, posts.c.id, wanted, to_views))
                if len(found) >= page.limit or floor is None:
                    break
                upper = floor + 1  # the next slice: ids up to and including this floor
            return found

    @staticmethod
    def _recent_floors(
        c: Connection, query: Select[tuple[object, ...]], page: Page
    ) -> list[int | None]:
        """Id floors to read above, newest first, ending with None (no floor). The first is
        the nearest of a day, a week or a month below the page's upper bound whose slice
        holds a full page of candidates; each probe reads ids only and stops at a page."""
        top = page.max_id or c.scalar(select(func.max(posts.c.id)))
        if top is None:
            return [None]
        newest = snowflake_time(top)
        floors = [snowflake_floor(newest - window) for window in _RECENT_WINDOWS]
        for i, floor in enumerate(floors):
            probe = query.with_only_columns(posts.c.id).where(posts.c.id > floor)
            if page.max_id is not None:
                probe = probe.where(posts.c.id < page.max_id)
            if holds_at_least(c, probe, page.limit):
                return [*floors[i:], None]
        return [None]

    @staticmethod
    def _ancestors(c: Connection, post: Post) -> list[Post]:
        chain: list[Post] = []
        parent_id = post.in_reply_to_id
        while parent_id is not None and len(chain) < _MAX_ANCESTORS:
            row = c.execute(select(posts).where(posts.c.id == parent_id)).first()
            if row is None:
                break
            parent = post_from_row(row)
            chain.append(parent)
            parent_id = parent.in_reply_to_id
        chain.reverse()
        return chain

    @staticmethod
    def _descendants(c: Connection, root_id: int) -> list[Post]:
        """Replies below `root_id`, depth first, each level in the order written."""
        children: dict[int, list[Post]] = {}
        frontier = [root_id]
        total = 0
        while frontier and total < _MAX_DESCENDANTS:
            rows = c.execute(
                select(posts).where(posts.c.in_reply_to_id.in_(frontier)).order_by(posts.c.id)
            )
            found = [post_from_row(r) for r in rows]
            for reply in found:
                children.setdefault(reply.in_reply_to_id or 0, []).append(reply)
            total += len(found)
            frontier = [p.id for p in found]
        ordered: list[Post] = []
        stack = list(reversed(children.get(root_id, [])))
        while stack and len(ordered) < _MAX_DESCENDANTS:
            reply = stack.pop()
            ordered.append(reply)
            stack.extend(reversed(children.get(reply.id, [])))
        return ordered
