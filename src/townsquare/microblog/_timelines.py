"""Reading: home, public, hashtag, profile and thread timelines, and single posts."""

from dataclasses import dataclass

from sqlalchemy import Connection, Select, and_, or_, select

from townsquare.microblog._access import can_read
from townsquare.microblog._context import Context
from townsquare.microblog._errors import PostNotFoundError
from townsquare.microblog._hydrate import fetch_views, hydrate, post_rows_to_views
from townsquare.microblog._models import Page, Post, PostView, PostVisibility
from townsquare.microblog._posts import load_post
from townsquare.microblog._rows import post_from_row
from townsquare.microblog._visibility import Surface
from townsquare.storage.tables import follows, post_tags, posts, tags

__all__ = ["Thread", "Timelines"]

_MAX_ANCESTORS = 40
_MAX_DESCENDANTS = 500
_LISTED = (PostVisibility.PUBLIC.value,)


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
        """Posts and reposts by the accounts the viewer follows, and their own.

        A reply shows only when it answers the viewer or someone they follow, so the home
        timeline is not filled with halves of strangers' conversations.
        """
        followed = select(follows.c.target_id).where(follows.c.account_id == viewer_id)
        query = select(posts).where(
            or_(posts.c.account_id.in_(followed), posts.c.account_id == viewer_id),
            or_(
                posts.c.in_reply_to_account_id.is_(None),
                posts.c.in_reply_to_account_id == viewer_id,
                posts.c.in_reply_to_account_id.in_(followed),
            ),
        )
        return self._page(query, viewer_id, page, Surface.HOME)

    def public(self, viewer_id: int | None, page: Page) -> list[PostView]:
        """Every public post, newest first (reposts are not repeated here)."""
        query = select(posts).where(
            and_(posts.c.visibility.in_(_LISTED), posts.c.reblog_of_id.is_(None))
        )
        return self._page(query, viewer_id, page, Surface.PUBLIC)

    def hashtag(self, viewer_id: int | None, tag: str, page: Page) -> list[PostView]:
        tagged = (
            select(post_tags.c.post_id)
            .join(tags, tags.c.id == post_tags.c.tag_id)
            .where(tags.c.name == tag.lower().lstrip("#"))
        )
        query = select(posts).where(and_(posts.c.id.in_(tagged), posts.c.visibility.in_(_LISTED)))
        return self._page(query, viewer_id, page, Surface.HASHTAG)

    def profile(
        self,
        viewer_id: int | None,
        account_id: int,
        page: Page,
        *,
        exclude_replies: bool = False,
        exclude_reblogs: bool = False,
        tagged: str | None = None,
    ) -> list[PostView]:
        """An account's posts and reposts; followers-only ones only for its audience."""
        query = select(posts).where(posts.c.account_id == account_id)
        if exclude_replies:
            query = query.where(posts.c.in_reply_to_id.is_(None))
        if exclude_reblogs:
            query = query.where(posts.c.reblog_of_id.is_(None))
        if tagged:
            query = query.where(
                posts.c.id.in_(
                    select(post_tags.c.post_id)
                    .join(tags, tags.c.id == post_tags.c.tag_id)
                    .where(tags.c.name == tagged.lower().lstrip("#"))
                )
            )
        return self._page(query, viewer_id, page, Surface.PROFILE)

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
