"""The write path's outbox for automated rules: one small row per event, written in the
write's own transaction, read later by whoever watches (the rule runner, in moderation).

The microblog knows nothing of rules: it only says what happened, to what, and when. The
insert is the write's whole cost; matching runs elsewhere, so a slow or failing rule can
neither slow down nor fail the write.
"""

import enum
from datetime import datetime

from sqlalchemy import Connection, insert

from townsquare.kernel import SnowflakeGenerator
from townsquare.storage.tables import rule_events

__all__ = ["RuleEventKind", "record_rule_event"]


class RuleEventKind(enum.StrEnum):
    """What happened; `subject_id` is the post, the account or the report."""

    POST_CREATED = "post_created"
    ACCOUNT_CREATED = "account_created"
    REPORT_FILED = "report_filed"


def record_rule_event(
    conn: Connection,
    ids: SnowflakeGenerator,
    kind: RuleEventKind,
    subject_id: int,
    at: datetime,
) -> None:
    """Add the event to the outbox, in the caller's write transaction (one INSERT)."""
    conn.execute(
        insert(rule_events),
        {"id": ids.next_id(), "kind": kind.value, "subject_id": subject_id, "at": at},
    )
