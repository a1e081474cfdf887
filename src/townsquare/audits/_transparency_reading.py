"""Reading one period's facts from the database (read-only, one transaction).

(1) decisions taken in the period, from their ledger entries as stored with each action;
(2) when the first notice of each decided case arrived (a member's report, or an outside
request that is not sealed); (3) notices received; (4) outside requests received, sealed
ones only counted; (5) appeals filed or decided in the period, or against its decisions,
as known at its end.

Everything is read "as of" the period's end, so a past period's report does not change as
later appeals are decided. A request counts as sealed when it was sealed at the period's end
or still is now, so a report never discloses what the register still hides.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, or_, select

from townsquare.audits._transparency_facts import (
    LoggedAppeal,
    LoggedDecision,
    LoggedNotice,
    LoggedRequest,
    ReportFacts,
)
from townsquare.audits._transparency_period import ReportPeriod
from townsquare.ledger import JSON, decode_entry
from townsquare.storage.tables import (
    external_request_items,
    external_requests,
    moderation_actions,
    moderation_appeals,
    moderation_reports,
)

__all__ = ["read_facts"]

_actions, _appeals, _reports = moderation_actions, moderation_appeals, moderation_reports
_requests, _items = external_requests, external_request_items


def read_facts(conn: Connection, period: ReportPeriod, now: datetime) -> ReportFacts:
    """The facts of `period` (see the module's steps), read at `now`."""
    secret_after = min(period.ends_at, now)
    rows = conn.execute(
        select(_actions.c.id, _actions.c.created_at, _actions.c.entry)
        .where(_in_period(period))
        .order_by(_actions.c.id)
    ).all()  # (1)
    fields = {row.id: decode_entry(row.entry).fields for row in rows}
    first_notices = _first_notices(conn, period, fields, secret_after)  # (2)
    decisions = tuple(
        _decision(row.id, row.created_at, fields[row.id], first_notices.get(row.id)) for row in rows
    )
    return ReportFacts(
        period=period,
        decisions=decisions,
        notices=_notices(conn, period),  # (3)
        requests=_outside_requests(conn, period, secret_after),  # (4)
        appeals=_period_appeals(conn, period),  # (5)
    )


def _decision(
    action_id: int, decided_at: datetime, fields: Mapping[str, JSON], first: datetime | None
) -> LoggedDecision:
    target = fields.get("target")
    return LoggedDecision(
        action_id=action_id,
        decided_at=decided_at,
        action=_text(fields, "action"),
        target_kind=str(target.get("kind")) if isinstance(target, dict) else "",
        clause=_text(fields, "clause"),
        decision_ground=_text(fields, "decision_ground"),
        category=_text(fields, "category"),
        source_type=_text(fields, "source_type"),
        automated_detection=fields.get("automated_detection") == "Yes",
        automated_decision=_text(fields, "automated_decision"),
        restriction_types=_restriction_types(fields),
        territorial_scope=tuple(str(code) for code in _list(fields, "territorial_scope")),
        ends_at=_moment(fields.get("ends_at")),
        restores=_int(fields.get("restores")),
        election_window=_optional_text(fields.get("election_window")),
        first_notice_at=first,
        rule=_optional_text(fields.get("rule")),
    )


def _restriction_types(fields: Mapping[str, JSON]) -> tuple[str, ...]:
    """The DSA-TDB restriction keys the statement names (`decision_*` fields)."""
    kinds = [str(key) for key in _list(fields, "decision_visibility")]
    for name in ("decision_monetary", "decision_provision", "decision_account"):
        value = fields.get(name)
        if isinstance(value, str) and value:
            kinds.append(value)
    return tuple(sorted(kinds))


def _in_period(period: ReportPeriod) -> Any:
    return (_actions.c.created_at >= period.starts_at) & (_actions.c.created_at < period.ends_at)


def _period_cases(period: ReportPeriod) -> Any:
    """The cases decided in the period, as a subquery (a half-year's ids would overflow the
    bind parameters of an `IN` list)."""
    return select(_actions.c.case_id).where(_in_period(period), _actions.c.case_id.is_not(None))


def _first_notices(
    conn: Connection,
    period: ReportPeriod,
    fields: Mapping[int, Mapping[str, JSON]],
    secret_after: datetime,
) -> dict[int, datetime]:
    """(2): by action id, when the first notice on its case arrived before the decision."""
    cases = {
        action_id: case_id
        for action_id, entry in fields.items()
        if (case_id := _int(entry.get("case_id"))) is not None
    }
    if not cases:
        return {}
    earliest = _earliest_reports(conn, period)
    for case_id, when in _earliest_requests(conn, period, secret_after).items():
        earliest.setdefault(case_id, []).extend(when)
    decided = {
        action_id: moment
        for action_id, entry in fields.items()
        if (moment := _moment(entry.get("decided_at"))) is not None
    }
    return {
        action_id: min(before)
        for action_id, case_id in cases.items()
        if (before := [t for t in earliest.get(case_id, []) if t <= decided[action_id]])
    }


def _earliest_reports(conn: Connection, period: ReportPeriod) -> dict[int, list[datetime]]:
    found: dict[int, list[datetime]] = {}
    rows = conn.execute(
        select(_reports.c.case_id, _reports.c.created_at).where(
            _reports.c.case_id.in_(_period_cases(period))
        )
    )
    for row in rows:
        found.setdefault(row.case_id, []).append(row.created_at)
    return found


def _earliest_requests(
    conn: Connection, period: ReportPeriod, secret_after: datetime
) -> dict[int, list[datetime]]:
    """Unsealed requests' arrivals by case: a sealed one's time is not public."""
    found: dict[int, list[datetime]] = {}
    rows = conn.execute(
        select(_items.c.case_id, _requests.c.received_at)
        .join(_requests, _requests.c.id == _items.c.request_id)
        .where(_items.c.case_id.in_(_period_cases(period)), _not_sealed(secret_after))
    )
    for row in rows:
        found.setdefault(row.case_id, []).append(row.received_at)
    return found


def _not_sealed(secret_after: datetime) -> Any:
    return or_(_requests.c.release_at.is_(None), _requests.c.release_at <= secret_after)


def _notices(conn: Connection, period: ReportPeriod) -> tuple[LoggedNotice, ...]:
    rows = conn.execute(
        select(_reports.c.created_at, _reports.c.category, _reports.c.clause)
        .where(_reports.c.created_at >= period.starts_at, _reports.c.created_at < period.ends_at)
        .order_by(_reports.c.id)
    )
    return tuple(LoggedNotice(row.created_at, row.category, row.clause) for row in rows)


def _outside_requests(
    conn: Connection, period: ReportPeriod, secret_after: datetime
) -> tuple[LoggedRequest, ...]:
    rows = conn.execute(
        select(_requests).where(
            _requests.c.received_at >= period.starts_at, _requests.c.received_at < period.ends_at
        )
    ).all()
    return tuple(_request(row, period, secret_after) for row in _sorted_by_arrival(rows))


def _sorted_by_arrival(rows: Sequence[Row[Any]]) -> list[Row[Any]]:
    # Request ids are random (so they say nothing of arrival): order by time, then id.
    return sorted(rows, key=lambda row: (row.received_at, row.id))


def _request(row: Row[Any], period: ReportPeriod, secret_after: datetime) -> LoggedRequest:
    sealed = row.release_at is not None and row.release_at > secret_after
    answered = row.answered_at is not None and row.answered_at < period.ends_at
    return LoggedRequest(
        received_at=row.received_at,
        sealed=sealed,
        requester_kind=row.requester_kind,
        requester=row.requester,
        country=row.country,
        ground=row.ground,
        outcome=row.outcome if answered else None,
        answered_at=row.answered_at if answered else None,
    )


def _period_appeals(conn: Connection, period: ReportPeriod) -> tuple[LoggedAppeal, ...]:
    """(5): appeals filed before the period's end that were filed or decided in it, or are
    against one of its decisions; an outcome reached after the end is not yet known."""
    rows = conn.execute(
        select(_appeals, _actions.c.entry)
        .join(_actions, _actions.c.id == _appeals.c.action_id)
        .where(
            _appeals.c.filed_at < period.ends_at,
            or_(
                func.coalesce(_appeals.c.decided_at, _appeals.c.filed_at) >= period.starts_at,
                _in_period(period),
            ),
        )
        .order_by(_appeals.c.id)
    ).all()
    return tuple(_appeal(row, period) for row in rows)


def _appeal(row: Row[Any], period: ReportPeriod) -> LoggedAppeal:
    fields = decode_entry(row.entry).fields
    known = row.decided_at is not None and row.decided_at < period.ends_at
    return LoggedAppeal(
        action_id=row.action_id,
        action=_text(fields, "action"),
        clause=_text(fields, "clause"),
        appellant_role=row.appellant_role,
        filed_at=row.filed_at,
        outcome=row.state if known else None,
        decided_at=row.decided_at if known else None,
        restore_action_id=row.restore_action_id if known else None,
        automated_detection=fields.get("automated_detection") == "Yes",
        automated_decision=fields.get("automated_decision") != "AUTOMATED_DECISION_NOT_AUTOMATED",
    )


def _text(fields: Mapping[str, JSON], name: str) -> str:
    value = fields.get(name)
    return value if isinstance(value, str) else ""


def _optional_text(value: JSON) -> str | None:
    return value if isinstance(value, str) and value else None


def _list(fields: Mapping[str, JSON], name: str) -> list[JSON]:
    value = fields.get(name)
    return value if isinstance(value, list) else []


def _int(value: JSON) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _moment(value: JSON) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None
