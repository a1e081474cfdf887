"""Conversations: the threads of direct posts an account wrote or was mentioned in, each
shown by its latest post the account may see (Mastodon's conversations)."""

from dataclasses import dataclass

from sqlalchemy import Select, Subquery, and_, bindparam, func, select, union

from townsquare.microblog._context import Context
from townsquare.microblog._errors import ConversationNotFoundError
from townsquare.microblog._hydrate import accounts_by_id, hydrate
from townsquare.microblog._models import Account, Page, PostView, PostVisibility
from townsquare.microblog._rows import POST_COLUMNS, post_from_values
from townsquare.microblog._visibility import Surface
from townsquare.storage import Prebuilt, member_of
from townsquare.storage.tables import post_mentions, posts

__all__ = ["Conversation", "Conversations"]

_DIRECT = PostVisibility.DIRECT.value


@dataclass(frozen=True)
class Conversation:
    """A thread of direct posts: its id (the id of the post it began with), the others in
    it, and its latest post the reader may see."""

    id: int
    accounts: tuple[Account, ...]
    last: PostView


def _involved() -> Subquery:
    """The direct posts the account given as `viewer` wrote or is mentioned in."""
    return union(
        select(posts.c.id).where(
            posts.c.account_id == bindparam("viewer"), posts.c.visibility == _DIRECT
        ),
        select(post_mentions.c.post_id)
        .join(posts, posts.c.id == post_mentions.c.post_id)
        .where(post_mentions.c.account_id == bindparam("viewer"), posts.c.visibility == _DIRECT),
    ).subquery()


def _latest(newer_than: bool, older_than: bool, one: bool = False) -> Select[tuple[int, int]]:
    """Each conversation the account given as `viewer` is in, with its latest direct post
    the viewer wrote or was mentioned in, bounded by `max_id` / `since_id` (or only the
    conversation given as `conversation`)."""
    involved = _involved()
    last = func.max(posts.c.id).label("last")
    query = (
        select(posts.c.conversation_id, last)
        .where(posts.c.id.in_(select(involved.c.id)))
        .group_by(posts.c.conversation_id)
        .order_by(last.desc())
        .limit(bindparam("limit"))
    )
    if one:
        query = query.where(posts.c.conversation_id == bindparam("conversation"))
    if older_than:
        query = query.having(func.max(posts.c.id) < bindparam("max_id"))
    if newer_than:
        query = query.having(func.max(posts.c.id) > bindparam("since_id"))
    return query


_LATEST = {
    (newer, older): Prebuilt(_latest(newer, older))
    for newer in (False, True)
    for older in (False, True)
}
_ONE = Prebuilt(_latest(newer_than=False, older_than=False, one=True))
_POSTS = Prebuilt(select(*POST_COLUMNS).where(member_of(posts.c.id, "ids")))


def _people() -> Prebuilt:
    """The authors and the mentioned of the direct posts in the conversations given as
    `conversations` that the viewer is in itself: not those of posts it cannot read."""
    involved = _involved()
    mine = and_(
        member_of(posts.c.conversation_id, "conversations"), posts.c.id.in_(select(involved.c.id))
    )
    return Prebuilt(
        select(posts.c.conversation_id, posts.c.account_id)
        .where(mine)
        .union(
            select(posts.c.conversation_id, post_mentions.c.account_id)
            .join(post_mentions, post_mentions.c.post_id == posts.c.id)
            .where(mine)
        )
    )


_PEOPLE = _people()


class Conversations:
    def __init__(self, context: Context) -> None:
        self._ctx = context

    def latest(self, viewer_id: int, page: Page) -> list[Conversation]:
        """The viewer's conversations, the one with the latest post first; paged by that
        post's id (`max_id`, `since_id`). One whose latest post the viewer may not see
        now (hidden by moderation, say) is left out."""
        newer = page.since_id if page.since_id is not None else page.min_id
        params = {"viewer": viewer_id, "limit": page.limit}
        params |= {"max_id": page.max_id} if page.max_id is not None else {}
        params |= {"since_id": newer} if newer is not None else {}
        latest = _LATEST[(newer is not None, page.max_id is not None)]
        return self._read(latest, params)

    def get(self, viewer_id: int, conversation_id: int) -> Conversation:
        """One of the viewer's conversations; ConversationNotFoundError when the viewer is
        not in it or may not see its latest post."""
        found = self._read(_ONE, {"viewer": viewer_id, "limit": 1, "conversation": conversation_id})
        if not found:
            raise ConversationNotFoundError(f"You have no conversation {conversation_id}.")
        return found[0]

    def _read(self, latest: Prebuilt, params: dict[str, int]) -> list[Conversation]:
        viewer_id = params["viewer"]
        with self._ctx.db.read() as c:
            found = latest.rows(c, **params)
            if not found:
                return []
            conversation_of = {last: conversation for conversation, last in found}
            rows = [post_from_values(r) for r in _POSTS.rows(c, ids=list(conversation_of))]
            rows.sort(key=lambda post: post.id, reverse=True)
            views = hydrate(c, self._ctx, viewer_id, rows, Surface.LINK)
            people: dict[int, set[int]] = {}
            for conversation, account_id in _PEOPLE.rows(
                c, viewer=viewer_id, conversations=list(conversation_of.values())
            ):
                people.setdefault(conversation, set()).add(account_id)
            others = {a for ids in people.values() for a in ids} - {viewer_id}
            accounts = accounts_by_id(c, others)
        return [
            Conversation(
                id=conversation_of[view.post.id],
                accounts=tuple(
                    accounts[a]
                    for a in sorted(people.get(conversation_of[view.post.id], ()))
                    if a in accounts
                ),
                last=view,
            )
            for view in views
        ]
