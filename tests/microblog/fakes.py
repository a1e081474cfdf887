"""An in-memory visibility port, and the invariant every write must keep."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Connection, func, select

from townsquare.microblog import SHOWN, PostLabel, Presentation, Surface, Tombstone
from townsquare.storage import Database
from townsquare.storage.tables import accounts, blocks, favourites, follows, posts

ALL_SURFACES = frozenset(Surface)


@dataclass
class FakeVisibility:
    """Hides or labels chosen post ids on chosen surfaces, and records every question.

    `hide(post_id)` hides everywhere; `hide(post_id, {Surface.PUBLIC})` reduces reach.
    """

    hidden: dict[int, frozenset[Surface]] = field(default_factory=dict)
    decorated: dict[int, Presentation] = field(default_factory=dict)
    asked: dict[Surface, set[int]] = field(default_factory=lambda: defaultdict(set))

    def hide(
        self,
        post_id: int,
        surfaces: frozenset[Surface] = ALL_SURFACES,
        tombstone: Tombstone | None = None,
    ) -> None:
        self.hidden[post_id] = surfaces
        self.decorated[post_id] = Presentation(visible=False, tombstone=tombstone)

    def label(self, post_id: int, *labels: PostLabel, content_warning: str | None = None) -> None:
        self.decorated[post_id] = Presentation(labels=labels, content_warning=content_warning)

    def presentations(
        self,
        conn: Connection,
        viewer_id: int | None,
        post_ids: Sequence[int],
        surface: Surface,
    ) -> Mapping[int, Presentation]:
        self.asked[surface].update(post_ids)
        return {post_id: self._presentation(post_id, surface) for post_id in post_ids}

    def _presentation(self, post_id: int, surface: Surface) -> Presentation:
        if post_id in self.hidden and surface not in self.hidden[post_id]:
            return SHOWN
        return self.decorated.get(post_id, SHOWN)


def _counts(conn: Connection, key: ColumnElement[int]) -> dict[int, int]:
    query = select(key, func.count()).group_by(key)
    return {k: n for k, n in conn.execute(query) if k is not None}


def counter_violations(db: Database) -> list[str]:
    """Every stored counter that differs from the COUNT it caches, and every follow that a
    block should have ended (empty when all agree)."""
    problems: list[str] = []
    with db.read() as conn:
        blocked = select(blocks.c.account_id, blocks.c.target_id)
        for row in conn.execute(select(follows.c.account_id, follows.c.target_id)):
            pairs = {(row.account_id, row.target_id), (row.target_id, row.account_id)}
            if any((b.account_id, b.target_id) in pairs for b in conn.execute(blocked)):
                problems.append(f"follow {row.account_id} → {row.target_id} despite a block")
        statuses = _counts(conn, posts.c.account_id)
        followers = _counts(conn, follows.c.target_id)
        following = _counts(conn, follows.c.account_id)
        for row in conn.execute(select(accounts)):
            expected = (
                statuses.get(row.id, 0),
                followers.get(row.id, 0),
                following.get(row.id, 0),
            )
            found = (row.statuses_count, row.followers_count, row.following_count)
            if found != expected:
                problems.append(
                    f"account {row.id} (statuses, followers, following): "
                    f"stored {found}, counted {expected}"
                )
        replies = _counts(conn, posts.c.in_reply_to_id)
        reblogs = _counts(conn, posts.c.reblog_of_id)
        likes = _counts(conn, favourites.c.post_id)
        for row in conn.execute(select(posts)):
            expected = (replies.get(row.id, 0), reblogs.get(row.id, 0), likes.get(row.id, 0))
            found = (row.replies_count, row.reblogs_count, row.favourites_count)
            if found != expected:
                problems.append(
                    f"post {row.id} (replies, reblogs, favourites): "
                    f"stored {found}, counted {expected}"
                )
    return problems
