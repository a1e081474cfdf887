"""The home feeds in Redis (`TOWNSQUARE_REDIS_URL`): the same `FeedStore` as the database's,
for servers that would rather not write a feed row per follower per post.

Each feed is a sorted set, `<prefix>:feed:<account>`, of post ids written as 20 digits with
every score 0, so lexicographic order is id order (ids are 64-bit: a score, a double, would
round them). Beside it `<prefix>:feed-from:<account>` holds the id from which the feed is
complete (its floor plus one); its presence is what says the account has a feed.

What the module `_home_feed.py` says of building, fan-out and cutting holds here: the reads
of posts and follows go through the caller's transaction, under the same locks, and fan-out
adds only to feeds that exist, in one server-side script per post. A post whose
transaction rolls back after its fan-out leaves an id no post will ever have: pages skip
it, as they skip a deleted post's, and cutting removes it in time.
"""

from collections.abc import Sequence
from typing import Any

from redis import Redis
from sqlalchemy import Connection, select

from townsquare.microblog._batches import Batch, Batches, Bound
from townsquare.microblog._home_feed import (
    FeedLimits,
    addresses_another,
    admitting_readers,
    floor_of,
    newest_admitted,
)
from townsquare.microblog._rows import POST_COLUMNS
from townsquare.storage import Prebuilt, member_of
from townsquare.storage.tables import posts

__all__ = ["RedisFeeds"]

_ADMITTING = {to_another: Prebuilt(admitting_readers(to_another)) for to_another in (False, True)}
_WIDTH = 20  # digits of the largest 64-bit id

# KEYS: each reader's feed and feed-from keys, in pairs. ARGV: the post's member, the
# slack, the length. For each feed that exists: add the post; past the slack, keep the
# newest `length` and move feed-from up to the oldest kept.
_FAN_OUT = """
local member, slack, length = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 1, #KEYS, 2 do
  local feed, from = KEYS[i], KEYS[i + 1]
  if redis.call('EXISTS', from) == 1 then
    redis.call('ZADD', feed, 0, member)
    if redis.call('ZCARD', feed) > slack then
      local oldest = redis.call('ZREVRANGE', feed, length - 1, length - 1)[1]
      redis.call('ZREMRANGEBYLEX', feed, '-', '(' .. oldest)
      redis.call('SET', from, oldest)
    end
  end
end
return 0
"""


def _member(post_id: int) -> str:
    return str(post_id).zfill(_WIDTH)


class RedisFeeds:
    """The feeds in Redis, under `prefix` (a server's `TOWNSQUARE_REDIS_KEY_PREFIX`)."""

    def __init__(self, client: Redis, limits: FeedLimits, *, prefix: str) -> None:
        self.limits = limits
        self._redis = client
        self._prefix = prefix
        self._fan_out = client.register_script(_FAN_OUT)
        at = client.connection_pool.connection_kwargs  # never the password: it is a name
        self._where = (
            f"{at.get('host', at.get('path', '?'))}:{at.get('port', '')}/{at.get('db', 0)}"
        )

    def floor(self, conn: Connection, viewer_id: int) -> int | None:
        complete_from: bytes | None = self._redis.get(self._from(viewer_id))  # type: ignore[assignment]  # a sync client
        return None if complete_from is None else int(complete_from) - 1

    def batches(self, conn: Connection, viewer_id: int, floor: int) -> Batches:
        feed = self._feed(viewer_id)

        def read(lower: Bound, upper: Bound, ascending: bool, size: int) -> Batch:
            low = f"({_member(max(floor, lower or 0))}"
            high = "+" if upper is None else f"({_member(upper)}"
            if ascending:
                found = self._redis.zrangebylex(feed, low, high, start=0, num=size)
            else:
                found = self._redis.zrevrangebylex(feed, high, low, start=0, num=size)
            ids = [int(member) for member in found]  # type: ignore[union-attr]  # a sync client
            return _rows(conn, ids), (ids[-1] if len(ids) == size else None)

        return read

    def build(self, conn: Connection, viewer_id: int) -> int:
        ids = newest_admitted(conn, viewer_id, self.limits.length)
        floor = floor_of(ids, self.limits.length)
        feed = self._feed(viewer_id)
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(feed)
            if ids:
                pipe.zadd(feed, {_member(i): 0 for i in ids})
            pipe.set(self._from(viewer_id), _member(floor + 1))
            pipe.execute()
        return floor

    def fan_out(
        self, conn: Connection, post_id: int, author_id: int, reply_to_account_id: int | None
    ) -> None:
        to_another = addresses_another(author_id, reply_to_account_id)
        followers = _ADMITTING[to_another].scalars(
            conn, author=author_id, **({"addressee": reply_to_account_id} if to_another else {})
        )
        readers = [author_id, *followers]
        keys = [key for reader in readers for key in (self._feed(reader), self._from(reader))]
        self._fan_out(keys=keys, args=[_member(post_id), self.limits.slack, self.limits.length])

    def name(self) -> str:
        return f"redis {self._where} {self._prefix}"

    def clear(self, conn: Connection) -> None:
        for pattern in (self._feed("*"), self._from("*")):
            for key in self._redis.scan_iter(pattern, count=1000):
                self._redis.delete(key)

    def drop(self, conn: Connection, account_id: int) -> None:
        self._redis.delete(self._from(account_id), self._feed(account_id))

    def _feed(self, account_id: int | str) -> str:
        return f"{self._prefix}:feed:{account_id}"

    def _from(self, account_id: int | str) -> str:
        return f"{self._prefix}:feed-from:{account_id}"


_POSTS = Prebuilt(select(*POST_COLUMNS).where(member_of(posts.c.id, "ids")))


def _rows(conn: Connection, ids: Sequence[int]) -> list[Sequence[Any]]:
    """The posts of `ids`, in that order; ids with no post (deleted) are left out."""
    if not ids:
        return []
    found = {row[0]: row for row in _POSTS.rows(conn, ids=ids)}
    return [found[i] for i in ids if i in found]
