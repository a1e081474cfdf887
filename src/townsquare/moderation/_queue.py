"""The review queue: open, in-review and awaiting cases, most urgent first (issue 4).

Urgency is `priority(severity, reach, age)` — severity × reach × age, a pure function — so
a severe report on a widely seen post rises, and nothing waits forever. Review is blind by
default: an item names its author by a per-case pseudonym, not by handle or id.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, func, select

from townsquare.moderation._cases import CaseState
from townsquare.moderation._deliberation import author_pseudonym
from townsquare.storage.tables import accounts, moderation_cases, moderation_reports, posts

__all__ = ["QUEUED", "QueueFilter", "QueueItem", "priority", "review_queue"]

QUEUED = (CaseState.OPEN, CaseState.IN_REVIEW, CaseState.AWAITING_APPROVAL)
_MAX_SCANNED = 5000  # the queue sorts in Python; a bigger backlog is sorted by the newest 5000


@dataclass(frozen=True)
class QueueFilter:
    states: tuple[CaseState, ...] = QUEUED
    clause: str | None = None  # a clause id, "policy/n"
    limit: int = 40
    reveal_authors: bool = False


@dataclass(frozen=True)
class QueueItem:
    """One case in the queue. `author_id` is None unless authors were revealed; `post_id`
    opens the item itself (the post; an account case has none)."""

    case_id: int
    state: CaseState
    clause: str | None
    severity: int
    reach: int
    opened_at: datetime
    report_count: int
    priority: float
    author: str
    post_id: int | None
    author_id: int | None


def priority(severity: int, reach: int, age_hours: float) -> float:
    """severity × reach × age, each at least 1 so that no factor zeroes the others."""
    return max(severity, 1) * max(reach, 1) * max(age_hours, 1.0)


def review_queue(
    conn: Connection, pseudonym_key: bytes, now: datetime, wanted: QueueFilter
) -> list[QueueItem]:
    """The cases `wanted` selects, highest priority first, at most `wanted.limit`."""
    items = [_item(row, pseudonym_key, now, wanted) for row in _rows(conn, wanted)]
    items.sort(key=lambda item: (-item.priority, item.case_id))
    return items[: wanted.limit]


def _rows(conn: Connection, wanted: QueueFilter) -> Sequence[Row[tuple[object, ...]]]:
    cases = moderation_cases
    reports = (
        select(func.count()).where(moderation_reports.c.case_id == cases.c.id).scalar_subquery()
    )
    post_reach = posts.c.reblogs_count + posts.c.favourites_count + posts.c.replies_count
    reach = func.coalesce(post_reach, accounts.c.followers_count)
    query = (
        select(cases, reports.label("report_count"), reach.label("reach"))
        .join(accounts, accounts.c.id == cases.c.account_id)
        .outerjoin(posts, posts.c.id == cases.c.post_id)
        .where(cases.c.state.in_([s.value for s in wanted.states]))
        .order_by(cases.c.id.desc())
        .limit(_MAX_SCANNED)
    )
    if wanted.clause is not None:
        query = query.where(cases.c.clause == wanted.clause)
    return conn.execute(query).all()


def _item(
    row: Row[tuple[object, ...]], key: bytes, now: datetime, wanted: QueueFilter
) -> QueueItem:
    data = row._mapping
    age_hours = (now - data["opened_at"]).total_seconds() / 3600
    reach = 1 + int(data["reach"] or 0)
    return QueueItem(
        case_id=data["id"],
        state=CaseState(data["state"]),
        clause=data["clause"],
        severity=data["severity"],
        reach=reach,
        opened_at=data["opened_at"],
        report_count=data["report_count"],
        priority=priority(data["severity"], reach, age_hours),
        author=author_pseudonym(key, data["id"], data["account_id"]),
        post_id=data["post_id"],
        author_id=data["account_id"] if wanted.reveal_authors else None,
    )
