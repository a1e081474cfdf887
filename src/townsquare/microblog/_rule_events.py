"""The write path's outbox for automated rules: one small row per event, written in the
write's own transaction, read later by whoever watches (the rule runner, in moderation).

The microblog knows nothing of rules: it only says what happened, to what, and when. The
insert is the write's whole cost; matching runs elsewhere, so a slow or failing rule can
neither slow down nor fail the write.
"""

import enum
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert

from townsquare.kernel import SnowflakeGenerator
from townsquare.storage import Prebuilt
from townsquare.storage.tables import rule_events

__all__ = ["RuleEventKind", "record_rule_event"]


class RuleEventKind(enum.StrEnum):
    """What happened; `subject_id` is the post, the account or the report."""

    POST_CREATED = "post_created"
    POST_EDITED = "post_edited"
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
    _RECORD.run(conn, id=ids.next_id(), kind=kind.value, subject_id=subject_id, at=at)


_RECORD = Prebuilt(
    insert(rule_events).values(
        {name: bindparam(name) for name in ("id", "kind", "subject_id", "at")}
    )
)
