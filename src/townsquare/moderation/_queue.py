"""The review queue: open, in-review and awaiting cases, most urgent first (issue 4).

Urgency is `priority(severity, reach, age)` — severity × reach × age, a pure function — so
a severe report on a widely seen post rises, and nothing waits forever. Review is blind: an
item names its author by a per-case pseudonym and carries no post id, account id or URL
that would lead to them — the case id opens it. Seeing the author is a separate, logged
step on the case (`Cases.reveal`); the queue has no way around it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Row, distinct, func, select

from townsquare.moderation._cases import CaseState
from townsquare.moderation._deliberation import author_pseudonym
from townsquare.storage.tables import (
    accounts,
    external_request_items,
    moderation_cases,
    moderation_reports,
    posts,
)

__all__ = ["QUEUED", "QueueFilter", "QueueItem", "priority", "review_queue"]

QUEUED = (CaseState.OPEN, CaseState.IN_REVIEW, CaseState.AWAITING_APPROVAL)
_MAX_SCANNED = 5000  # the queue sorts in Python; a bigger backlog is sorted by the newest 5000
_COLUMNS = ("id", "state", "clause", "severity", "opened_at", "account_id", "post_id")


@dataclass(frozen=True)
class QueueFilter:
    states: tuple[CaseState, ...] = QUEUED
    clause: str | None = None  # a clause id, "policy/n"
    limit: int = 40


@dataclass(frozen=True)
class QueueItem:
    """One case in the queue: `author` is a per-case pseudonym; `target_kind` says whether
    the case is about a post or an account."""

    case_id: int
    state: CaseState
    clause: str | None
    severity: int
    reach: int
    opened_at: datetime
    report_count: int
    priority: float
    author: str
    target_kind: str  # "post" or "account"
    request_count: int = 0  # outside requests that named the item while the case was open


def priority(severity: int, reach: int, age_hours: float) -> float:
    """severity × reach × age, each at least 1 so that no factor zeroes the others."""
    return max(severity, 1) * max(reach, 1) * max(age_hours, 1.0)


def review_queue(
    conn: Connection, pseudonym_key: bytes, now: datetime, wanted: QueueFilter
) -> list[QueueItem]:
    """The cases `wanted` selects, highest priority first, at most `wanted.limit`. The
    cases are ranked first; only the page's are then named and have their reports and
    outside requests counted (none of which the priority depends on)."""
    ranked = sorted(_rows(conn, wanted), key=lambda row: (-_priority_of(row, now), row.id))
    page = ranked[: wanted.limit]
    ids = [row.id for row in page]
    reporters = moderation_reports.c.reporter_id  # people, not reports: each counts once
    reports = _counts(conn, moderation_reports.c.case_id, ids, distinct_by=reporters)
    requests = _counts(conn, external_request_items.c.case_id, ids)
    return [
        _item(row, pseudonym_key, now, (reports.get(row.id, 0), requests.get(row.id, 0)))
        for row in page
    ]


def _counts(
    conn: Connection,
    case_column: ColumnElement[int],
    ids: list[int],
    *,
    distinct_by: ColumnElement[int] | None = None,
) -> dict[int, int]:
    """How many rows of `case_column`'s table name each of the cases `ids` (or, with
    `distinct_by`, how many different values of that column they hold)."""
    if not ids:
        return {}
    counted = func.count() if distinct_by is None else func.count(distinct(distinct_by))
    query = select(case_column, counted).where(case_column.in_(ids)).group_by(case_column)
    return {int(case_id): int(count) for case_id, count in conn.execute(query).all()}


def _rows(conn: Connection, wanted: QueueFilter) -> Sequence[Row[tuple[object, ...]]]:
    cases = moderation_cases
    post_reach = posts.c.reblogs_count + posts.c.favourites_count + posts.c.replies_count
    reach = func.coalesce(post_reach, accounts.c.followers_count)
    # Only what the ranking and the page need: each column costs a conversion per row.
    columns = [*(cases.c[name] for name in _COLUMNS), reach.label("reach")]
    query = (
        select(*columns)
        .join(accounts, accounts.c.id == cases.c.account_id)
        .outerjoin(posts, posts.c.id == cases.c.post_id)
        .where(cases.c.state.in_([s.value for s in wanted.states]))
        .order_by(cases.c.id.desc())
        .limit(_MAX_SCANNED)
    )
    if wanted.clause is not None:
        query = query.where(cases.c.clause == wanted.clause)
    return conn.execute(query).all()


def _reach(row: Row[tuple[object, ...]]) -> int:
    return 1 + int(row.reach or 0)


def _priority_of(row: Row[tuple[object, ...]], now: datetime) -> float:
    age_hours = (now - row.opened_at).total_seconds() / 3600
    return priority(row.severity, _reach(row), age_hours)


def _item(
    row: Row[tuple[object, ...]],
    key: bytes,
    now: datetime,
    counts: tuple[int, int],
) -> QueueItem:
    """The queue's view of a case; `counts` are its (reports, outside requests)."""
    data = row._mapping
    return QueueItem(
        case_id=data["id"],
        state=CaseState(data["state"]),
        clause=data["clause"],
        severity=data["severity"],
        reach=_reach(row),
        opened_at=data["opened_at"],
        report_count=counts[0],
        priority=_priority_of(row, now),
        author=author_pseudonym(key, data["id"], data["account_id"]),
        target_kind="account" if data["post_id"] is None else "post",
        request_count=counts[1],
    )
