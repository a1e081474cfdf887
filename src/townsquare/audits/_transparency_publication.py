"""Publishing a report: its JSON stored as hashed, and a `transparency.report` ledger entry
committing to the SHA-256 of those bytes and to the period.

A period is published once per distinct content: the table's key is (period, hash), and the
entry is appended only by the call whose row was stored, in the same transaction, so
publishing the same numbers again (or twice at once) appends nothing. Different numbers for
a period already published — possible only when a sealed outside request counted in it is
released, and then only in its breakdowns, or when the report's schema changed since — are a
new report with a new entry; the pages show the latest and list the earlier ones.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from townsquare.audits._transparency_period import ReportPeriod
from townsquare.audits._transparency_report import REPORT_SCHEMA
from townsquare.ledger import JSON, LedgerLog, encode_entry, leaf_hash
from townsquare.storage import insert_ignoring_conflicts
from townsquare.storage.tables import ledger_entries, transparency_reports

__all__ = [
    "REPORT_ENTRY_TYPE",
    "REPORT_ENTRY_VERSION",
    "PublishedReport",
    "published_reports",
    "record_report",
    "report_entry",
]

REPORT_ENTRY_TYPE = "transparency.report"
REPORT_ENTRY_VERSION = 1
_table = transparency_reports


@dataclass(frozen=True)
class PublishedReport:
    """A published report: its period, hash, JSON bytes, when, and its entry's place in the
    ledger (None until the sequencer integrates it). `appended` is False when this very
    report had already been published (nothing was appended this time)."""

    period: ReportPeriod
    sha256: str
    document: bytes
    published_at: datetime
    ledger_index: int | None
    appended: bool = False

    @property
    def schema(self) -> str:
        """The schema its JSON names: an earlier one than `REPORT_SCHEMA` for a report
        published before the format changed (its bytes, and so its hash, stay as published)."""
        value = json.loads(self.document).get("schema")
        return value if isinstance(value, str) else ""


def report_entry(period: ReportPeriod, sha256: str) -> bytes:
    """The ledger entry committing to a report (pure)."""
    fields: dict[str, JSON] = {
        "period_from": period.start.isoformat(),
        "period_to": period.end.isoformat(),
        "schema": REPORT_SCHEMA,
        "sha256": sha256,
    }
    return encode_entry(REPORT_ENTRY_TYPE, REPORT_ENTRY_VERSION, fields)


def record_report(
    conn: Connection,
    ledger: LedgerLog,
    period: ReportPeriod,
    document: bytes,
    sha256: str,
    now: datetime,
) -> PublishedReport:
    """Store the report and append its entry, unless the same report is already published.

    MUST run inside the caller's write transaction (`db.write()`), so the row and the entry
    commit together. (1) build the entry; (2) store the row keyed by period and hash; (3)
    append the entry only if this call stored the row (the key decides, not a read, so two
    publishers at once append one entry).
    """
    entry = report_entry(period, sha256)  # (1)
    row = {
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "sha256": sha256,
        "report_json": document.decode("utf-8"),
        "published_at": now,
        "leaf_hash": leaf_hash(entry),
    }
    stored = insert_ignoring_conflicts(  # (2)
        conn, _table, [row], on=("period_start", "period_end", "sha256")
    )
    if stored:
        ledger.append(conn, entry)  # (3)
        return _published(conn, _stored(conn, period, sha256), appended=True)
    return _published(conn, _stored(conn, period, sha256))


def published_reports(
    conn: Connection, period: ReportPeriod | None = None
) -> list[PublishedReport]:
    """Every published report (of `period` only, when given), newest period first and, in a
    period, latest publication first."""
    query = select(_table).order_by(
        _table.c.period_start.desc(), _table.c.period_end.desc(), _table.c.published_at.desc()
    )
    if period is not None:
        query = query.where(
            _table.c.period_start == period.start.isoformat(),
            _table.c.period_end == period.end.isoformat(),
        )
    return [_published(conn, row) for row in conn.execute(query).all()]


def _stored(conn: Connection, period: ReportPeriod, sha256: str) -> Row[Any]:
    return conn.execute(
        select(_table).where(
            _table.c.period_start == period.start.isoformat(),
            _table.c.period_end == period.end.isoformat(),
            _table.c.sha256 == sha256,
        )
    ).one()


def _published(conn: Connection, row: Row[Any], *, appended: bool = False) -> PublishedReport:
    index = conn.execute(
        select(ledger_entries.c.idx).where(ledger_entries.c.leaf_hash == row.leaf_hash)
    ).scalar()
    period = ReportPeriod(date.fromisoformat(row.period_start), date.fromisoformat(row.period_end))
    return PublishedReport(
        period=period,
        sha256=row.sha256,
        document=row.report_json.encode("utf-8"),
        published_at=row.published_at,
        ledger_index=index,
        appended=appended,
    )
