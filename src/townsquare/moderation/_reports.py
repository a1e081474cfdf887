"""Reports: a member says an item (a post or an account) breaks a clause.

A report joins the item's open case, or opens one; the case's `open_key` is unique while it
is open, so two reports filed at once still land in one case. Who reported is stored for
the reporter's notice only: it is never published and never written to the ledger.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection, func, insert, select, update

from townsquare.kernel import InvalidInputError, SnowflakeGenerator
from townsquare.moderation._cases import CaseState, CaseTarget
from townsquare.moderation._decisions import PostTarget
from townsquare.moderation._errors import TargetNotFoundError
from townsquare.moderation._policy_errors import ModerationError
from townsquare.storage.tables import accounts, moderation_cases, moderation_reports, posts

__all__ = [
    "SEVERITY",
    "InvalidReportError",
    "Report",
    "ReportCategory",
    "ReportDraft",
    "file_report",
    "open_key",
]

_MAX_COMMENT = 1000  # Mastodon's limit on a report's comment


class ReportCategory(StrEnum):
    """Mastodon's report categories."""

    SPAM = "spam"
    LEGAL = "legal"
    VIOLATION = "violation"
    OTHER = "other"


# How urgent a report of each category is; a case takes its most severe report's value.
SEVERITY = {
    ReportCategory.OTHER: 1,
    ReportCategory.SPAM: 2,
    ReportCategory.VIOLATION: 3,
    ReportCategory.LEGAL: 4,
}


class InvalidReportError(ModerationError, InvalidInputError):
    """Raised when a report is incomplete (an overlong comment, a self-report, …)."""


@dataclass(frozen=True)
class ReportDraft:
    """What a member reports: the item, the clause they think it breaks (if they know it
    as `id` or `id@version`), the category and a comment for the moderators."""

    reporter_id: int
    target: CaseTarget
    category: ReportCategory = ReportCategory.OTHER
    clause: str | None = None
    comment: str = ""


@dataclass(frozen=True)
class Report:
    id: int
    case_id: int
    draft: ReportDraft
    author_id: int
    created_at: datetime


def open_key(target: CaseTarget) -> str:
    """The key that makes one open case per item: `post:<id>` or `account:<id>`."""
    if isinstance(target, PostTarget):
        return f"post:{target.post_id}"
    return f"account:{target.account_id}"


def file_report(
    conn: Connection, ids: SnowflakeGenerator, now: datetime, draft: ReportDraft
) -> Report:
    """Store the report in the item's open case (opened if none), in the caller's
    transaction. The caller retries once on a unique-key race (see `Cases.report`)."""
    author = _author_of(conn, draft.target)
    if author == draft.reporter_id:
        raise InvalidReportError("report: a member cannot report their own post or account")
    if len(draft.comment) > _MAX_COMMENT:
        raise InvalidReportError(f"comment: expected at most {_MAX_COMMENT} characters")
    case_id = _join_or_open(conn, ids, now, draft, author)
    report_id = ids.next_id()
    conn.execute(
        insert(moderation_reports),
        {
            "id": report_id,
            "case_id": case_id,
            "reporter_id": draft.reporter_id,
            "category": draft.category.value,
            "clause": draft.clause,
            "comment": draft.comment,
            "created_at": now,
        },
    )
    return Report(report_id, case_id, draft, author, now)


def _author_of(conn: Connection, target: CaseTarget) -> int:
    if isinstance(target, PostTarget):
        query = select(posts.c.account_id).where(posts.c.id == target.post_id)
        found = conn.execute(query).scalar()
        if found is None:
            raise TargetNotFoundError(f"post {target.post_id}: no such post")
        return int(found)
    query = select(func.count()).where(accounts.c.id == target.account_id)
    if not conn.execute(query).scalar():
        raise TargetNotFoundError(f"account {target.account_id}: no such account")
    return target.account_id


def _join_or_open(
    conn: Connection, ids: SnowflakeGenerator, now: datetime, draft: ReportDraft, author: int
) -> int:
    key = open_key(draft.target)
    severity = SEVERITY[draft.category]
    existing = conn.execute(
        select(moderation_cases.c.id, moderation_cases.c.severity).where(
            moderation_cases.c.open_key == key
        )
    ).first()
    if existing is not None:
        if severity > existing.severity:
            conn.execute(
                update(moderation_cases)
                .where(moderation_cases.c.id == existing.id)
                .values(severity=severity)
            )
        return int(existing.id)
    case_id = ids.next_id()
    post_id = draft.target.post_id if isinstance(draft.target, PostTarget) else None
    conn.execute(
        insert(moderation_cases),
        {
            "id": case_id,
            "target_kind": "post" if post_id is not None else "account",
            "post_id": post_id,
            "account_id": author,
            "open_key": key,
            "state": CaseState.OPEN.value,
            "clause": draft.clause,
            "severity": severity,
            "opened_at": now,
        },
    )
    return case_id
