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
from townsquare.microblog import RuleEventKind, record_rule_event
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
    "author_of",
    "file_report",
    "join_or_open_case",
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
    author = author_of(conn, draft.target)
    if author == draft.reporter_id:
        raise InvalidReportError("report: a member cannot report their own post or account")
    if len(draft.comment) > _MAX_COMMENT:
        raise InvalidReportError(f"comment: expected at most {_MAX_COMMENT} characters")
    severity = SEVERITY[draft.category]
    case_id = join_or_open_case(conn, ids, now, draft.target, author, severity, draft.clause)
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
    record_rule_event(conn, ids, RuleEventKind.REPORT_FILED, report_id, now)
    return Report(report_id, case_id, draft, author, now)


def author_of(conn: Connection, target: CaseTarget) -> int:
    """Whom a case on `target` is about: the post's author, or the account itself;
    `TargetNotFoundError` if there is no such item."""
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


def join_or_open_case(
    conn: Connection,
    ids: SnowflakeGenerator,
    now: datetime,
    target: CaseTarget,
    author: int,
    severity: int,
    clause: str | None = None,
) -> int:
    """The id of `target`'s open case (`author` is whom it is about), raised to `severity`
    if that is higher; or of a case opened now. When two writers open one item's case at
    once, the second insert fails on the unique open key and its caller retries (the retry
    joins the case)."""
    key = open_key(target)
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
    post_id = target.post_id if isinstance(target, PostTarget) else None
    conn.execute(
        insert(moderation_cases),
        {
            "id": case_id,
            "target_kind": "post" if post_id is not None else "account",
            "post_id": post_id,
            "account_id": author,
            "open_key": key,
            "state": CaseState.OPEN.value,
            "clause": clause,
            "severity": severity,
            "opened_at": now,
        },
    )
    return case_id
