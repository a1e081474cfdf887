"""The materialised home feed: each reader's home timeline kept as post ids, fanned out on
write, so a home page is one indexed read of the feed plus hydration (bench/README.md).

The rules are the home timeline's (`home_posts`); the feed only remembers which posts they
admit, newest first. What a viewer may see is still decided on every read — hydration asks
the visibility port, the blocks, the mutes and the post's audience — so a restriction, a
deletion or a block shows on the very next page whatever the feed holds.

(1) A feed exists once its account reads its home timeline: `build` fills it from the posts
    table with the newest `FeedLimits.length` admitted posts.
(2) Fan-out on write: a post or repost is added, in the transaction that writes it, to the
    feed of its author and of each follower with a feed whose rules admit it (`fan_out`).
(3) A follow or an unfollow changes which posts the follower's rules admit: it drops that
    feed (`drop`), and the next read builds it again.
(4) A feed holds every admitted post above its `floor`; a page that reaches below it is read
    from the posts table, as if there were no feed.
(5) Bounded: when fan-out takes a feed past `FeedLimits.slack` entries, its oldest go, down
    to `length`, and its floor rises.

Concurrency (PostgreSQL; SQLite serialises writers): a post's transaction updates its
author's account row (the post count) before it fans out; `build` takes a shared lock on
the rows of the accounts the reader follows before it reads their posts. So a post either
committed before the build read (and is read), or waits for the build to commit (and then
sees the new feed and fans out to it). A follow or unfollow updates the follower's own row
(the following count), which `build` locks first: a follow committed meanwhile is one the
build reads, and one that waits drops the feed the build made.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy import (
    ColumnElement,
    Connection,
    Insert,
    Select,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from townsquare.kernel import snowflake_floor, snowflake_time
from townsquare.microblog._batches import Batches, KeyListing
from townsquare.microblog._rows import POST_COLUMNS
from townsquare.storage import Prebuilt, insert_ignoring_conflicts
from townsquare.storage.tables import (
    accounts,
    follows,
    home_feed_states,
    home_feed_store,
    home_feeds,
    posts,
)

__all__ = [
    "DatabaseFeeds",
    "FeedLimits",
    "FeedStore",
    "addresses_another",
    "admitting_readers",
    "claim_feeds",
    "floor_of",
    "home_posts",
    "newest_admitted",
]

_WINDOWS = (timedelta(days=1), timedelta(days=7), timedelta(days=30))


@dataclass(frozen=True)
class FeedLimits:
    """How many posts a feed keeps (`length`), and how many it may reach before it is cut
    back to that (`slack`), so cutting is rare."""

    length: int = 800
    slack: int = 1000


def home_posts(viewer_id: int) -> Select[tuple[object, ...]]:
    """The posts the home timeline admits for `viewer_id`, as a query over `posts`.

    Posts and reposts by the accounts the viewer follows, and their own; a reply by someone
    else only when it answers the viewer or someone they follow, so the timeline is not
    filled with halves of strangers' conversations (Mastodon's FeedManager#filter_from_home).
    """
    followed = select(follows.c.target_id).where(follows.c.account_id == viewer_id)
    return select(*POST_COLUMNS).where(
        or_(posts.c.account_id.in_(followed), posts.c.account_id == viewer_id),
        or_(
            posts.c.account_id == viewer_id,
            posts.c.in_reply_to_account_id.is_(None),
            posts.c.in_reply_to_account_id == viewer_id,
            posts.c.in_reply_to_account_id.in_(followed),
        ),
    )


class FeedStore(Protocol):
    """Where the feeds are kept. Every method is given the caller's transaction: what the
    store reads of posts and follows it reads there, and a store in the database writes
    there too, so a feed changes exactly when the post or follow that changes it commits."""

    limits: FeedLimits

    def floor(self, conn: Connection, viewer_id: int) -> int | None:
        """(4) The id above which `viewer_id`'s feed holds every admitted post; None when
        the account has no feed yet."""
        ...

    def batches(self, conn: Connection, viewer_id: int, floor: int) -> Batches:
        """The feed's posts above `floor` as a listing to page through (`page_views`)."""
        ...

    def build(self, conn: Connection, viewer_id: int) -> int:
        """(1) Fill `viewer_id`'s feed from the posts table (MUST run in a write
        transaction); return its floor."""
        ...

    def fan_out(
        self, conn: Connection, post_id: int, author_id: int, reply_to_account_id: int | None
    ) -> None:
        """(2) Add a new post to the feeds whose rules admit it, (5) cutting back the ones
        it takes past the slack. MUST run after the author's account row is updated."""
        ...

    def drop(self, conn: Connection, account_id: int) -> None:
        """(3) Forget `account_id`'s feed; its next home read builds it again."""
        ...

    def name(self) -> str:
        """Which store this is (`claim_feeds` compares it with the last one's)."""
        ...

    def clear(self, conn: Connection) -> None:
        """Forget every feed this store holds."""
        ...


def claim_feeds(conn: Connection, store: FeedStore, database: "DatabaseFeeds") -> None:
    """Make `store` the one that keeps the feeds. A store that was not kept up while another
    served holds stale feeds (missing the posts written meanwhile), so when the store
    changes — the database for Redis, or one Redis for another — both are emptied, and
    every feed is built again on its next read. MUST run in a write transaction."""
    last = conn.scalar(select(home_feed_store.c.store).where(home_feed_store.c.name == "feeds"))
    if last == store.name():
        return
    store.clear(conn)
    database.clear(conn)
    conn.execute(delete(home_feed_store))
    conn.execute(home_feed_store.insert().values(name="feeds", store=store.name()))


def newest_admitted(conn: Connection, viewer_id: int, limit: int) -> list[int]:
    """(1) What a feed is built from: the ids of the newest `limit` posts `viewer_id`'s home
    admits, newest first, read under the locks the module's concurrency note describes."""
    if conn.dialect.name == "postgresql":
        _share_lock(conn, accounts.c.id == viewer_id)  # first: a follow updates this row
        authors = select(follows.c.target_id).where(follows.c.account_id == viewer_id)
        _share_lock(conn, accounts.c.id.in_(authors))
    return _newest_ids(conn, home_posts(viewer_id), limit)


def floor_of(ids: list[int], limit: int) -> int:
    """The floor of a feed holding `ids` (newest first) of at most `limit`: below its
    oldest when it is full, else 0 (it holds every admitted post)."""
    return ids[-1] - 1 if len(ids) == limit else 0


# A page of the feed's post ids first, then their posts: on PostgreSQL the statement ran in
# 0.17 ms where joining first took 4.8 ms (bench/README.md, timelines.py, 2026-12-06).
_FEED = KeyListing.keys_first(
    select(home_feeds.c.post_id).where(home_feeds.c.account_id == bindparam("viewer")),
    home_feeds.c.post_id,
    lambda chosen: select(*POST_COLUMNS).join_from(chosen, posts, posts.c.id == chosen.c.post_id),
)
_FLOOR = Prebuilt(
    select(home_feed_states.c.floor).where(home_feed_states.c.account_id == bindparam("viewer"))
)


class DatabaseFeeds:
    """The feeds in the database (`home_feeds`, `home_feed_states`): the default, with no
    other service to run."""

    def __init__(self, limits: FeedLimits) -> None:
        self.limits = limits

    def floor(self, conn: Connection, viewer_id: int) -> int | None:
        found = _FLOOR.scalars(conn, viewer=viewer_id)
        return found[0] if found else None

    def batches(self, conn: Connection, viewer_id: int, floor: int) -> Batches:
        return _FEED.batches(conn, floor, viewer=viewer_id)

    def build(self, conn: Connection, viewer_id: int) -> int:
        self.drop(conn, viewer_id)
        ids = newest_admitted(conn, viewer_id, self.limits.length)
        floor = floor_of(ids, self.limits.length)
        # Two first reads at once both build (PostgreSQL): the second adds nothing new.
        rows = [{"account_id": viewer_id, "post_id": i} for i in ids]
        insert_ignoring_conflicts(conn, home_feeds, rows, on=("account_id", "post_id"))
        state = {"account_id": viewer_id, "floor": floor, "length": len(ids)}
        insert_ignoring_conflicts(conn, home_feed_states, [state], on=("account_id",))
        return floor

    def fan_out(
        self, conn: Connection, post_id: int, author_id: int, reply_to_account_id: int | None
    ) -> None:
        to_another = addresses_another(author_id, reply_to_account_id)
        statements = _FAN_OUT[to_another]
        readers = {"author": author_id} | ({"addressee": reply_to_account_id} if to_another else {})
        if statements.add.run(conn, post=post_id, **readers) == 0:
            return  # no reader has a feed: one statement, not two
        for account_id, length in statements.grow.rows(conn, **readers):
            if length > self.limits.slack:
                self._cut(conn, account_id)

    def name(self) -> str:
        return "database"

    def clear(self, conn: Connection) -> None:
        conn.execute(delete(home_feeds))
        conn.execute(delete(home_feed_states))

    def drop(self, conn: Connection, account_id: int) -> None:
        if _DROP_STATE.run(conn, account=account_id):  # else it had no feed
            _DROP_FEED.run(conn, account=account_id)

    def _cut(self, conn: Connection, account_id: int) -> None:
        kept = (
            select(home_feeds.c.post_id)
            .where(home_feeds.c.account_id == account_id)
            .order_by(home_feeds.c.post_id.desc())
            .offset(self.limits.length - 1)
            .limit(1)
        )
        oldest_kept = conn.scalar(kept)
        if oldest_kept is None:
            return
        conn.execute(
            delete(home_feeds).where(
                home_feeds.c.account_id == account_id, home_feeds.c.post_id < oldest_kept
            )
        )
        length = select(func.count()).where(home_feeds.c.account_id == account_id)
        conn.execute(
            update(home_feed_states)
            .where(home_feed_states.c.account_id == account_id)
            .values(floor=oldest_kept - 1, length=length.scalar_subquery())
        )


def _newest_ids(conn: Connection, query: Select[tuple[object, ...]], limit: int) -> list[int]:
    """The ids of `query`'s newest `limit` posts. Sorting everything the followed accounts
    ever wrote is what made home pages slow (bench/README.md, finding 2): try the last day,
    week and month first, and everything only when they hold fewer."""
    ids_only = query.with_only_columns(posts.c.id).order_by(posts.c.id.desc()).limit(limit)
    top = conn.scalar(select(func.max(posts.c.id)))
    if top is None:
        return []
    newest = snowflake_time(top)
    for window in _WINDOWS:
        floor = snowflake_floor(newest - window)
        ids = list(conn.scalars(ids_only.where(posts.c.id > floor)))
        if len(ids) == limit:
            return ids
    return list(conn.scalars(ids_only))


def _share_lock(conn: Connection, which: ColumnElement[bool]) -> None:
    conn.execute(select(accounts.c.id).where(which).with_for_update(read=True))


def addresses_another(author_id: int, reply_to_account_id: int | None) -> bool:
    """Whether a post by `author_id` replying to `reply_to_account_id` (None: not a reply)
    is a reply to someone else, which fewer of the author's followers see at home."""
    return reply_to_account_id is not None and reply_to_account_id != author_id


def admitting_readers(to_another: bool, *conditions: ColumnElement[bool]) -> Select[tuple[int]]:
    """The followers of the account `:author` whose home admits its post — for a reply to
    someone else (`to_another`, see `addresses_another`), only the addressee `:addressee`
    and those who follow them — and who meet `conditions`. A statement to prebuild."""
    followers = select(follows.c.account_id).where(
        follows.c.target_id == bindparam("author"), *conditions
    )
    if not to_another:
        return followers
    addressee = follows.alias("addressee")
    follows_addressee = exists().where(
        addressee.c.account_id == follows.c.account_id,
        addressee.c.target_id == bindparam("addressee"),
    )
    return followers.where(or_(follows.c.account_id == bindparam("addressee"), follows_addressee))


@dataclass(frozen=True)
class _FanOut:
    """The statements of `DatabaseFeeds.fan_out`, for a post or a reply to another."""

    add: Prebuilt
    grow: Prebuilt

    @classmethod
    def of(cls, to_another: bool) -> "_FanOut":
        has_feed = exists().where(home_feed_states.c.account_id == follows.c.account_id)
        author = select(home_feed_states.c.account_id).where(
            home_feed_states.c.account_id == bindparam("author")
        )
        readers = admitting_readers(to_another, has_feed).union(author).subquery()

        post_id_type = home_feeds.c.post_id.type

        def add(dialect: str) -> Insert:
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            return (
                insert(home_feeds)
                .from_select(
                    ["account_id", "post_id"],
                    # SQLite reads `FROM x ON CONFLICT` as a join unless the SELECT has a WHERE.
                    select(readers.c.account_id, bindparam("post", type_=post_id_type)).where(
                        true()
                    ),
                )
                .on_conflict_do_nothing(index_elements=["account_id", "post_id"])
            )

        state = home_feed_states.c.account_id
        # The readers' states are locked in one order (PostgreSQL; SQLite has one writer):
        # two posts reaching the same readers locked them in whatever order each plan
        # chose, and deadlocked under load (bench/posting_api.py, 2026-12-06).
        reached = (
            select(state)
            .where(state.in_(select(readers.c.account_id)))
            .order_by(state)
            .with_for_update()
        )
        return cls(
            add=Prebuilt(add),
            grow=Prebuilt(
                update(home_feed_states)
                .where(state.in_(reached))
                .values(length=home_feed_states.c.length + 1)
                .returning(state, home_feed_states.c.length)
            ),
        )


_FAN_OUT = {to_another: _FanOut.of(to_another) for to_another in (False, True)}
_DROP_FEED = Prebuilt(delete(home_feeds).where(home_feeds.c.account_id == bindparam("account")))
_DROP_STATE = Prebuilt(
    delete(home_feed_states).where(home_feed_states.c.account_id == bindparam("account"))
)
