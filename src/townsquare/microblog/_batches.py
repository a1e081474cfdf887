"""Paging a newest-first listing in batches, Mastodon style (`Page`): the one loop every
timeline, the notifications and the home feeds page through."""

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Row

from townsquare.microblog._models import Page

__all__ = ["Batch", "Batches", "Bound", "key_batches", "page_views"]

_View = TypeVar("_View")
_MAX_ROUNDS = 5

Bound = int | None
"""A key bound of a listing: the rows strictly beyond it (None: no bound)."""


class Batches(Protocol):
    """A newest-first listing read in batches: `read(lower, upper, ascending, size)` answers
    up to `size` rows with keys strictly between the bounds, in key order (descending, or
    ascending when asked), and the last key it looked at — None when nothing lies beyond
    (a listing may look at keys it answers no row for, such as a deleted post's)."""

    def __call__(self, lower: Bound, upper: Bound, ascending: bool, size: int) -> "Batch": ...


Batch = tuple[list[Row[Any]], Bound]


def key_batches(conn: Connection, listing: Any, key: Any, floor: int | None = None) -> Batches:
    """`listing`'s rows keyed by `key` (above `floor`, if given), as `Batches`."""

    def read(lower: Bound, upper: Bound, ascending: bool, size: int) -> Batch:
        bound = lower if floor is None else floor if lower is None else max(lower, floor)
        q = listing if bound is None else listing.where(key > bound)
        if upper is not None:
            q = q.where(key < upper)
        rows = list(conn.execute(q.order_by(key.asc() if ascending else key.desc()).limit(size)))
        return rows, (rows[-1]._mapping[key.key] if len(rows) == size else None)

    return read


def page_views(
    read: Batches, page: Page, to_views: Callable[[list[Row[Any]]], list[_View]]
) -> list[_View]:
    """One page of a newest-first listing, topping up when filters removed rows.

    `to_views` turns a batch into views (and may drop some). Keyset paging: each round
    continues past the last key of the one before, with a batch twice as large.
    """
    ascending = page.min_id is not None
    lower = page.min_id if ascending else page.since_id
    upper = page.max_id
    batch = page.limit + 5
    found: list[_View] = []
    for _ in range(_MAX_ROUNDS):
        rows, last = read(lower, upper, ascending, batch)
        found.extend(to_views(rows))
        if last is None or len(found) >= page.limit:
            break
        if ascending:
            lower = last
        else:
            upper = last
        batch *= 2
    found = found[: page.limit]
    if ascending:
        found.reverse()
    return found
