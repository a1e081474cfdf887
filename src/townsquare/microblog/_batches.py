"""Paging a newest-first listing in batches, Mastodon style (`Page`): the one loop every
timeline, the notifications and the home feeds page through."""

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from sqlalchemy import Column, ColumnElement, Connection, Select, Subquery, bindparam

from townsquare.kernel import LARGEST_ID
from townsquare.microblog._models import Page
from townsquare.storage import Prebuilt

__all__ = ["Batch", "Batches", "Bound", "KeyListing", "key_batches", "page_views"]

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


Batch = tuple[list[Any], Bound]


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


class KeyListing:
    """A newest-first listing prebuilt for paging (`Prebuilt`): `listing` bounded on `key`,
    in either direction, with the batch size a parameter. The first column `listing`
    selects MUST hold the key."""

    def __init__(self, listing: Select[Any], key: ColumnElement[int]) -> None:
        bounded = listing.where(key > bindparam("lower"), key < bindparam("upper"))
        bounded = bounded.limit(bindparam("size"))
        self._descending = Prebuilt(bounded.order_by(key.desc()))
        self._ascending = Prebuilt(bounded.order_by(key.asc()))

    @classmethod
    def keys_first(
        cls,
        keys: Select[Any],
        key: Column[int],
        rows: Callable[[Subquery], Select[Any]],
    ) -> "KeyListing":
        """A listing whose page of `keys` (which selects `key`) is chosen before any row
        is read: `rows(chosen)` joins the rows onto the chosen keys, its first column
        holding the key. For keys in a narrow index, such as a feed's post ids: joined
        first, PostgreSQL read and sorted a whole 800-post feed for each page of 20
        (bench/README.md, `timelines.py`)."""
        listing = cls.__new__(cls)
        listing._descending = _keys_first(keys, key, rows, descending=True)
        listing._ascending = _keys_first(keys, key, rows, descending=False)
        return listing

    def batches(self, conn: Connection, floor: int = 0, **params: Any) -> Batches:
        """The listing's rows above `floor`, `params` filling its own parameters."""

        def read(lower: Bound, upper: Bound, ascending: bool, size: int) -> Batch:
            statement = self._ascending if ascending else self._descending
            low = max(lower or 0, floor)
            high = LARGEST_ID if upper is None else upper
            rows = statement.rows(conn, **params, lower=low, upper=high, size=size)
            return rows, (rows[-1][0] if len(rows) == size else None)

        return read


def _keys_first(
    keys: Select[Any],
    key: Column[int],
    rows: Callable[[Subquery], Select[Any]],
    *,
    descending: bool,
) -> Prebuilt:
    bounded = keys.where(key > bindparam("lower"), key < bindparam("upper"))
    chosen = bounded.order_by(key.desc() if descending else key.asc())
    page = chosen.limit(bindparam("size")).subquery()
    chosen_key = page.c[key.key]
    return Prebuilt(rows(page).order_by(chosen_key.desc() if descending else chosen_key.asc()))


def page_views(
    read: Batches, page: Page, to_views: Callable[[list[Any]], list[_View]]
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
