"""Whether a query has at least so many rows, reading no more than that many."""

from typing import Any

from sqlalchemy import Connection, Select

__all__ = ["holds_at_least"]


def holds_at_least(conn: Connection, query: Select[Any], count: int) -> bool:
    """True when `query` selects `count` rows or more (it reads at most `count`): a cap's
    check, or a probe for a full page, without counting everything."""
    return len(conn.execute(query.limit(count)).all()) >= count
