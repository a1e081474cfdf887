"""A large world for the timeline benchmark, bulk-inserted with SQLAlchemy Core.

Going through the microblog's services would take hours for a million posts, so rows are
generated in Python (with every counter computed, so they are consistent with the rows) and
inserted in large batches. The world is kept between runs: a marker table records the
parameters it was built with, and a world with other parameters is rebuilt from scratch.

Shape: accounts with heavy-tailed activity and popularity; follow counts log-normal (median
60, a long tail into the thousands) with targets drawn by popularity, so a few accounts have
most followers; posts over 180 days, of which 20% replies, 8% reposts, the rest originals;
some hashtags, mentions, likes and followers-only posts.
"""

import bisect
import html
import itertools
import math
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any

from sqlalchemy import Column, Connection, Engine, MetaData, String, Table, delete, insert, select

from townsquare.kernel import SEQUENCE_LIMIT, FixedClock, SnowflakeGenerator, snowflake_floor
from townsquare.microblog import Passwords
from townsquare.storage import tables

__all__ = ["WorldSpec", "ensure_world"]

_VERSION = 2
_BATCH = 10_000
_ENDS_AT = datetime(2026, 11, 1, tzinfo=UTC)
_POSTING_DAYS = 180
_REPLY_SHARE = 0.20
_REPOST_SHARE = 0.08
_TAGGED_SHARE = 0.10
_MENTION_SHARE = 0.05
_LIKES_PER_POST = 0.3
_TAGS = tuple(f"topic{i}" for i in range(50))
# fmt: off
_WORDS = (
    "coffee", "market", "bike", "train", "rain", "sun", "election", "debate", "news", "book",
    "film", "garden", "city", "park", "café", "marché", "vélo", "pluie", "soleil", "débat",
    "livre", "jardin", "ville", "parc", "école", "travail", "musique",
)
# fmt: on

_marker_metadata = MetaData()
_marker = Table("bench_world", _marker_metadata, Column("fingerprint", String(200)))

Progress = Callable[[str], None]


@dataclass(frozen=True)
class WorldSpec:
    accounts: int = 10_000
    posts: int = 1_000_000
    seed: int = 1

    @property
    def fingerprint(self) -> str:
        return f"v{_VERSION}-a{self.accounts}-p{self.posts}-s{self.seed}"


def ensure_world(engine: Engine, spec: WorldSpec, say: Progress) -> bool:
    """Build the world unless the database already holds this one. True if it was built."""
    _marker_metadata.create_all(engine)
    with engine.connect() as conn:
        found = conn.scalar(select(_marker.c.fingerprint))
    if found == spec.fingerprint:
        say(f"reusing the world {spec.fingerprint}")
        return False
    say(f"building the world {spec.fingerprint} (found {found or 'none'})")
    with engine.begin() as conn:
        _empty(conn)
        _Builder(Random(spec.seed), spec, say).build(conn)
        conn.execute(insert(_marker).values(fingerprint=spec.fingerprint))
    with engine.connect() as conn:
        # PostgreSQL's autovacuum would analyse the new rows soon enough; do it now.
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return True


def _empty(conn: Connection) -> None:
    conn.execute(delete(_marker))
    for table in reversed(tables.metadata.sorted_tables):
        conn.execute(delete(table))


def _cumulative(weights: Iterator[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _draw(rng: Random, cumulative: Sequence[float]) -> int:
    return min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


class _Builder:
    def __init__(self, rng: Random, spec: WorldSpec, say: Progress) -> None:
        self.rng = rng
        self.spec = spec
        self.say = say
        self.ids = SnowflakeGenerator(FixedClock(_ENDS_AT))
        n = spec.accounts
        self.account_ids = [0] * n
        self.followers = [0] * n
        self.following = [0] * n
        self.statuses = [0] * n
        self.last_status: list[datetime | None] = [None] * n

    def build(self, conn: Connection) -> None:
        follows = self._follows()
        posts = self._posts()
        self._insert_accounts(conn)
        self._insert(conn, tables.follows, self._follow_rows(follows), "follows")
        self._insert_posts(conn, posts)

    # (1) who follows whom

    def _follows(self) -> list[tuple[int, int]]:
        rng, n = self.rng, self.spec.accounts
        popularity = _cumulative(rng.paretovariate(1.1) for _ in range(n))
        pairs: list[tuple[int, int]] = []
        for follower in range(n):
            wanted = min(n - 1, 3000, max(1, int(rng.lognormvariate(math.log(60), 1.0))))
            chosen: set[int] = set()
            for _ in range(wanted * 2):
                if len(chosen) >= wanted:
                    break
                target = _draw(rng, popularity)
                if target != follower:
                    chosen.add(target)
            for target in sorted(chosen):
                pairs.append((follower, target))
                self.following[follower] += 1
                self.followers[target] += 1
        self.say(f"planned {len(pairs):,} follows")
        return pairs

    # (2) what they post

    def _posts(self) -> "_PlannedPosts":
        rng, spec = self.rng, self.spec
        activity = _cumulative(rng.paretovariate(1.2) for _ in range(spec.accounts))
        span = _POSTING_DAYS * 86_400
        start = _ENDS_AT - timedelta(days=_POSTING_DAYS)
        seconds = sorted(rng.random() * span for _ in range(spec.posts))
        planned = _PlannedPosts(spec.posts)
        reposted: set[tuple[int, int]] = set()
        for i, second in enumerate(seconds):
            author = _draw(rng, activity)
            at = start + timedelta(seconds=second)
            # Posts sharing a millisecond have neighbouring indexes (the times are sorted),
            # so the index modulo the sequence space keeps their ids distinct.
            planned.ids[i] = self.ids.id_at(at, i % SEQUENCE_LIMIT)
            planned.authors[i] = author
            planned.seconds[i] = second
            roll = rng.random()
            if i > 0 and roll < _REPLY_SHARE:
                planned.parents[i] = rng.randrange(max(0, i - 5000), i)
                planned.replies[planned.parents[i]] += 1
            elif i > 0 and roll < _REPLY_SHARE + _REPOST_SHARE:
                original = rng.randrange(max(0, i - 5000), i)
                key = (author, original)
                if (
                    planned.authors[original] != author
                    and planned.reblog_of[original] < 0
                    and planned.private[original] == 0
                    and key not in reposted
                ):
                    reposted.add(key)
                    planned.reblog_of[i] = original
                    planned.reblogs[original] += 1
            if planned.reblog_of[i] < 0 and planned.parents[i] < 0 and rng.random() < 0.02:
                planned.private[i] = 1
            self.statuses[author] += 1
            self.last_status[author] = at
        self.say(f"planned {spec.posts:,} posts")
        return planned

    # inserting

    def _insert(
        self, conn: Connection, table: Table, rows: Iterator[dict[str, Any]], what: str
    ) -> int:
        total = 0
        for batch in _batches(rows):
            conn.execute(insert(table), batch)
            total += len(batch)
            if total % (_BATCH * 20) == 0:
                self.say(f"  {what}: {total:,}")
        self.say(f"inserted {total:,} {what}")
        return total

    def _insert_accounts(self, conn: Connection) -> None:
        password_hash = Passwords().hash("bench password")
        joined = _ENDS_AT - timedelta(days=_POSTING_DAYS + 30)
        rows = []
        for i in range(self.spec.accounts):
            account_id = self.ids.id_at(joined + timedelta(seconds=i), 0)
            self.account_ids[i] = account_id
            name = f"user{i:05d}"
            rows.append(
                {
                    "id": account_id,
                    "username": name,
                    "username_key": name,
                    "email": None,
                    "password_hash": password_hash,
                    "display_name": f"User {i}",
                    "bio": "",
                    "role": "member",
                    "locale": "fr" if i % 3 else "en",
                    "created_at": joined + timedelta(seconds=i),
                    "last_status_at": self.last_status[i],
                    "statuses_count": self.statuses[i],
                    "followers_count": self.followers[i],
                    "following_count": self.following[i],
                    "search_text": f"{name} user {i}",
                }
            )
        self._insert(conn, tables.accounts, iter(rows), "accounts")

    def _follow_rows(self, pairs: list[tuple[int, int]]) -> Iterator[dict[str, Any]]:
        at = _ENDS_AT - timedelta(days=_POSTING_DAYS + 1)
        first_id = snowflake_floor(at)  # one millisecond's ids, then the next ones: unique
        ids = self.account_ids
        for n, (follower, target) in enumerate(pairs):
            row = {"account_id": ids[follower], "target_id": ids[target], "created_at": at}
            yield row | {"id": first_id + n}

    def _insert_posts(self, conn: Connection, planned: "_PlannedPosts") -> None:
        first_tag_id = snowflake_floor(_ENDS_AT - timedelta(days=1))
        tag_ids = {name: first_tag_id + i for i, name in enumerate(_TAGS)}
        tag_rows = [{"id": i, "name": n, "search_text": n} for n, i in tag_ids.items()]
        conn.execute(insert(tables.tags), tag_rows)
        likes = self._likes(planned)
        tagged: list[dict[str, Any]] = []
        mentions: list[dict[str, Any]] = []
        rows = self._post_rows(planned, likes, tag_ids, tagged, mentions)
        self._insert(conn, tables.posts, rows, "posts")
        self._insert(conn, tables.post_tags, iter(tagged), "post tags")
        self._insert(conn, tables.post_mentions, iter(mentions), "mentions")
        self._insert(conn, tables.favourites, self._like_rows(planned, likes), "likes")

    def _likes(self, planned: "_PlannedPosts") -> dict[int, set[int]]:
        """Post index → indexes of the accounts who liked it."""
        rng, n = self.rng, self.spec.posts
        likes: dict[int, set[int]] = {}
        for _ in range(int(n * _LIKES_PER_POST)):
            post = n - 1 - min(n - 1, int(rng.expovariate(1 / (n / 4))))
            if planned.reblog_of[post] >= 0 or planned.private[post]:
                continue
            liker = rng.randrange(self.spec.accounts)
            if liker != planned.authors[post]:
                likes.setdefault(post, set()).add(liker)
        return likes

    def _post_rows(
        self,
        planned: "_PlannedPosts",
        likes: dict[int, set[int]],
        tag_ids: dict[str, int],
        tagged: list[dict[str, Any]],
        mentions: list[dict[str, Any]],
    ) -> Iterator[dict[str, Any]]:
        rng, ids = self.rng, self.account_ids
        start = _ENDS_AT - timedelta(days=_POSTING_DAYS)
        for i in range(self.spec.posts):
            post_id = planned.ids[i]
            author = planned.authors[i]
            parent, original = planned.parents[i], planned.reblog_of[i]
            row: dict[str, Any] = {
                "id": post_id,
                "account_id": ids[author],
                "created_at": start + timedelta(seconds=planned.seconds[i]),
                "visibility": "private" if planned.private[i] else "public",
                "replies_count": planned.replies[i],
                "reblogs_count": planned.reblogs[i],
                "favourites_count": len(likes.get(i, ())),
                "in_reply_to_id": planned.ids[parent] if parent >= 0 else None,
                "in_reply_to_account_id": ids[planned.authors[parent]] if parent >= 0 else None,
                "reblog_of_id": planned.ids[original] if original >= 0 else None,
            }
            if original >= 0:
                row.update(text="", content_html="", search_text="", language=None)
                yield row
                continue
            words = " ".join(rng.choices(_WORDS, k=rng.randrange(4, 20)))
            if rng.random() < _TAGGED_SHARE:
                tag = rng.choice(_TAGS)
                words += f" #{tag}"
                tagged.append({"post_id": post_id, "tag_id": tag_ids[tag]})
            if rng.random() < _MENTION_SHARE:
                other = rng.randrange(self.spec.accounts)
                words = f"@user{other:05d} {words}"
                if other != author:
                    mentions.append({"post_id": post_id, "account_id": ids[other]})
            text = words[:1].upper() + words[1:] + "."
            row.update(
                text=text,
                content_html=f"<p>{html.escape(text)}</p>",
                search_text=text.lower(),
                language="fr" if author % 3 else "en",
            )
            yield row

    def _like_rows(
        self, planned: "_PlannedPosts", likes: dict[int, set[int]]
    ) -> Iterator[dict[str, Any]]:
        ids, sequence = self.account_ids, itertools.count(snowflake_floor(_ENDS_AT))
        end = _ENDS_AT
        for post, likers in sorted(likes.items()):
            for liker in sorted(likers):
                yield {
                    "id": next(sequence),
                    "account_id": ids[liker],
                    "post_id": planned.ids[post],
                    "created_at": end,
                }


class _PlannedPosts:
    """Posts as parallel arrays (a million dicts would not fit comfortably in memory)."""

    def __init__(self, n: int) -> None:
        self.ids = array("q", bytes(8 * n))
        self.authors = array("l", bytes(array("l").itemsize * n))
        self.seconds = array("d", bytes(8 * n))
        self.parents = array("l", [-1]) * n
        self.reblog_of = array("l", [-1]) * n
        self.replies = array("l", bytes(array("l").itemsize * n))
        self.reblogs = array("l", bytes(array("l").itemsize * n))
        self.private = array("b", bytes(n))


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while batch := list(itertools.islice(rows, _BATCH)):
        yield batch
