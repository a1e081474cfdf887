"""Hydration: an outbox row (`rule_events`: kind, subject id, time) read back into the
`Event` value the matchers take, from what the write stored — the post's text, links,
mentions and reply (an edit: as the post stands when the rule runs), the author's creation
time; the report's reporter, item and its author.
"""

import logging
from datetime import datetime

from sqlalchemy import Connection, bindparam, select

from townsquare.microblog import RuleEventKind, parse_text
from townsquare.moderation._decisions import AccountTarget, PostTarget
from townsquare.moderation.rules._events import (
    AccountCreated,
    Actor,
    Event,
    PostCreated,
    PostEdited,
    ReportFiled,
)
from townsquare.storage import Prebuilt
from townsquare.storage.tables import (
    accounts,
    moderation_cases,
    moderation_reports,
    post_mentions,
    posts,
)

__all__ = ["hydrate"]

_log = logging.getLogger(__name__)

_ACTOR = Prebuilt(select(accounts.c.created_at).where(accounts.c.id == bindparam("id")))
_POST = Prebuilt(
    select(posts.c.account_id, accounts.c.created_at, posts.c.text, posts.c.in_reply_to_id)
    .join(accounts, accounts.c.id == posts.c.account_id)
    .where(posts.c.id == bindparam("id"))
)
_MENTIONED = Prebuilt(
    select(post_mentions.c.account_id)
    .where(post_mentions.c.post_id == bindparam("post"))
    .order_by(post_mentions.c.account_id)
)


def hydrate(conn: Connection, kind: str, subject_id: int, at: datetime) -> Event | None:
    """The event, read from what the write stored; None when its item is gone."""
    if kind == RuleEventKind.POST_CREATED:
        return _post_created(conn, subject_id, at)
    if kind == RuleEventKind.POST_EDITED:
        created = _post_created(conn, subject_id, at)
        return None if created is None else _as_edit(created)
    if kind == RuleEventKind.ACCOUNT_CREATED:
        actor = _actor(conn, subject_id)
        return None if actor is None else AccountCreated(actor)
    if kind == RuleEventKind.REPORT_FILED:
        return _report_filed(conn, subject_id, at)
    # Written by a newer server during an upgrade: no rule here reads it.
    _log.warning("rule event kind %r: not one this server knows; passed over", kind)
    return None


def _actor(conn: Connection, account_id: int) -> Actor | None:
    found = _ACTOR.scalars(conn, id=account_id)
    return Actor(account_id, found[0]) if found else None


def _post_created(conn: Connection, post_id: int, at: datetime) -> PostCreated | None:
    found = _POST.rows(conn, id=post_id)
    if not found:
        return None
    author_id, author_created_at, text, in_reply_to = found[0]
    return PostCreated(
        post_id=post_id,
        author=Actor(author_id, author_created_at),
        at=at,
        text=text,
        urls=parse_text(text).links,
        mentions=tuple(_MENTIONED.scalars(conn, post=post_id)),
        in_reply_to=in_reply_to,
    )


def _as_edit(post: PostCreated) -> PostEdited:
    """The edit, read as the post now stands: an edit changes its text, not its reply. The
    event's time is the edit's, so rules on account age read the age at the edit."""
    return PostEdited(
        post_id=post.post_id,
        author=post.author,
        at=post.at,
        text=post.text,
        urls=post.urls,
        mentions=post.mentions,
    )


def _report_filed(conn: Connection, report_id: int, at: datetime) -> ReportFiled | None:
    reports, cases = moderation_reports, moderation_cases
    query = (
        select(reports.c.reporter_id, cases.c.post_id, cases.c.account_id)
        .join(cases, cases.c.id == reports.c.case_id)
        .where(reports.c.id == report_id)
    )
    report = conn.execute(query).first()
    reporter = None if report is None else _actor(conn, report.reporter_id)
    if report is None or reporter is None:
        return None
    target: PostTarget | AccountTarget = (
        PostTarget(report.post_id)
        if report.post_id is not None
        else AccountTarget(report.account_id)
    )
    return ReportFiled(report_id, reporter, at, target, about=report.account_id)
